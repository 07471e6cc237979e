"""Loading of the summarizer's language data in ``khabar/summarize/data``.

Three kinds of file, each ``<name>.<language>.txt`` with ``#`` comments:
phrase lists (:func:`phrases`), deletion patterns (:func:`frames`) and
numeric weights (:func:`profile`). A language without a file gets the
language-neutral behaviour.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import regex

from ..lang import normalize


def _read(name: str, language: str) -> str:
    path = resources.files(__package__).joinpath("data").joinpath(f"{name}.{language}.txt")
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""


@cache
def phrases(name: str, language: str) -> tuple[str, ...]:
    """Items of ``<name>.<language>.txt``, longest first; empty when there is no such file."""
    items: list[str] = []
    for line in _read(name, language).splitlines():
        item = normalize(line.split("#", 1)[0]).strip()
        if item:
            items.append(" ".join(item.split()))
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


def words_and_suffixes(*names: str, language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Items of the named phrase lists, split into whole words and suffixes.

    A line starting with "-" is a suffix ("-ाया" matches "बताया"); the others
    are words.
    """
    items = [i for name in names for i in phrases(name, language)]
    return (frozenset(i for i in items if not i.startswith("-")),
            tuple(i[1:] for i in items if i.startswith("-")))


@cache
def frames(language: str) -> tuple[tuple[str, str, str], ...]:
    """Deletion frames of ``frames.<language>.txt``: (step, where, regex).

    A line is ``<step> <lead|trail|inner> <regex>``; only lines starting with ``#``
    are comments, since a regex may contain one. ``{speech}`` in a regex
    stands for the language's speech verbs, ``{word}`` for one word. A lead
    frame is deleted from the start of a sentence up to the match's end, a
    trail frame from the match's start to the end, and an inner frame (only
    from a sentence still too long) is the span deleted. Lines that do not parse
    are skipped: a bad data line must not break summarizing.
    """
    speech = "|".join(r"\s+".join(regex.escape(w) for w in p.split())
                      for p in phrases("speech_verbs", language)) or "(?!)"
    out: list[tuple[str, str, str]] = []
    for line in _read("frames", language).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.strip().split(maxsplit=2)
        if len(parts) != 3 or parts[1] not in ("lead", "trail", "inner"):
            continue
        step, where, pattern = parts
        pattern = pattern.replace("{speech}", f"(?:{speech})").replace("{word}", r"[^\s]+")
        try:
            regex.compile(pattern)
        except regex.error:
            continue
        out.append((step, where, pattern))
    return tuple(out)


@cache
def profile(language: str) -> dict[str, float]:
    """Numeric settings of ``profile.<language>.txt`` (``NAME value`` lines)."""
    out: dict[str, float] = {}
    for line in _read("profile", language).splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            try:
                out[parts[0]] = float(parts[1])
            except ValueError:
                continue
    return out
