from __future__ import annotations

from pathlib import Path

import pytest

from khabar.enrich.entities import (
    default_gazetteer,
    desk_counts,
    find_entities,
    load_gazetteer,
    parse_gazetteer,
)
from khabar.errors import ConfigError


def test_gazetteer_ships_and_matches_variants() -> None:
    gaz = default_gazetteer()
    assert len(gaz) > 100
    entry = gaz.lookup("उत्तर कोरिया")
    assert entry is not None and entry.english == "North Korea"
    # Nukta spellings fold together.
    found = gaz.lookup("गजा")
    assert found is not None and found.english == "Gaza"


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("रूस\tRussia", "line 2"),
        ("रूस\tRussia\tcountry", "kind must be one of"),
        ("\tRussia\tplace", "must not be empty"),
        ("a\tb\tplace\tx\tIN\textra", "expected 3 to 5"),
        ("a\tb\tplace\tx\tIndia", "two-letter ISO 3166 code"),
    ],
)
def test_malformed_gazetteer_line_is_named(line: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_gazetteer(f"# header\n{line}\n", "mine.tsv")
    assert fragment in str(err.value)
    assert "mine.tsv, line 2" in str(err.value)


def test_every_shipped_name_but_the_news_agencies_has_a_country() -> None:
    gaz = default_gazetteer()
    missing = {e.english for e in gaz.entries if not e.country}
    assert missing == {"NDTV", "BBC", "Reuters", "PTI", "ANI"}
    assert gaz.lookup("पुतिन").country == "RU"  # type: ignore[union-attr]
    assert gaz.lookup("लखनऊ").country == "IN"  # type: ignore[union-attr]


def test_desk_counts_tell_home_from_abroad() -> None:
    text = ("लखनऊ में मुख्यमंत्री योगी आदित्यनाथ ने कहा कि उत्तर प्रदेश में निवेश बढ़ा है। "
            "उधर मॉस्को में पुतिन ने यूक्रेन पर बयान दिया, पीटीआई के मुताबिक।")
    assert desk_counts(text) == (3, 3)
    assert desk_counts(text, home="RU") == (2, 4)
    assert desk_counts("कोई नाम नहीं, 42") == (0, 0)
    user = parse_gazetteer("विदर्भ\tVidarbha\tplace\t\tIN\n")
    assert user[0].country == "IN" and user[0].variants == ()


def test_user_gazetteer_extends_the_shipped_one(tmp_path: Path) -> None:
    user = tmp_path / "extra.tsv"
    user.write_text("विदर्भ\tVidarbha\tplace\tविदर्भा\n", encoding="utf-8")
    gaz = load_gazetteer(user)
    assert len(gaz) == len(default_gazetteer()) + 1
    entities = find_entities("विदर्भ ने फ़ाइनल जीता। विदर्भा की टीम खुश है।", gazetteer=gaz)
    assert [(e.english, e.count) for e in entities] == [("Vidarbha", 2)]
    bad = tmp_path / "bad.tsv"
    bad.write_text("ok\tOK\tplace\nbroken line\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        load_gazetteer(bad)


def test_title_rule_finds_people_not_in_the_gazetteer() -> None:
    text = "मुख्यमंत्री भजनलाल शर्मा ने कहा कि काम होगा। बाद में शर्मा ने बैठक की।"
    people = [e for e in find_entities(text) if e.kind == "person"]
    assert [(e.name, e.count) for e in people] == [("भजनलाल शर्मा", 2)]
    assert people[0].english.endswith(" Sharma")


def test_title_rule_stops_at_days_and_elections() -> None:
    names = {e.name for e in find_entities("राष्ट्रपति चुनाव में सोमवार को मतदान होगा।")}
    assert "चुनाव" not in names


def test_acronym_in_parentheses_names_its_long_form() -> None:
    text = "आधिकारिक डेमो सेंट्रल न्यूज एजेंसी (डीसीएनए) ने कहा। डीसीएनए ने फिर कहा।"
    orgs = [e for e in find_entities(text) if e.kind == "org"]
    assert [o.name for o in orgs] == ["डेमो सेंट्रल न्यूज एजेंसी"]
    assert "डीसीएनए" in orgs[0].aliases
    assert orgs[0].count >= 2
    # A gloss in parentheses is not an acronym.
    assert not [e for e in find_entities("सेवा कर्मियों (जवानों) ने") if e.kind == "org"]


@pytest.mark.parametrize("text", ["", "12345 678", "Only English words here.", "((()))", "(एए)"])
def test_odd_text_never_crashes(text: str) -> None:
    assert isinstance(find_entities(text), list)


def test_bengali_names_are_found_in_their_case_forms() -> None:
    """Bengali writes case endings onto names: "খালেদা জিয়ার" (of Khaleda Zia) and
    "বিএনপিতে" (in the BNP) had come out as the keyphrases "খালেদা" and "জিয়া"."""
    text = ("বিএনপিতে খালেদা জিয়ার প্রতিদ্বন্দ্বী নেই। খালেদা জিয়া আবারও চেয়ারপারসন হচ্ছেন। "
            "ঢাকার নয়াপল্টনে বিএনপির কার্যালয়ে মনোনয়নপত্র জমা পড়েছে।")
    found = {e.english: e for e in find_entities(text, language="bn")}
    assert found["Khaleda Zia"].count == 2, found
    assert found["BNP"].count == 2 and found["BNP"].kind == "org", found
    assert found["Dhaka"].kind == "place", found
    # Hindi needs none of it (its postpositions stand apart): read as Hindi, only
    # the bare mention counts.
    as_hindi = {e.english: e for e in find_entities(text, language="hi")}
    assert as_hindi["Khaleda Zia"].count == 1, as_hindi
