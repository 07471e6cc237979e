"""Devanagari to Latin for tag display names and slugs, deleting the inherent schwa.

A consonant letter carries an inherent "a" that Hindi often does not
pronounce: "पुतिन" is "Putin", not "Putina". The rule used here is the
common approximation: drop the schwa at the end of a word, and before a
consonant that is followed by a vowel sign (C a C V -> C C V) when the
preceding syllable is not itself schwa-dropped.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

import regex

VIRAMA = "\u094d"
NUKTA = "\u093c"


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    text = resources.files("khabar.enrich").joinpath("data/deva-latin.tsv").read_text("utf-8")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        deva, latin, kind = line.split("\t")
        table[unicodedata.normalize("NFC", deva)] = (latin, kind)
        # NFC decomposes the nukta letters; index both spellings.
        table[unicodedata.normalize("NFD", deva)] = (latin, kind)
    return table


def _units(word: str) -> list[tuple[str, str]]:
    """Split a word into (latin, kind) units; consonant+nukta is one unit."""
    table = _table()
    units: list[tuple[str, str]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and pair[1] == NUKTA and pair in table:
            units.append(table[pair])
            i += 2
            continue
        ch = word[i]
        if ch == VIRAMA:
            units.append(("", "virama"))
        elif ch in table:
            units.append(table[ch])
        elif ch != NUKTA:
            units.append((ch, "other"))
        i += 1
    return units


def _word(word: str) -> str:
    units = _units(word)
    out: list[str] = []
    n = len(units)
    for i, (latin, kind) in enumerate(units):
        out.append(latin)
        if kind != "c":
            continue
        nxt = units[i + 1][1] if i + 1 < n else None
        if nxt in ("m", "virama"):
            continue  # the vowel sign or virama replaces the schwa
        if nxt is None or nxt == "other":
            # A one-letter word keeps its vowel, and so does a final conjunct
            # ("महाराष्ट्र" Maharashtra, "मित्र" mitra).
            if i == 0 or units[i - 1][1] == "virama":
                out.append("a")
            continue
        after = units[i + 2][1] if i + 2 < n else None
        # C a C V: the schwa drops before a consonant that has its own vowel,
        # unless this is the first syllable ("कमल" kamal, not kmal).
        if nxt == "c" and after in ("m",) and i > 0 and units[i - 1][1] in ("m", "v"):
            continue
        out.append("a")
    return "".join(out)


def to_latin(text: str) -> str:
    """Romanise Devanagari words, leaving other characters as they are."""
    return regex.sub(r"[\p{Devanagari}]+", lambda m: _word(m.group(0)), text)


def english_name(text: str) -> str:
    """A display name for a tag: Latin text title-cased; Devanagari romanised first."""
    latin = to_latin(text) if regex.search(r"\p{Devanagari}", text) else text
    if latin.isupper() or not latin.islower():
        return " ".join(latin.split())
    return " ".join(w[:1].upper() + w[1:] for w in latin.split())


def slugify(text: str) -> str:
    """A stable ASCII URL slug: romanised, lower-case, hyphenated."""
    latin = unicodedata.normalize("NFKD", to_latin(text))
    latin = "".join(ch for ch in latin if not unicodedata.combining(ch)).lower()
    slug = regex.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return slug or "tag"
