"""Author names: from the publisher's metadata, else from the byline the page shows.

Names are cleaned of what is not a name (labels, e-mail addresses, photo
credits, ids), strings naming several people are split, and a byline
that only repeats the publisher's name is no author.
"""

from __future__ import annotations

from typing import Any

import regex
from lxml import etree

from .article import text_value, unique_folded

# Where a page shows its byline, most specific first.
_BYLINE_PATHS = (
    (etree.XPath("//body//*[@itemprop='author']//*[@itemprop='name']"
                 " | //body//*[@itemprop='author'][not(.//*[@itemprop='name'])]"), True),
    (etree.XPath("//body//a[@rel='author']"), True),
    (etree.XPath(
        "//body//*[self::a or self::span or self::div or self::p or self::address]"
        "[contains(translate(@class, 'AUTHORBYLINE', 'authorbyline'), 'author')"
        " or contains(translate(@class, 'AUTHORBYLINE', 'authorbyline'), 'byline')"
        " or contains(translate(@id, 'AUTHORBYLINE', 'authorbyline'), 'byline')]"
        "[not(.//*[contains(@class, 'author') or contains(@class, 'byline')])]"
    ), False),
)
_NAME_MAX_WORDS = 5
# A byline's label left alone when the name sits in another element.
_LABEL_ONLY = frozenset({"by", "von", "par", "por", "di", "door", "av", "author", "autor"})
# Words of a byline's label or a shop's badge, never of a name.
_NOT_NAME_WORDS = frozenset({"by", "written", "posted", "author", "authors", "authorized",
                             "name", "soon", "from", "edited", "updated", "published"})
# Lower-case words that belong inside a name ("Ludwig van Beethoven").
_NAME_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "du", "la", "le",
                             "bin", "bint", "al", "el", "dos", "das", "del", "y", "e"})
_BYLINE_MAX_CHARS = 80
_MAX_AUTHORS = 5
_BYLINE_PREFIX = regex.compile(
    r"^\s*(?:(?:written|posted|reported|edited|text|words|story)\s+by|by|von|par|por|di|door|av|autor(?:in)?|"
    r"author|लेखक|द्वारा|रिपोर्ट)\s*[:\-–]?\s+",
    regex.IGNORECASE,
)
# "Elena Oberholzer (obe)": a desk handle after the name.
_AUTHOR_NOTE = regex.compile(r"\s*\([\p{Ll}\d]{1,5}\)\s*$")
_PHOTO_CREDIT = regex.compile(
    r"^\(?\s*(?:image|photo|foto|bild|picture|credit)s?\b", regex.IGNORECASE
)
_NAME_JOINERS = regex.compile(r"\s+(?:and|und|og|och|et|y|e|और|एवं|व)\s+|\s*&\s*")


def byline(tree: Any, exclude: set[str] | frozenset[str] = frozenset(), *,
           by_class: bool = True) -> list[str]:
    """Author names from the byline the page shows, for pages whose metadata names none.

    Read from ``itemprop="author"`` and ``rel="author"`` (every one: a story
    may have several authors), else from the first short element whose
    class or id says author or byline (the later ones are mostly other
    stories' bylines). Only name-like text is kept (see :func:`_is_name`),
    and names equal to one of ``exclude`` (keys of :func:`org_key`: the
    publisher) are skipped. Class names are read only with ``by_class``
    (the page is a story): on shop and listing pages an "author" box is a
    review's or a teaser's.
    """
    for path, every in _BYLINE_PATHS:
        if not (every or by_class):
            continue
        names: list[str] = []
        for el in path(tree):
            text = text_value(_BYLINE_PREFIX.sub("", text_value(el.text_content()) or ""))
            if not text or len(text) > _BYLINE_MAX_CHARS:
                continue
            found = [n for n in clean_authors([text])
                     if _is_name(n, strict=not every) and org_key(n) not in exclude]
            names += found
            if (found and not every) or len(names) >= _MAX_AUTHORS:
                break
        if names:
            return unique_folded(names)[:_MAX_AUTHORS]
    return []


def _is_name(text: str, *, strict: bool = True) -> bool:
    """Name-like: one to five words, none a label word ("Written By").

    ``strict`` (a byline found by class name, not by markup that says
    author) also wants no digits and every cased word capitalised but
    particles; markup that says author may name a user ("luizjr4").
    """
    words = text.split()
    if not 1 <= len(words) <= _NAME_MAX_WORDS or regex.search(r"[*:»«|@]", text):
        return False
    if any(w.casefold().strip(".,!") in _NOT_NAME_WORDS for w in words):
        return False
    if not strict:
        return True
    return not regex.search(r"\d", text) and all(
        not w[0].islower() or w in _NAME_PARTICLES for w in words)


def _split_names(text: str) -> list[str]:
    """ "A, B and C" -> [A, B, C], keeping "Name, MD" whole (a part of one word is a credential).

    An "and" splits only between names: "Center for Drug Evaluation and
    Research" is one organisation.
    """
    parts: list[str] = []
    for chunk in (c.strip() for c in text.split(";")):
        split = [p.strip() for p in _NAME_JOINERS.split(chunk) if p.strip()]
        if len(split) > 1 and not all(_is_name(p.split(",")[0].strip()) for p in split):
            split = [chunk] if chunk else []
        parts += split
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out += pieces
        else:
            out.append(part)
    return out


def clean_authors(names: list[str]) -> list[str]:
    """Author names without what is not a name: e-mail addresses, URLs, photo credits, ids.

    One string naming several people ("A og B", "A and B") is split.
    """
    out: list[str] = []
    for raw in names:
        for name in _split_names(raw):
            name = text_value(_AUTHOR_NOTE.sub("", _BYLINE_PREFIX.sub("", name))) or ""
            if not name or "@" in name or "://" in name or _PHOTO_CREDIT.match(name):
                continue
            if not regex.search(r"\p{L}", name) or name.casefold() in _LABEL_ONLY:
                continue  # "105092" is an id, "von" a label without its name
            out.append(name)
    return unique_folded(out)


def org_key(name: str) -> str:
    """A comparison key for an organisation name: "STERN.de" and "www.stern.de" -> "stern"."""
    key = name.casefold().strip()
    key = regex.sub(r"^(?:https?://)?(?:www\.)?", "", key)
    key = regex.sub(r"\.(?:com|de|in|co\.uk|org|net|co\.za|com\.tr)$", "", key)
    return " ".join(regex.findall(r"[\p{L}\p{M}\p{N}]+", key))
