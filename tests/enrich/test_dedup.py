from __future__ import annotations

from pathlib import Path

import pytest

import khabar
from khabar.enrich.clusters import StoryItem, cluster_stories
from khabar.enrich.dedup import (
    DuplicateIndex,
    fingerprint,
    normalized_hash,
    shingles,
)
from khabar.errors import KhabarError

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
    assert normalized_hash("12,34,567 लोग") == normalized_hash("1234567 लोग")
    # An item number before a year is two numbers, whatever ends the item
    # (found by `khabar eval dedup`: "4. 1969" had hashed as "41969").
    assert normalized_hash("सूची 4. 1969 में") == normalized_hash("सूची 4 । 1969 में")


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


@pytest.mark.parametrize("text", ["", "123 456", "English only, nothing else."])
def test_odd_texts_do_not_crash(text: str) -> None:
    index = DuplicateIndex()
    index.add("odd", text)
    assert isinstance(index.find(text), list)
    assert cluster_stories([StoryItem("1", text), StoryItem("2", text)], embeddings=False)


def _variants(n: int) -> list[str]:
    """Texts in families of three: a story, a copy with chrome, a copy cut short."""
    import random

    rng = random.Random(11)
    words = shingles(A + " " + B)
    vocab = sorted({w for g in words for w in g.split()})
    out = []
    for i in range(n // 3):
        story = " ".join(rng.choice(vocab) for _ in range(60)) + f" संख्या {i}"
        out += [story, "विज्ञापन शेयर करें " + story, story.rsplit(" ", 8)[0]]
    return out


def test_compact_bands_find_what_datasketch_lsh_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same candidates as datasketch's MinHashLSH (same bands), through many tail merges."""
    import datasketch

    from khabar.enrich import _bands, dedup

    monkeypatch.setattr(_bands, "TAIL_MIN", 8)
    texts = _variants(150)
    index = DuplicateIndex(capacity=None)
    slack = dedup.NEAR_DUPLICATE_JACCARD * dedup.LSH_SLACK
    lsh = datasketch.MinHashLSH(threshold=slack, num_perm=128)
    sigs = {}
    for i, text in enumerate(texts):
        mh = dedup.minhash(text)
        near = {o for o in lsh.query(mh) if (sigs[o] == mh.hashvalues).mean() >= index.threshold}
        found = index.add(str(i), text)
        ids = {d.id for d in found}
        assert ids >= near
        assert ids - near <= {d.id for d in found if d.exact}  # only exact hashes beside LSH
        lsh.insert(str(i), mh)
        sigs[str(i)] = mh.hashvalues
    assert sum(bool(index.find(t)) for t in texts) == len(texts)
    assert len(index) == 150


def test_capacity_evicts_the_oldest_and_keeps_finding_recent_copies() -> None:
    texts = _variants(60)
    index = DuplicateIndex(capacity=9)
    for i, text in enumerate(texts):
        found = index.add(str(i), text)
        if i % 3:  # the copies find their story, three texts back at most
            assert str(i - i % 3) in {d.id for d in found}
    assert len(index) == 9
    assert index.find(texts[0]) == [] and index.find(texts[-3])
    with pytest.raises(KhabarError):
        DuplicateIndex(capacity=0)


def test_time_window_forgets_old_texts_and_keeps_undated() -> None:
    index = DuplicateIndex(capacity=None, window_days=3)
    index.add("old", A, "2025-01-01")
    index.add("undated", B)
    assert [d.id for d in index.add("copy", A + " विज्ञापन", "2025-01-03")] == ["old"]
    index.add("later", "एक और ख़बर जिसमें चुनाव और मतदान की बात है। " * 3, "2025-01-10")
    assert "old" not in index and "copy" not in index
    assert "undated" in index and "later" in index
    assert index.find(A) == [] and [d.id for d in index.find(B)] == ["undated"]


def test_re_adding_an_id_replaces_its_text() -> None:
    index = DuplicateIndex()
    index.add("a", A)
    index.add("a", B)
    assert len(index) == 1 and index.find(A) == [] and [d.id for d in index.find(B)] == ["a"]
    index.remove("a")
    index.remove("a")
    assert len(index) == 0 and index.find(B) == []


def test_a_fingerprint_finds_what_its_text_finds() -> None:
    # The batch's global step hashes a text, then adds it by fingerprint:
    # the index must treat both forms alike.
    edited = A.replace("सेंसेक्स चढ़ गया", "निफ्टी भी चढ़ गया")
    assert fingerprint(A).digest == normalized_hash(A)
    by_text, by_print = DuplicateIndex(), DuplicateIndex()
    by_text.add("a", A)
    by_print.add("a", fingerprint(A))
    for query in (A, edited, B):
        assert by_text.find(query) == by_print.find(fingerprint(query))
    assert [d.id for d in by_print.add("e", fingerprint(edited))] == ["a"]
    assert by_print.find(fingerprint(B)) == []
    from khabar.enrich.dedup import minhash

    for text in (A, edited):
        assert (minhash(fingerprint(text)).hashvalues == minhash(text).hashvalues).all()
    assert (minhash(fingerprint(A)).hashvalues != minhash(B).hashvalues).any()
