import pytest

from khabar.enrich import english_name, make_tag, slugify


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
    ],
)
def test_schwa_deletion(deva: str, latin: str) -> None:
    assert english_name(deva) == latin


def test_tags_keep_both_forms_and_a_stable_slug() -> None:
    tag = make_tag("व्लादिमीर पुतिन", "keyphrase")
    assert (tag.name, tag.english, tag.slug) == (
        "व्लादिमीर पुतिन",
        "Vladimir Putin",
        "vladimir-putin",
    )
    assert make_tag("Russia Ukraine War").slug == "russia-ukraine-war"
    assert slugify("!!!") == "tag"
