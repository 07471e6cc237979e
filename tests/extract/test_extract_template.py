"""The site-template learner: lines repeated across a site's pages are chrome."""

from __future__ import annotations

import pytest

from khabar.errors import ConfigError
from khabar.extract import SiteTemplate, extract_text

# Chrome this fictional site prints on every page; none of it is in the
# built-in phrase lists, so only the template can know it.
HEADER = [
    "खबर एक्सप्रेस",
    "मुखपृष्ठ | राज्य | खेल | मनोरंजन",
    "मौसम: दिल्ली 32°C",
]
FOOTER = [
    "खबर एक्सप्रेस के साथ बने रहें और हर पल की जानकारी पाएं",
    "पढ़ने का समय: 3 मिनट",
    "© 2025 खबर एक्सप्रेस मीडिया प्राइवेट लिमिटेड",
]
STORIES = [
    (
        "नगर निगम ने शहर में नई पार्किंग नीति लागू की",
        [
            "नगर निगम ने सोमवार को शहर के व्यस्त बाजारों के लिए नई पार्किंग नीति लागू कर दी है।",
            "अधिकारियों के मुताबिक सड़क किनारे खड़े वाहनों पर अब प्रति घंटे के हिसाब से शुल्क लगेगा।",
        ],
    ),
    (
        "जिले में धान की रिकॉर्ड खरीद, किसानों को समय पर भुगतान",
        [
            "जिले के क्रय केंद्रों पर इस साल धान की रिकॉर्ड खरीद हुई है और किसानों को भुगतान भी समय पर मिला है।",
            "जिला आपूर्ति अधिकारी ने बताया कि सभी केंद्रों पर तौल की नई मशीनें लगाई गई हैं।",
        ],
    ),
    (
        "स्टेडियम में राज्य स्तरीय खेल प्रतियोगिता का शुभारंभ",
        [
            "शहर के स्टेडियम में बुधवार को राज्य स्तरीय खेल प्रतियोगिता का रंगारंग शुभारंभ हुआ।",
            "प्रतियोगिता में प्रदेश के सभी जिलों से करीब दो हजार खिलाड़ी हिस्सा ले रहे हैं।",
        ],
    ),
    (
        "रेलवे ने त्योहारों के लिए चलाईं बीस स्पेशल ट्रेनें",
        [
            "त्योहारों पर यात्रियों की भीड़ को देखते हुए रेलवे ने बीस स्पेशल ट्रेनें चलाने का फैसला किया है।",
            "इन ट्रेनों में आरक्षण आज से शुरू हो गया है और टिकट ऑनलाइन भी बुक किए जा सकते हैं।",
        ],
    ),
]


def _page(i: int, minutes: int = 3) -> str:
    title, body = STORIES[i]
    footer = [line.replace("3", str(minutes)) for line in FOOTER]
    return "\n".join([*HEADER, title, *body, *footer])


def test_fit_learns_repeated_lines_and_labels() -> None:
    template = SiteTemplate.fit([_page(i, minutes=i + 2) for i in range(3)])
    assert template.pages == 3
    assert template.is_chrome("खबर एक्सप्रेस के साथ बने रहें और हर पल की जानकारी पाएं")
    # Digits are folded: another reading time is the same template line.
    assert template.is_chrome("पढ़ने का समय: 9 मिनट")
    # A learned label with a new short value is chrome too.
    assert template.is_chrome("मौसम: लखनऊ 35°C")
    assert not template.is_chrome(STORIES[0][1][0])


def test_template_removes_site_chrome_from_a_new_page() -> None:
    page = _page(3)
    plain = extract_text(page)
    # Without the template, the long promo line reads as prose and stays.
    assert any("बने रहें" in p for p in plain.paragraphs)

    template = SiteTemplate.fit([_page(i) for i in range(3)])
    art = extract_text(page, template=template)
    assert list(art.paragraphs) == STORIES[3][1]
    assert art.title == STORIES[3][0]


def test_one_off_lines_are_not_learned() -> None:
    template = SiteTemplate.fit([_page(i) for i in range(4)])
    for title, body in STORIES:
        assert not template.is_chrome(title)
        assert not any(template.is_chrome(line) for line in body)


def test_template_round_trips_through_dict() -> None:
    template = SiteTemplate.fit([_page(i) for i in range(4)])
    again = SiteTemplate.from_dict(template.to_dict())
    assert again == template
    with pytest.raises(ConfigError):
        SiteTemplate.from_dict({"lines": []})


def test_bad_parameters_raise() -> None:
    with pytest.raises(ConfigError):
        SiteTemplate.fit([], min_share=0)
    with pytest.raises(ConfigError):
        SiteTemplate.fit([], min_pages=1)
