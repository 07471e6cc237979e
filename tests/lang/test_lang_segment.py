"""Sentence splitting on hand-written sentences and on the seed page."""

from __future__ import annotations

import pytest

from khabar.lang import normalize, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # NDTV-style full stops, dandas, questions.
        (
            "पुतिन ने कॉल किया. किम ने बात की। क्या शांति आएगी? हाँ!",
            "hi",
            ["पुतिन ने कॉल किया.", "किम ने बात की।", "क्या शांति आएगी?", "हाँ!"],
        ),
        # Abbreviations do not end sentences.
        (
            "डॉ. शर्मा और श्री. मोदी मिले. प्रो. राव सं. 5 में थे.",
            "hi",
            ["डॉ. शर्मा और श्री. मोदी मिले.", "प्रो. राव सं. 5 में थे."],
        ),
        # Numbers and initials do not split.
        (
            "विकास दर 3.5 प्रतिशत रही. ए.पी.जे. अब्दुल कलाम राष्ट्रपति थे.",
            "hi",
            ["विकास दर 3.5 प्रतिशत रही.", "ए.पी.जे. अब्दुल कलाम राष्ट्रपति थे."],
        ),
        (
            "जी. किशन रेड्डी ने कहा. NDTV.in पर पढ़ें.",
            "hi",
            ["जी. किशन रेड्डी ने कहा.", "NDTV.in पर पढ़ें."],
        ),
        # Texts that lost their line breaks (BBC Hindi's cleaned set): a straight
        # quote glued to both sentences opens the next one, and so does "(".
        (
            "यह लेख आईपैड पर लिखा है.'दि रिसर्च प्रोजेक्ट' की मदद से बना. किसने किया?'मैंने प्यार किया' चली.",
            "hi",
            ["यह लेख आईपैड पर लिखा है.", "'दि रिसर्च प्रोजेक्ट' की मदद से बना.", "किसने किया?",
             "'मैंने प्यार किया' चली."],
        ),
        (
            "वे प्रीमियर में मौजूद नहीं थे.(हुमा की तस्वीर) वैसे फ़िल्म चली.",
            "hi",
            ["वे प्रीमियर में मौजूद नहीं थे.", "(हुमा की तस्वीर) वैसे फ़िल्म चली."],
        ),
        # Closing quotes stay with their sentence.
        (
            'उन्होंने कहा, "हम तैयार हैं." फिर वे चले गए।',
            "hi",
            ['उन्होंने कहा, "हम तैयार हैं."', "फिर वे चले गए।"],
        ),
        ('क्या यह सच है?" उसने पूछा.', "hi", ['क्या यह सच है?"', "उसने पूछा."]),
        # A dot squeezed between two Hindi words (a typo) still ends the sentence.
        ("वह आया.लेकिन चला गया.", "hi", ["वह आया.", "लेकिन चला गया."]),
        # An ellipsis is a pause, not a stop; a newline always is.
        ("मोदी बोले... सब ठीक है\nअगली खबर", "hi", ["मोदी बोले... सब ठीक है", "अगली खबर"]),
        # Spaced dandas as in the Hindi COVID corpus.
        ("सरकार ने आदेश दिया । लोग घर पर रहें ।", "hi", ["सरकार ने आदेश दिया ।", "लोग घर पर रहें ।"]),
        # Marathi and Nepali.
        (
            "डॉ. पाटील म्हणाले की निवडणुका होणार आहेत. सर्व पक्ष तयार आहेत.",
            "mr",
            ["डॉ. पाटील म्हणाले की निवडणुका होणार आहेत.", "सर्व पक्ष तयार आहेत."],
        ),
        (
            "नेपालमा पानी परेको छ। धेरै मानिस प्रभावित भएका छन्।",
            "ne",
            ["नेपालमा पानी परेको छ।", "धेरै मानिस प्रभावित भएका छन्।"],
        ),
        # Bengali, with "মো." as a title.
        (
            "বিচারপতি মো. নিজামুল হক আদেশ দেন। তিনি কী বললেন?",
            "bn",
            ["বিচারপতি মো. নিজামুল হক আদেশ দেন।", "তিনি কী বললেন?"],
        ),
        # English.
        (
            "Mr. Smith met Dr. Rao in the U.S. capital. J. K. Rowling wrote 3.5 books. Really?",
            "en",
            [
                "Mr. Smith met Dr. Rao in the U.S. capital.",
                "J. K. Rowling wrote 3.5 books.",
                "Really?",
            ],
        ),
        ("See e.g. the report. It is long.", "en", ["See e.g. the report.", "It is long."]),
        # "No." before a number is a numbering abbreviation (a Newsroom story
        # split "whose No. | 10 Dallara"); before a word it may end a sentence.
        (
            "Franchitti, whose No. 10 car starts sixth, won. The answer was No. Then he left.",
            "en",
            ["Franchitti, whose No. 10 car starts sixth, won.", "The answer was No.",
             "Then he left."],
        ),
        # ... also tokenized, as Newsroom's text is ("whose No . 10 Dallara"),
        # where a spaced dot still ends a sentence.
        (
            "Franchitti , whose No . 10 car starts sixth , won . Then he left .",
            "en",
            ["Franchitti , whose No . 10 car starts sixth , won .", "Then he left ."],
        ),
        # A dot glued between an Hindi word and a figure ends a sentence (BBC
        # Hindi's texts lost their line breaks), but not after an abbreviation.
        (
            "वे यात्रा पर जाएंगे.16 मई से वे मिलेंगे. कीमत रु.500 है. मकान नं.5 में आग लगी.",
            "hi",
            ["वे यात्रा पर जाएंगे.", "16 मई से वे मिलेंगे.", "कीमत रु.500 है.",
             "मकान नं.5 में आग लगी."],
        ),
        # Romanised Hindi goes through the same rules.
        (
            "yeh kya ho raha hai? mujhe nahi pata.",
            "hi",
            ["yeh kya ho raha hai?", "mujhe nahi pata."],
        ),
        ("", "hi", []),
        ("  \n ", "hi", []),
    ],
)
def test_split_sentences(text: str, lang: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected


def test_url_query_marks_do_not_split() -> None:
    assert split_sentences("देखें https://x.com/a?id=3&b=4 पर. बस!") == [
        "देखें https://x.com/a?id=3&b=4 पर.",
        "बस!",
    ]


def test_spans_cover_text_and_match_sentences() -> None:
    text = "  पहला वाक्य है.  दूसरा?\n\n तीसरा।  "
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert [text[a:b].strip() for a, b in spans] == split_sentences(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert sentence_spans("") == []
    assert sentence_spans("   ") == [(0, 3)]


def _seed_body(seed_text: str) -> str:
    start = seed_text.index("क्या रूस और यूक्रेन")
    end = seed_text.index("यह भी पढ़ें:")
    return normalize(seed_text[start:end])


def test_seed_body_sentences(seed_text: str) -> None:
    sentences = split_sentences(_seed_body(seed_text))
    # 7 paragraphs: 4 + 1 + 2 + 1 (sub-heading) + 1 + 3 + 1.
    assert len(sentences) == 13
    assert sentences[0].endswith("आ गया है?")
    assert sentences[7] == "क्या अलास्का में निकलेगी शांति की राह?"
    assert sentences[6].endswith('समर्थन करेगा".')
    assert sentences[-1].startswith("नॉर्थ कोरिया ने अप्रैल में")


def test_seed_quoted_paragraph_is_one_sentence(seed_text: str) -> None:
    body = _seed_body(seed_text)
    paragraph = next(p for p in body.split("\n") if p.startswith("आधिकारिक कोरियन सेंट्रल"))
    sentences = split_sentences(paragraph)
    assert len(sentences) == 1
    assert sentences[0] == paragraph.strip()


def test_seed_page_lines_split(seed_text: str) -> None:
    text = normalize(seed_text)
    sentences = split_sentences(text)
    assert "Read Time: 2 mins" in sentences
    assert "हमें बताएं।" in sentences
    follow_line = next(s for s in sentences if s.startswith("NDTV.in पर"))
    assert follow_line.endswith("न्यूज\u093c अपडेट पाएं")  # "NDTV.in" does not split
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text


def test_urdu_full_stop_and_question_mark_end_sentences() -> None:
    text = "یہ پہلی خبر ہے۔ کیا یہ دوسری ہے؟ ہاں، یہ تیسری ہے۔"
    assert split_sentences(text, "ur") == [
        "یہ پہلی خبر ہے۔", "کیا یہ دوسری ہے؟", "ہاں، یہ تیسری ہے۔"]


@pytest.mark.parametrize("text", ["மு.க. ஸ்டாலின் பேசினார். அவர் கூறினார்.",
                                  "மு. க. ஸ்டாலின் பேசினார். அவர் கூறினார்."])
def test_dravidian_initials_do_not_end_a_sentence(text: str) -> None:
    """One-letter words before "." are initials in Tamil; its sentences end on longer verbs."""
    assert len(split_sentences(text, "ta")) == 2


def test_gujarati_one_letter_verb_still_ends_a_sentence() -> None:
    """"છે." ("is") is one letter long: Gujarati does not read it as an initial."""
    assert len(split_sentences("આ નિર્ણય સારો છે. બીજું વાક્ય અહીં છે.", "gu")) == 2


def test_punjabi_danda_and_glued_full_stop_between_indic_words() -> None:
    assert split_sentences("ਇਹ ਖ਼ਬਰ ਹੈ। ਦੂਜੀ ਗੱਲ ਹੈ।", "pa") == ["ਇਹ ਖ਼ਬਰ ਹੈ।", "ਦੂਜੀ ਗੱਲ ਹੈ।"]
    assert len(split_sentences("ಮಳೆ ಸುರಿಯಿತು.ನಗರದಲ್ಲಿ ನೀರು ನಿಂತಿದೆ.", "kn")) == 2
