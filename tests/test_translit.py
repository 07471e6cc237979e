import pytest

from khabar.enrich import english_name, make_tag, slugify, to_latin
from khabar.enrich.entities import default_gazetteer
from khabar.enrich.translit import lookup_form, to_devanagari


def romanised(deva: str) -> str:
    """The transliteration alone, capitalised as display names are (no word table)."""
    return " ".join(w[:1].upper() + w[1:] for w in to_latin(deva).split())


@pytest.mark.parametrize(
    ("deva", "latin"),
    [
        ("पुतिन", "Putin"),
        ("व्लादिमीर पुतिन", "Vladimir Putin"),
        ("किम जोंग", "Kim Jong"),
        ("कमल", "Kamal"),
        ("भारत", "Bharat"),
        ("महाराष्ट्र", "Maharashtra"),
        ("दिल्ली", "Dilli"),
        # Session 11: a medial schwa between a vowel and a voiced consonant goes,
        # also after a single consonant's kept schwa; never after a cluster.
        ("सरकार", "Sarkar"),
        ("अजमल", "Ajmal"),
        ("पटना", "Patna"),
        ("नेटवर्क", "Netvark"),
        ("जर्मनी", "Jarmani"),
        ("उत्तराखंड", "Uttarakhand"),
        ("राष्ट्रपति", "Rashtrapati"),
        # A final cluster keeps its vowel unless it ends as English loanwords do.
        ("फ़िल्म", "Film"),
        ("सिक्स", "Siks"),
        ("टेस्ट", "Test"),
        ("मित्र", "Mitra"),
        ("गुप्त", "Gupta"),
        ("शुक्ल", "Shukla"),
        ("कृष्ण", "Krishna"),
    ],
)
def test_schwa_deletion(deva: str, latin: str) -> None:
    assert romanised(deva) == latin


def test_tags_keep_both_forms_and_a_stable_slug() -> None:
    tag = make_tag("व्लादिमीर पुतिन", "keyphrase")
    assert (tag.name, tag.english, tag.slug) == (
        "व्लादिमीर पुतिन",
        "Vladimir Putin",
        "vladimir-putin",
    )
    assert make_tag("Russia Ukraine War").slug == "russia-ukraine-war"
    assert slugify("!!!") == "tag"


def test_better_display_names_do_not_move_tag_pages() -> None:
    """Slugs are URLs: they keep the romanisation they were first made with."""
    for name, english, slug in [("सरकार", "Government", "sarakar"), ("फ़िल्म", "Film", "filma"),
                                ("डोनाल्ड ट्रंप", "Donald Tranp", "donalda-tranp")]:
        tag = make_tag(name, "keyphrase")
        assert (tag.english, tag.slug) == (english, slug)
    # A gazetteer's English name still makes the slug.
    assert make_tag("पटना", "entity", "Patna").slug == "patna"


@pytest.mark.parametrize(
    ("deva", "english"),
    [
        # English words in Devanagari, months and demonyms read as English
        # (enrich/data/english-words.hi.tsv), the whole name before its words.
        ("रिपोर्ट", "Report"),
        ("रिसर्च", "Research"),
        ("फ़ोन", "Phone"),  # folded: the table's "फोन" matches with the nukta too
        ("कोरोना वायरस", "Coronavirus"),
        ("कोरोना मरीज", "Corona Patients"),
        # Topic words are translated when every word can be, else romanised whole.
        ("स्वास्थ्य मंत्रालय", "Health Ministry"),
        ("केंद्र सरकार", "Central Government"),
        ("मुख्य चिकित्सा अधिकारी", "Chief Medical Officer"),  # a listed phrase
        ("मुख्य चिकित्सा सलाहकार", "Mukhya Chikitsa Salahkar"),  # not all words known
        ("सीमा", "Sima"),  # a name as often as "border": not in the list
        ("मार्च", "March"),
        ("भारतीय", "Indian"),
        # Words that spell Latin letters are written in them.
        ("पीजीआई", "PGI"),
        ("आईसीएमआर", "ICMR"),
        ("बीबी", "Bibi"),  # "wife", not "BB": two letters must differ
        # Surnames as their bearers write them in English.
        ("रघुवीर सिंह राठौड़", "Raghuvir Singh Rathore"),
        ("रेपो रेट", "Repo Rate"),
        # English names keep their function words English and lower-case.
        ("नेशनल पेमेंट्स कॉरपोरेशन ऑफ इंडिया", "National Payments Corporation of India"),
        ("रिसर्च एंड डेवलपमेंट", "Research and Development"),
        ("द हिंदू", "The Hindu"),
        ("माउंट लेवोटोबी", "Mount Levotobi"),
    ],
)
def test_english_words_and_acronyms(deva: str, english: str) -> None:
    assert english_name(deva) == english


def test_english_words_do_not_move_tag_pages() -> None:
    tag = make_tag("रिपोर्ट", "keyphrase")
    assert (tag.english, tag.slug) == ("Report", slugify("रिपोर्ट"))
    assert tag.slug != "report"


def test_malformed_english_words_line_is_named() -> None:
    from khabar.enrich.translit import parse_english_words
    from khabar.errors import ConfigError

    assert parse_english_words("# note\nरिपोर्ट\tReport\n") == {"रिपोर्ट": "Report"}
    with pytest.raises(ConfigError, match="line 2"):
        parse_english_words("रिपोर्ट\tReport\nरिसर्च Research\n")
    with pytest.raises(ConfigError, match="line 1"):  # the tab one word too early
        parse_english_words("रेपो\tरेट Repo Rate\n")


def test_places_inside_a_tag_take_the_gazetteer_s_english_name() -> None:
    """"दिल्ली विश्वविद्यालय" read "Dilli Vishvavidyalay"; a person's short spelling stays put."""
    assert make_tag("दिल्ली विश्वविद्यालय", "keyphrase").english == "Delhi University"
    assert make_tag("नई दिल्ली", "keyphrase").english == "Delhi"  # a listed spelling
    assert make_tag("मुंबई इंडियंस", "keyphrase").english == "Mumbai Indians"
    # "मुर्मू" is Droupadi Murmu's short spelling: not put inside another name whole.
    assert make_tag("मुर्मू सरकार", "keyphrase").english != "Droupadi Murmu Government"
    # The slug is still made from the Hindi name: the tag's page does not move.
    assert make_tag("दिल्ली विश्वविद्यालय", "keyphrase").slug == "dilli-vishvavidyalay"


@pytest.mark.parametrize(
    ("bengali", "english", "slug"),
    [
        ("ইব্রাহিম খালেদ", "Ibrahim Khaled", "ibrahim-khaled"),
        ("বাংলাদেশ", "Bangladesh", "bangladesh"),  # Bengali's anusvara is "ng"
        ("উৎসব", "Utsab", "utsab"),  # khanda ta
        ("ঢাকা", "Dhaka", "dhaka"),
    ],
)
def test_bengali_tags_are_romanised_through_devanagari(
    bengali: str, english: str, slug: str
) -> None:
    tag = make_tag(bengali, "keyphrase")
    assert (tag.english, tag.slug) == (english, slug)


def test_tags_in_scripts_khabar_does_not_romanise_get_distinct_stable_slugs() -> None:
    """Every Bengali (and Chinese, Urdu ...) tag had the slug "tag": one page for all."""
    slugs = {make_tag(name, "keyphrase").slug for name in ("中国新闻", "اردو خبر", "日本")}
    assert len(slugs) == 3 and all(s.startswith("tag-") for s in slugs)
    assert make_tag("中国新闻", "keyphrase").slug == make_tag("中国新闻", "keyphrase").slug


def test_zero_width_joiners_are_no_letters_of_a_name() -> None:
    """Some outlets put a joiner after a virama ("टेस्‍ट"): its tag read "Tes<ZWJ>ta"."""
    assert english_name("टेस्\u200dट") == "Test"  # found in the English-word list
    assert "\u200d" not in english_name("कॉन्\u200dस्टेबल रामू")
    assert english_name("র\u200d্যাব") == english_name("র্যাব") == "RAB"


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("ਪੰਜਾਬ", "Punjab"),  # Gurmukhi, the gazetteer's Hindi spelling
        ("ਦਿੱਲੀ", "Delhi"),  # an addak doubles the consonant after it: "दिल्ली"
        ("ਅੰਮ੍ਰਿਤਸਰ", "Amritsar"),  # a tippi before a nasal doubles it
        ("ગુજરાત", "Gujarat"),
        ("నరేంద్ర మోదీ", "Narendra Modi"),
        ("హైదరాబాద్", "Hyderabad"),  # a final virama Devanagari does not write
        ("ஸ்டாலின்", "Stalin"),  # Tamil's alveolar n read as Hindi's न
    ],
)
def test_names_in_other_brahmic_scripts_find_the_gazetteer_in_devanagari_letters(
    name: str, english: str
) -> None:
    gazetteer = default_gazetteer()

    def place(word: str) -> str | None:
        found = gazetteer.lookup(word)
        return found.english if found else None

    assert english_name(name, place).endswith(english)
    assert lookup_form(name) != name


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("முருகன்", "Murugan"),  # Tamil: a stop between vowels is voiced
        ("பஞ்சாப்", "Panjab"),  # and after a nasal, ச as "j"
        ("பக்கம்", "Pakkam"),  # a doubled stop is not
        ("பசுமை", "Pasumai"),  # ச between vowels is "s"
        ("ಕರ್ನಾಟಕ", "Karnataka"),  # Dravidian words keep every inherent vowel
        ("തിരുവനന്തപുരം", "Tiruvanantapuram"),  # Malayalam's anusvara is "m"
        ("అమరావతి", "Amaravati"),
        ("સુરત", "Surat"),  # Gujarati deletes the final schwa as Hindi does
    ],
)
def test_other_brahmic_scripts_are_romanised_by_their_own_sound_rules(
    name: str, latin: str
) -> None:
    assert english_name(name) == latin


def test_to_devanagari_moves_letters_and_leaves_other_characters() -> None:
    assert to_devanagari("ગુજરાત 2025, Gujarat") == "गुजरात 2025, Gujarat"
    assert to_devanagari("বাংলা") == "बांग्ला"  # Bengali's anusvara is "ng", as before
    assert to_devanagari("ഏപ്രിൽ") == "एप्रिल्"  # a chillu is a dead consonant
    assert to_devanagari("plain") == "plain"
