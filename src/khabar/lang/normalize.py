"""Unicode clean-up that every later stage relies on.

The canonical form chosen here:

* NFC, which *decomposes* the precomposed nukta letters क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़
  (U+0958..U+095F) and Bengali ড় ঢ় য় (U+09DC, U+09DD, U+09DF): they are
  composition exclusions, so "consonant + ़ (U+093C)" is the only form NFC can
  keep stable. We accept that instead of fighting it, so the result is
  idempotent by construction.
* a nukta typed after a vowel sign is moved back onto its consonant.
* ZWJ/ZWNJ kept only where they change the rendering of a conjunct: right
  after a virama before a letter (half forms, explicit virama) or between a
  letter and a virama (eyelash ra, Bengali ra-phala "র‍্য"). Anywhere else they
  are copy-paste debris that splits words for search and dedup.
* Malayalam chillus spelled with a joiner ("ല്‍") written as the atomic
  letter ("ൽ").
* invisible characters (zero-width space, word joiner, BOM, soft hyphen)
  removed; Indic, Arabic and Urdu digits turned into ASCII; curly quotes made
  straight; runs of horizontal space collapsed to one space; newlines kept.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# ZWSP, word joiner, BOM/ZWNBSP, soft hyphen, Mongolian vowel separator, and
# the bidi marks, embeddings, overrides and isolates: none of the supported
# scripts needs them (Urdu's right-to-left order is the text's own), and an
# RLO in a headline reverses what a reader sees ("Trojan Source";
# tests/hardening corpus rtl-overrides.html).
_INVISIBLE = re.compile(
    "[\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]+"
)
# Every Brahmic virama Unicode has, so the joiner rule is script-agnostic.
_VIRAMA = "\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca"
_JOINER = regex.compile(
    rf"(?<=[{_VIRAMA}])[\u200c\u200d](?=\p{{L}})"  # keep: virama + joiner + letter
    rf"|(?<=\p{{L}})[\u200c\u200d](?=[{_VIRAMA}])"  # keep: letter + joiner + virama
    r"|([\u200c\u200d])",  # drop: anything else (captured)
)
# Devanagari consonant, then vowel sign(s), then the nukta that belongs on the consonant.
_LATE_NUKTA = regex.compile("([\u0915-\u0939])([\u093e-\u094c]+)\u093c")
_LATE_NUKTA_BN = regex.compile("([\u0995-\u09b9])([\u09be-\u09cc]+)\u09bc")
_DIGITS = str.maketrans(
    {
        # Devanagari ०-९, Bengali ০-৯, then Gurmukhi, Gujarati, Odia, Tamil,
        # Telugu, Kannada and Malayalam digits, then Arabic-Indic and Urdu's
        # extended Arabic-Indic ones.
        **{chr(zero + i): str(i)
           for zero in (0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
                        0x0D66, 0x0660, 0x06F0)
           for i in range(10)},
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\r": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
# str.translate looks every character up in the table, which costs more than
# the rest of normalize on Devanagari text; a scan for the table's keys is cheap.
_TRANSLATED = re.compile("[" + "".join(chr(c) for c in _DIGITS) + "]")
# Horizontal space only: a newline is a paragraph break that sentence
# splitting needs to see.
# A lone " " is left alone (it is already canonical), so ordinary prose
# costs no replacements.
_SPACES = re.compile(
    r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}"
    r"|[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)


def _drop_stray_joiner(match: regex.Match[str]) -> str:
    """Keep a joiner the pattern allowed; drop the captured stray one."""
    return "" if match.group(1) else match.group(0)


def _settle_marks(text: str) -> str:
    """Drop stray joiners and move late nuktas back until neither changes ``text``.

    The two rules and NFC feed each other: dropping a joiner brings a vowel
    sign and a nukta together ("भ ी ZWJ ़"), moving a nukta onto न composes
    to ऩ, and NFC reorders marks around a kept joiner. One pass of each left
    text that a second call changed (tests/hardening/regressions/
    fuzz-lang-joiner-nukta.txt). It ends: each changing round drops a joiner
    or moves a nukta left, and nothing adds either.
    """
    while True:
        out = text
        if "\u200c" in out or "\u200d" in out:
            out = _JOINER.sub(_drop_stray_joiner, out)
        if "\u093c" in out:
            out = _LATE_NUKTA.sub("\\1\u093c\\2", out)
        if "\u09bc" in out:
            out = _LATE_NUKTA_BN.sub("\\1\u09bc\\2", out)
        if out == text:
            return text
        text = unicodedata.normalize("NFC", out)


# Malayalam's old spelling of the chillu (dead-consonant) letters: consonant,
# virama, ZWJ ("ല്‍"). The joiner rule would drop the ZWJ at a word's end
# and leave a different word; the atomic chillu is what modern text writes.
_CHILLU = regex.compile("([\u0d23\u0d28\u0d30\u0d32\u0d33\u0d15])\u0d4d\u200d")
_CHILLUS = {"\u0d23": "\u0d7a", "\u0d28": "\u0d7b", "\u0d30": "\u0d7c", "\u0d32": "\u0d7d",
            "\u0d33": "\u0d7e", "\u0d15": "\u0d7f"}


def normalize(text: str) -> str:
    """Return ``text`` in khabar's canonical form (idempotent).

    NFC; nukta letters in NFC's decomposed form (consonant + U+093C); stray
    ZWJ/ZWNJ, zero-width spaces, BOMs, soft hyphens and bidi marks removed; Indic, Arabic
    and Urdu digits as ASCII; curly quotes straight; CRLF, CR and Unicode line
    separators as ``\\n``; runs of spaces and tabs as one space. Newlines are
    kept so paragraph breaks survive.

    >>> normalize("क़ीमत “१०”\\u200b  रुपये")
    'क़ीमत "10" रुपये'
    """
    text = text.replace("\r\n", "\n")
    text = _INVISIBLE.sub("", text)
    if _TRANSLATED.search(text):
        text = text.translate(_DIGITS)
    text = unicodedata.normalize("NFC", text)
    if "\u0d4d\u200d" in text:
        text = _CHILLU.sub(lambda m: _CHILLUS[m.group(1)], text)
    # Runs only when a trigger character is present: most text has none, and
    # normalize runs on every line of every page.
    if "\u093c" in text or "\u09bc" in text or "\u200c" in text or "\u200d" in text:
        text = _settle_marks(text)
    return _SPACES.sub(" ", text)
