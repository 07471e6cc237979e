from __future__ import annotations

import json
from pathlib import Path

import pytest

import khabar
from khabar.enrich.dedup import (
    DuplicateIndex,
    StoryItem,
    cluster_stories,
    normalized_hash,
    shingles,
)

DEMO = Path(khabar.__file__).parent / "demo" / "pages"

A = (
    "भारतीय रिज़र्व बैंक ने रेपो रेट में कटौती की है। इससे होम लोन और कार लोन सस्ते होंगे। "
    "गवर्नर ने कहा कि महंगाई काबू में है और विकास दर को सहारा देना ज़रूरी है। "
    "बैंक अब अपने ग्राहकों को कम ब्याज दर का फ़ायदा देंगे, ऐसा विशेषज्ञों का मानना है। "
    "शेयर बाज़ार ने इस फ़ैसले का स्वागत किया और सेंसेक्स चढ़ गया।"
)
B = (
    "मुंबई में भारी बारिश से जनजीवन ठप हो गया है। मौसम विभाग ने रेड अलर्ट जारी किया है। "
    "स्कूल और कॉलेज बंद कर दिए गए हैं और लोकल ट्रेनें देरी से चल रही हैं। "
    "नगर निगम ने लोगों से घरों में रहने की अपील की है।"
)


def test_exact_hash_ignores_spacing_punctuation_and_nukta() -> None:
    assert normalized_hash(A) == normalized_hash("  " + A.replace("। ", " ।\n\n").replace("ज़", "ज"))
    assert normalized_hash(A) != normalized_hash(B)
    assert normalized_hash("1,250 रुपये") == normalized_hash("1 ,250 रुपये")


def test_shingles_keep_devanagari_words_whole() -> None:
    grams = shingles("नॉर्थ कोरिया ने कहा")
    assert grams == {"नॉर्थ कोरिया ने", "कोरिया ने कहा"}
    assert shingles("") == set()


def test_index_finds_exact_and_near_duplicates_only() -> None:
    index = DuplicateIndex()
    assert index.add("a", A) == []
    assert index.add("b", B) == []
    exact = index.find(A.replace(" ", "  "))
    assert [(d.id, d.exact) for d in exact] == [("a", True)]
    edited = "विज्ञापन\n" + A.rsplit("।", 2)[0] + "। यह भी पढ़ें: ताज़ा ख़बरें"
    near = index.find(edited)
    assert [d.id for d in near] == ["a"] and not near[0].exact
    assert index.find("एक बिल्कुल अलग ख़बर जिसमें क्रिकेट मैच और खिलाड़ियों की बात है।") == []


def test_capacity_keeps_memory_flat() -> None:
    index = DuplicateIndex(capacity=1)
    index.add("a", A)
    index.add("b", B)
    assert len(index) == 1
    assert index.find(A) == []
    assert [d.id for d in index.find(B)] == ["b"]


def test_demo_pages_on_one_event_cluster_together() -> None:
    manifest = json.loads((DEMO / "MANIFEST.json").read_text("utf-8"))
    items = []
    for page in manifest:
        article = khabar.extract((DEMO / page["file"]).read_bytes())
        text = f"{article.title}\n{article.text}"
        items.append(StoryItem(page["file"], text, page["date"], page["file"]))
    clusters = cluster_stories(items, embeddings=False)
    events: dict[str, set[str]] = {}
    for page in manifest:
        events.setdefault(page["event"], set()).add(page["file"])
    assert sorted(sorted(c.members) for c in clusters) == sorted(sorted(v) for v in events.values())
    rbi = clusters[0]
    assert len(rbi.members) == 2 and rbi.representative in rbi.members
    assert set(rbi.sources) == set(rbi.members)


def test_time_window_separates_same_words_far_apart() -> None:
    items = [StoryItem("x", A, "2025-01-01"), StoryItem("y", A, "2025-03-01"), StoryItem("z", A)]
    clusters = cluster_stories(items, embeddings=False)
    # The undated copy may join either; the two dated ones never share a cluster.
    assert not any({"x", "y"} <= set(c.members) for c in clusters)


@pytest.mark.parametrize("text", ["", "123 456", "English only, nothing else."])
def test_odd_texts_do_not_crash(text: str) -> None:
    index = DuplicateIndex()
    index.add("odd", text)
    assert isinstance(index.find(text), list)
    assert cluster_stories([StoryItem("1", text), StoryItem("2", text)], embeddings=False)
