"""Language and script detection.

First the script, by counting letters per Unicode script (robust even on a
few words). Then the language within the script:

* Devanagari: Hindi, Marathi or Nepali, from marker words in the data files
  ("आहे", "च्या" for Marathi; "छ", "भएको" for Nepali) blended with py3langid
  restricted to those three. Short texts with no marker fall back to Hindi,
  khabar's first language, because py3langid alone guesses Marathi for bare
  Hindi noun phrases such as "प्रधानमंत्री मोदी".
* Latin: English, or Hindi typed in Latin letters ("yeh kya ho raha hai"),
  by marker words; other Latin languages by py3langid when it is sure.
  Hindi typed for the legacy Kruti Dev font ("ljdkj us dgk", glyph codes in
  Latin letters) is refused: it is not text in any language until converted.
* Bengali script: Bengali, or Assamese when "ৰ"/"ৱ" appear.
* Other scripts map to their main language; those languages are reported
  but are not in :data:`~khabar.lang.SUPPORTED_LANGUAGES`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from ..errors import LanguageError
from ._data import read_list
from .base import get_language
from .en import romanized_hindi_markers
from .normalize import normalize
from .tokens import tokenize

# Enough text to be sure of a script and a language; reading a whole long
# article only costs time.
_SAMPLE_CHARS = 4000
# Latin text must be this sure in py3langid to be called other than English.
_LATIN_OTHER_MIN = 0.9
# Below this py3langid probability a marker-less Devanagari text is Hindi.
_DEVA_LANGID_MIN = 0.9

# ISO 15924 code, Unicode script name, candidate languages (first is the default).
_SCRIPTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Deva", "Devanagari", ("hi", "mr", "ne")),
    ("Beng", "Bengali", ("bn",)),
    ("Latn", "Latin", ("en",)),
    ("Guru", "Gurmukhi", ("pa",)),
    ("Gujr", "Gujarati", ("gu",)),
    ("Orya", "Oriya", ("or",)),
    ("Taml", "Tamil", ("ta",)),
    ("Telu", "Telugu", ("te",)),
    ("Knda", "Kannada", ("kn",)),
    ("Mlym", "Malayalam", ("ml",)),
    ("Sinh", "Sinhala", ("si",)),
    ("Arab", "Arabic", ("ur", "ar", "fa", "ps")),
    ("Cyrl", "Cyrillic", ("ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn")),
    ("Grek", "Greek", ("el",)),
    ("Hebr", "Hebrew", ("he",)),
    ("Thai", "Thai", ("th",)),
    ("Hang", "Hangul", ("ko",)),
    ("Hira", "Hiragana", ("ja",)),
    ("Kana", "Katakana", ("ja",)),
    ("Hani", "Han", ("zh",)),
    ("Geor", "Georgian", ("ka",)),
    ("Armn", "Armenian", ("hy",)),
    ("Ethi", "Ethiopic", ("am",)),
    ("Tibt", "Tibetan", ("bo",)),
)
_SCRIPT_RUNS = regex.compile(
    "|".join(rf"(?P<{code}>[\p{{{name}}}&&\p{{L}}]+)" for code, name, _ in _SCRIPTS)
    + r"|(?P<Zzzz>\p{L}+)",
    regex.V1,
)
_ASSAMESE = regex.compile("[\u09f0\u09f1]")


@dataclass(frozen=True, slots=True)
class Detection:
    """The result of :func:`detect`.

    ``lang`` is an ISO 639-1 code (possibly outside SUPPORTED_LANGUAGES),
    ``script`` an ISO 15924 code, ``confidence`` in [0, 1], and ``romanized``
    is True for an Indic language written in Latin letters.
    """

    lang: str
    script: str
    confidence: float
    romanized: bool = False


def detect(text: str) -> Detection:
    """Detect the language and script of ``text``.

    Raises:
        LanguageError: the text has no letters, or only letters of scripts
            khabar does not know (``reason`` ``"no_letters"`` or
            ``"unknown_script"``), or it is Hindi typed for a legacy font
            (``"legacy_font_encoding"``).
    """
    sample = normalize(text[: _SAMPLE_CHARS * 2])[:_SAMPLE_CHARS]
    counts: Counter[str] = Counter()
    for match in _SCRIPT_RUNS.finditer(sample):
        counts[match.lastgroup or "Zzzz"] += len(match.group())
    total = sum(counts.values())
    if not total:
        raise LanguageError("no letters to detect a language from", reason="no_letters")
    script, letters = max(counts.items(), key=lambda kv: (kv[1], kv[0] != "Zzzz"))
    if script == "Zzzz":
        raise LanguageError("text is in a script khabar does not know", reason="unknown_script")
    share = letters / total
    if script == "Deva":
        lang, confidence = _devanagari(sample)
        return Detection(lang, script, round(share * confidence, 4))
    if script == "Latn":
        lang, confidence, romanized = _latin(sample)
        return Detection(lang, script, round(share * confidence, 4), romanized)
    if script == "Beng" and _ASSAMESE.search(sample):
        return Detection("as", script, round(share, 4))
    candidates = _candidates(script)
    if len(candidates) == 1:
        return Detection(candidates[0], script, round(share, 4))
    probs = _langid(sample, candidates)
    lang = max(candidates, key=lambda c: probs.get(c, 0.0))
    return Detection(lang, script, round(share * probs.get(lang, 0.0), 4))


def _candidates(script: str) -> tuple[str, ...]:
    """Candidate languages of a script code."""
    return next(langs for code, _, langs in _SCRIPTS if code == script)


def _devanagari(sample: str) -> tuple[str, float]:
    """Hindi, Marathi or Nepali, with a confidence in [0, 1]."""
    candidates = ("hi", "mr", "ne")
    words = [w.lower() for w in tokenize(sample)]
    hits = {lang: _marker_hits(words, lang) for lang in candidates}
    probs = _langid(sample, candidates)
    marker_total = sum(hits.values())
    if not marker_total:
        best = max(candidates, key=lambda c: probs.get(c, 0.0))
        if probs.get(best, 0.0) < _DEVA_LANGID_MIN:
            return "hi", 0.5
        return best, probs[best]
    scores = {c: 0.5 * probs.get(c, 0.0) + 0.5 * hits[c] / marker_total for c in candidates}
    best = max(candidates, key=lambda c: scores[c])
    return best, scores[best]


def _marker_hits(words: list[str], lang: str) -> int:
    """How many of ``words`` are marker words or carry marker endings of ``lang``."""
    whole, endings = _markers(lang)
    return sum(1 for w in words if w in whole or (endings and w.endswith(endings)))


@cache
def _markers(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Marker words and marker endings (lines starting with "-") of ``lang``."""
    markers = get_language(lang).markers
    endings = tuple(sorted(m[1:] for m in markers if m.startswith("-") and len(m) > 1))
    return frozenset(m for m in markers if not m.startswith("-")), endings


# A Kruti Dev page has about one marker in four words; English has none of
# them as words, so a tenth of the words (and at least three) is decisive.
_KRUTIDEV_MIN_SHARE = 0.1
_KRUTIDEV_MIN_HITS = 3


def looks_like_krutidev(text: str) -> bool:
    """Whether ``text`` is Hindi typed for the legacy Kruti Dev font.

    Such text is Latin letters and signs standing for Devanagari glyphs
    ("ljdkj" for सरकार, "A" for the danda), so words are split at spaces
    only and compared case-sensitively with ``data/krutidev.markers.txt``.
    """
    markers = read_list("krutidev.markers.txt", lower=False)
    words = text.split()
    hits = sum(1 for w in words if w in markers or w.rstrip("A") in markers)
    return hits >= _KRUTIDEV_MIN_HITS and hits >= _KRUTIDEV_MIN_SHARE * len(words)


def _latin(sample: str) -> tuple[str, float, bool]:
    """English, romanised Hindi, or another Latin-script language."""
    if looks_like_krutidev(sample):
        raise LanguageError(
            "the text is Hindi typed for a legacy font (Kruti Dev): its letters stand for "
            "Devanagari glyphs; convert it to Unicode first",
            reason="legacy_font_encoding",
        )
    words = [w.lower() for w in tokenize(sample)]
    english = get_language("en").markers
    hindi = romanized_hindi_markers()
    en_hits = sum(1 for w in words if w in english)
    hi_hits = sum(1 for w in words if w in hindi)
    if hi_hits >= 2 and hi_hits > en_hits:
        return "hi", hi_hits / (hi_hits + en_hits), True
    if en_hits:
        return "en", en_hits / (en_hits + hi_hits), False
    probs = _langid(sample, None)
    best = max(probs, key=lambda c: probs[c]) if probs else "en"
    if best not in ("en", "zxx", "und") and probs[best] >= _LATIN_OTHER_MIN:
        return best, probs[best], False
    return "en", 0.5, False


def _langid(sample: str, candidates: tuple[str, ...] | None) -> dict[str, float]:
    """py3langid probabilities renormalized over ``candidates`` (all when None)."""
    ranked: list[tuple[str, float]] = _identifier().rank(sample)
    if candidates is not None:
        ranked = [(lang, p) for lang, p in ranked if lang in candidates]
    total = sum(p for _, p in ranked)
    if total <= 0:
        return {}
    return {lang: p / total for lang, p in ranked}


@cache
def _identifier() -> Any:
    """py3langid's model, loaded once on first use (it takes a moment)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
