"""Stopwords and stemmers per language."""

from __future__ import annotations

import pytest

from khabar import lang
from khabar.lang import stem, stopwords


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("सैनिकों", "hi", "सैनिक"),
        ("लड़कियों", "hi", "लड\u093cक"),
        ("पुतिन", "hi", "पुतिन"),
        ("नेपालमा", "ne", "नेपाल"),
        ("भारताच्या", "mr", "भारत"),
        ("पक्षांनी", "mr", "पक्ष"),
        ("सरकारने", "mr", "सरकार"),
        ("মামলায়", "bn", "মামলা"),
        ("সরকারের", "bn", "সরকার"),
        ("বাংলাদেশের", "bn", "বাংলাদেশ"),
        ("Running", "en", "run"),
        ("talks", "en", "talk"),
    ],
)
def test_stem(word: str, lang: str, expected: str) -> None:
    assert stem(word, lang) == expected


def test_light_stemmer_keeps_short_words() -> None:
    # Stripping "ला" from "मला" would leave one letter.
    assert stem("मला", "mr") == "मला"
    assert stem("কে", "bn") == "কে"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("hi", ["के", "में", "ने", "को", "से", "पर", "की", "का", "है", "और"]),
        ("mr", ["आहे", "आणि", "मध्ये", "होते"]),
        ("ne", ["छ", "र", "पनि", "को", "लागि", "भएको"]),
        ("bn", ["এবং", "থেকে", "জন্য"]),
        ("en", ["the", "and", "of"]),
    ],
)
def test_stopwords(lang: str, words: list[str]) -> None:
    found = stopwords(lang)
    assert isinstance(found, frozenset)
    for word in words:
        assert word in found
    assert "पुतिन" not in found


def test_truncation_stemmer_joins_case_forms_of_dravidian_names() -> None:
    kn, te = lang.get_language("kn"), lang.get_language("te")
    assert kn.stem("ಬೆಂಗಳೂರಿನಲ್ಲಿ") == kn.stem("ಬೆಂಗಳೂರು")
    assert te.stem("హైదరాబాద్‌లో") == te.stem("హైదరాబాద్")
    assert kn.stem("ಮಳೆ") == "ಮಳೆ"  # shorter words stay whole
    assert lang.get_language("ta").stem("சென்னையில்") != "சென்னையில்"  # snowball's Tamil
