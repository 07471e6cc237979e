"""Property tests: invariants that must hold for any text."""

from __future__ import annotations

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from khabar.lang import normalize, sentence_spans, split_sentences, tokenize
from khabar.lang.tokens import _tokenize_clusters

# Characters that stress the code: Devanagari and Bengali letters, signs,
# viramas, nukta, joiners, digits, terminators, quotes and spaces, mixed with
# anything Unicode has.
_TRICKY = (
    "कखगजडढफनरषसहािीुूेैोौंःँ़्"
    "\u0958\u095c\u0929\u0964\u0965०१५"
    "আকরসড়য়ািীেোং়্\u09dc\u09e6\u09ef"
    "abcJKU.,:?!'\"“”‘’()… \t\n\r\u00a0\u200b\u200c\u200d\ufeff\u00ad-0123456789"
)
texts = st.text(
    alphabet=st.one_of(st.sampled_from(_TRICKY), st.characters(codec="utf-8")),
    max_size=80,
)


@settings(max_examples=400)
@given(texts)
@example("\u092d\u0940\u200d\u093c")  # fuzz: a dropped joiner left a late nukta
@example("\u0928\u093e\u093c")  # the moved nukta composes with न to ऩ
@example("\u0915\u0951\u200d\u094d\u200d\u0916")  # NFC reorders marks before a kept joiner
@example("\u0930\u200d\u094d\u093c")  # ... and after one
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


# Only the marks that the joiner and nukta rules and NFC move or drop, so
# every example exercises how they feed each other.
_MARKS = "कनरভড়া\u093e\u0940\u09be\u093c\u09bc\u094d\u09cd\u0951\u0952\u200c\u200d "


@settings(max_examples=1500)
@given(st.text(alphabet=st.sampled_from(_MARKS), max_size=12))
def test_normalize_is_idempotent_on_marks(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=400)
@given(texts)
@example(" \u093cक")  # a mark after a space belongs to the space's cluster
@example("a\U0001f3fb")  # an emoji modifier extends the letter's cluster
@example("\u0600१२")  # a prepended format character starts the digit's cluster
def test_tokens_are_whole_grapheme_clusters(text: str) -> None:
    text = normalize(text)
    clusters = regex.findall(r"\X", text)
    boundaries = {0}
    offset = 0
    for cluster in clusters:
        offset += len(cluster)
        boundaries.add(offset)
    position = 0
    for token in tokenize(text):
        start = text.index(token, position)
        end = start + len(token)
        assert start in boundaries and end in boundaries, (token, text)
        position = end


@settings(max_examples=1000)
@given(st.one_of(texts, texts.map(normalize)))
@example("5\u200c.3")  # a joiner after a digit
@example("\u0600" + "12")
@example(" \uff9e")  # a halfwidth voiced mark is a letter that extends clusters
@example("\U0001f468\u200d\U0001f469")  # an emoji ZWJ sequence
def test_fast_tokens_equal_the_cluster_scan(text: str) -> None:
    # tokenize takes a per-character path on ordinary text; it must give
    # exactly the tokens of the grapheme-cluster scan that defines it.
    assert tokenize(text) == _tokenize_clusters(text)


@settings(max_examples=400)
@given(texts)
def test_sentence_spans_are_lossless(text: str) -> None:
    spans = sentence_spans(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


@settings(max_examples=400)
@given(texts)
def test_split_sentences_keeps_every_visible_character(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    visible = "".join(ch for ch in text if not ch.isspace())
    assert "".join(ch for s in sentences for ch in s if not ch.isspace()) == visible
    assert sentences == [s for s in (text[a:b].strip() for a, b in sentence_spans(text)) if s]
