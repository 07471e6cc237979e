"""Script and language detection on hand-written and real texts."""

from __future__ import annotations

import json

import pytest

from conftest import require_shared
from khabar.errors import LanguageError
from khabar.lang import SUPPORTED_LANGUAGES, detect
from khabar.lang.detect import looks_like_krutidev


@pytest.mark.parametrize(
    ("text", "lang", "script"),
    [
        ("रूस और नॉर्थ कोरिया ने हाल के वर्षों में गहरे संबंध बनाए हैं.", "hi", "Deva"),
        ("प्रधानमंत्री मोदी", "hi", "Deva"),  # no marker: Hindi first
        (
            "मुंबई महानगरपालिकेच्या निवडणुका लवकरच होणार आहेत आणि सर्व पक्षांनी तयारी सुरू केली आहे.",
            "mr",
            "Deva",
        ),
        ("राज्य सरकारने नवीन धोरण जाहीर केले आहे.", "mr", "Deva"),
        ("नेपालमा आज ठूलो पानी परेको छ र धेरै मानिसहरू प्रभावित भएका छन्।", "ne", "Deva"),
        ("सरकारले नयाँ नीति ल्याएको छ।", "ne", "Deva"),
        ("ধর্মীয় অনুভূতিতে আঘাতের অভিযোগে করা মামলায় জামিন পেয়েছেন।", "bn", "Beng"),
        ("The president said that the talks will resume on Friday.", "en", "Latn"),
        ("ਪੰਜਾਬੀ ਭਾਸ਼ਾ ਦੀ ਖ਼ਬਰ", "pa", "Guru"),
        ("ગુજરાતી સમાચાર", "gu", "Gujr"),
        ("தமிழ் செய்திகள்", "ta", "Taml"),
        ("తెలుగు వార్తలు", "te", "Telu"),
        ("ಕನ್ನಡ ಸುದ್ದಿ", "kn", "Knda"),
        ("മലയാളം വാർത്ത", "ml", "Mlym"),
        ("ଓଡ଼ିଆ ଖବର", "or", "Orya"),
        ("یہ اردو کی ایک خبر ہے اور یہ بہت اہم ہے", "ur", "Arab"),
    ],
)
def test_detect(text: str, lang: str, script: str) -> None:
    result = detect(text)
    assert (result.lang, result.script) == (lang, script)
    assert 0.0 < result.confidence <= 1.0
    assert result.romanized is False


def test_unsupported_scripts_are_reported_not_supported() -> None:
    for text in ("සිංහල පුවත", "ትግርኛ ዜና", "Русские новости"):
        assert detect(text).lang not in SUPPORTED_LANGUAGES


@pytest.mark.parametrize(
    "text",
    [
        "yeh kya ho raha hai, mujhe nahi pata",
        "Modi ne kaha ki sarkar kisanon ke saath hai aur rahegi",
        "mein bhi aa raha hoon",
    ],
)
def test_romanized_hindi(text: str) -> None:
    result = detect(text)
    assert (result.lang, result.script, result.romanized) == ("hi", "Latn", True)


def test_english_tag_line_is_english() -> None:
    result = detect("Russia Ukraine War, Russia North Korea Military Ties, Vladimir Putin")
    assert (result.lang, result.romanized) == ("en", False)


def test_mixed_text_goes_by_majority_script(seed_text: str) -> None:
    result = detect(seed_text)
    assert (result.lang, result.script) == ("hi", "Deva")
    assert result.confidence > 0.5


@pytest.mark.parametrize("text", ["", "   ", "123 456", "!!! ... ।", "\u200b\u200d", "१२३"])
def test_no_letters_raises(text: str) -> None:
    with pytest.raises(LanguageError) as info:
        detect(text)
    assert info.value.reason == "no_letters"


def _jsonl_texts(path_parts: tuple[str, ...], limit: int) -> list[str]:
    path = require_shared(*path_parts)
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if len(texts) == limit:
                break
    return texts


@pytest.mark.shared
def test_bbc_hindi_articles_are_hindi() -> None:
    texts = _jsonl_texts(("data", "bbc-hindi-articles", "hindi-cleaned-test.jsonl"), 20)
    assert len(texts) == 20
    assert [detect(t).lang for t in texts] == ["hi"] * 20


@pytest.mark.shared
def test_bnlpc_articles_are_bengali() -> None:
    texts = _jsonl_texts(("data", "bnlpc-bengali-dev", "bnlpc-dev.jsonl"), 1000)
    assert len(texts) >= 50
    assert {detect(t).lang for t in texts} == {"bn"}


@pytest.mark.shared
def test_bbc_hindi_headlines_are_hindi() -> None:
    # Short texts are the hard case for telling Hindi from Marathi and Nepali.
    folder = require_shared("data", "bbc-hindi-headlines", "Classification", "BBC")
    headlines: list[str] = []
    for path in sorted(folder.glob("BBC_*_data.tsv")):
        rows = path.read_text(encoding="utf-8").splitlines()[1:]
        headlines += [row.split("\t")[0] for row in rows if row.strip()]
    assert len(headlines) > 4000
    devanagari = [h for h in headlines if detect(h).script == "Deva"]
    hindi = sum(1 for h in devanagari if detect(h).lang == "hi")
    assert hindi / len(devanagari) >= 0.995


KRUTIDEV = (
    "jkT; ljdkj us lkseokj dks 'kgj ds lHkh ljdkjh LdwYkksa esa ubZ iqLrdky; ;kstuk "
    "'kq: djus dk QSlyk fd;kA f'k{kk ea=h us crk;k fd igys pj.k esa nks lkS LdwYkksa dks "
    "fdrkcsa nh tk,axhA"
)


def test_krutidev_text_is_refused_with_its_reason() -> None:
    with pytest.raises(LanguageError) as info:
        detect(KRUTIDEV)
    assert info.value.reason == "legacy_font_encoding"
    assert "Kruti Dev" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "The state government on Monday decided to start a new library scheme in all "
        "government schools of the city, the education minister said.",
        "DS and DK are initials; ls -l lists files; dj sets played at the club on Monday.",
        "yeh kya ho raha hai, sarkar ne kaha ki naye school khulenge",
    ],
)
def test_english_and_romanised_hindi_are_not_krutidev(text: str) -> None:
    assert not looks_like_krutidev(text)
    assert detect(text).lang in ("en", "hi")
