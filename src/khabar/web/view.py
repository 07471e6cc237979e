"""Presentation helpers for the pages: interface text, dates, and the body with sentence anchors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .._urls import split_url

UI_LANGUAGES = ("hi", "en")
UI_COOKIE = "khabar_ui"
DEFAULT_UI = "hi"


@cache
def ui_strings() -> dict[str, dict[str, Any]]:
    """The interface text table from ``data/ui.json``."""
    raw = resources.files("khabar.web").joinpath("data", "ui.json").read_text("utf-8")
    table: dict[str, dict[str, Any]] = {
        k: v for k, v in json.loads(raw).items() if not k.startswith("_")
    }
    return table


class Translator:
    """``t(key)``: interface text in one language, falling back to Hindi, then the key."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in UI_LANGUAGES else DEFAULT_UI

    def __call__(self, key: str) -> str:
        entry = ui_strings().get(key)
        if entry is None:
            return key
        value = entry.get(self.lang, entry.get(DEFAULT_UI, key))
        return str(value)

    def month(self, number: int) -> str:
        """The name of month ``number`` (1-12)."""
        names: list[str] = ui_strings()["months"][self.lang]
        return names[number - 1]


def format_date(iso: str | None, t: Translator) -> str:
    """``2025-08-13`` as ``13 अगस्त 2025``; anything unparseable as it is."""
    if not iso:
        return t("undated")
    parts = iso[:10].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        return iso
    return f"{int(parts[2])} {t.month(int(parts[1]))} {parts[0]}"


def read_time(minutes: int) -> str:
    """The seed's own wording: ``Read Time: 2 mins``."""
    return f"Read Time: {minutes} min" + ("s" if minutes != 1 else "")


def safe_href(url: str | None) -> str | None:
    """An http(s) URL fit for an ``href``; None for ``javascript:`` and other schemes."""
    if not url:
        return None
    parts = split_url(url.strip())
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.geturl()


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of body text: a numbered sentence, or text between sentences (``sid`` None)."""

    text: str
    sid: int | None = None


def body_segments(text: str, sentences: list[str]) -> list[list[Segment]]:
    """Split the body into paragraphs of segments, each sentence tagged with its id.

    Sentences were cut from the paragraphs in reading order, so each is found
    after the previous one; a sentence that cannot be found (the splitter
    normalised it) stays untagged inside the plain text rather than being lost.
    """
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    out: list[list[Segment]] = []
    sid = 0
    for paragraph in paragraphs:
        segments: list[Segment] = []
        pos = 0
        while sid < len(sentences):
            sentence = sentences[sid].strip()
            at = paragraph.find(sentence, pos) if sentence else -1
            if at < 0:
                break
            if at > pos:
                segments.append(Segment(paragraph[pos:at]))
            segments.append(Segment(sentence, sid))
            pos = at + len(sentence)
            sid += 1
        if pos < len(paragraph):
            segments.append(Segment(paragraph[pos:]))
        out.append(segments)
    return out


@dataclass(frozen=True, slots=True)
class Card:
    """What a brief card or article page shows, read from stored brief data."""

    article_id: int
    brief_id: int
    title: str
    standfirst: str | None
    date: str | None
    language: str
    site_name: str | None
    read_time_minutes: int
    bullets: list[dict[str, Any]]
    tags: list[dict[str, Any]]
    summarizer: str
    url: str | None

    @classmethod
    def from_stored(cls, stored: Any) -> Card:
        """Build from a :class:`khabar.store.StoredBrief`."""
        d: dict[str, Any] = stored.data
        return cls(
            article_id=stored.article_id,
            brief_id=stored.brief_id,
            title=str(d.get("title") or ""),
            standfirst=d.get("standfirst"),
            date=d.get("date"),
            language=str(d.get("language") or "und"),
            site_name=d.get("site_name"),
            read_time_minutes=int(d.get("read_time_minutes") or 1),
            bullets=list(d.get("bullets") or []),
            tags=[t for t in d.get("tags") or [] if t.get("slug")],
            summarizer=str(d.get("summarizer") or ""),
            url=safe_href(stored.url or d.get("url")),
        )
