"""Unicode normalisation: NFC, nukta, joiners, digits, quotes, spaces."""

from __future__ import annotations

import unicodedata

import pytest

from khabar.lang import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Precomposed nukta letters (composition exclusions) become consonant + nukta.
        ("\u0958\u0940\u092e\u0924", "\u0915\u093c\u0940\u092e\u0924"),  # क़ीमत
        ("\u095c", "\u0921\u093c"),  # ड़
        ("\u09dc", "\u09a1\u09bc"),  # Bengali ড়
        # A nukta typed after the vowel sign goes back onto its consonant.
        ("\u091c\u093e\u093c", "\u091c\u093c\u093e"),
        # Digits.
        ("२०२५ में ३.५%", "2025 में 3.5%"),
        ("১০ মামলায়", "10 মামলায়"),
        # Curly quotes.
        ("“गर्मजोशी” ‘भरे’", "\"गर्मजोशी\" 'भरे'"),
        # Invisible characters.
        ("पु\u200bतिन\ufeff", "पुतिन"),
        ("नॉर्\u00adथ", "नॉर्थ"),
        # Horizontal space collapses, newlines stay.
        ("एक  \t दो\n\nतीन\u00a0 चार", "एक दो\n\nतीन चार"),
        ("a\r\nb\rc", "a\nb\nc"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_joiners_kept_only_next_to_a_virama() -> None:
    half_form = "क्\u200dष"  # explicit half form: virama + ZWJ + consonant
    assert normalize(half_form) == half_form
    no_conjunct = "क्\u200cष"  # virama + ZWNJ + consonant
    assert normalize(no_conjunct) == no_conjunct
    ra_phala = "\u09b0\u200d\u09cd\u09af\u09be\u09ac"  # Bengali র‍্যাব
    assert normalize(ra_phala) == ra_phala
    # Stray joiners between ordinary letters, at word edges, or doubled go.
    assert normalize("पु\u200dतिन") == "पुतिन"
    assert normalize("\u200cपुतिन\u200d ने") == "पुतिन ने"
    assert normalize("क्\u200d\u200dष") == "क्ष"


def test_output_is_nfc_and_idempotent_on_seed(seed_text: str) -> None:
    once = normalize(seed_text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "  " not in once
    assert once.count("\n") == seed_text.count("\n")


def test_indic_and_arabic_digits_become_ascii() -> None:
    assert normalize("૧૪ ઓગસ્ટ ੨੦੨੫ ୨ ௧௦ ౩ ೪ ൫ ١٢ ۲۰۲۵") == "14 ઓગસ્ટ 2025 2 10 3 4 5 12 2025"


def test_malayalam_old_chillu_spelling_becomes_the_atomic_letter() -> None:
    old = "ഏപ്രില്\u200d 2025, അവന്\u200d"
    assert normalize(old) == "ഏപ്രിൽ 2025, അവൻ"
    assert normalize(normalize(old)) == normalize(old)


def test_bidi_marks_are_removed() -> None:
    assert normalize("\u200fسری نگر\u200e 2025\u061c") == "سری نگر 2025"
