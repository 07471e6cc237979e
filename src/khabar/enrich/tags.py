"""Topic tags: the publisher's own first, then keyphrases from the article."""

from __future__ import annotations

from collections import Counter

import regex

from .. import lang
from ..models import Article, Tag
from .translit import english_name, slugify

# A keyphrase must recur: a phrase seen once is rarely what a story is about.
MIN_PHRASE_COUNT = 2
MAX_PHRASE_WORDS = 3
MAX_TAGS = 6


def make_tag(name: str, source: str = "publisher") -> Tag:
    """A tag with its English display name and slug."""
    clean = " ".join(name.split())
    kind = source if source in ("publisher", "keyphrase", "entity") else "publisher"
    return Tag(name=clean, english=english_name(clean), slug=slugify(clean), source=kind)  # type: ignore[arg-type]


def _candidate_phrases(text: str, language: str) -> list[str]:
    """Runs of up to three content words between stopwords and punctuation."""
    stop = lang.stopwords(language)
    phrases: list[str] = []
    for chunk in regex.split(r"[^\p{L}\p{M}\p{N}\s-]+", text):
        run: list[str] = []
        for token in [*lang.tokenize(chunk), ""]:
            if token and token.lower() not in stop and not token.isdigit() and len(token) > 1:
                run.append(token)
                continue
            for size in range(1, MAX_PHRASE_WORDS + 1):
                for i in range(len(run) - size + 1):
                    phrases.append(" ".join(run[i : i + size]))
            run = []
    return phrases


def keyphrases(article: Article, limit: int = MAX_TAGS) -> list[str]:
    """Phrases ranked by frequency, with a bonus for the title; subsumed phrases removed."""
    counts = Counter(_candidate_phrases(article.text, article.language))
    in_title = set(_candidate_phrases(article.title, article.language))
    scored = {
        p: c * (1 + 0.5 * (len(p.split()) - 1)) + (2.0 if p in in_title else 0.0)
        for p, c in counts.items()
        if c >= MIN_PHRASE_COUNT
    }
    ranked = sorted(scored, key=lambda p: (-scored[p], p))
    chosen: list[str] = []
    for phrase in ranked:
        # "व्लादिमीर पुतिन" makes "पुतिन" redundant, and the other way round.
        if any(phrase in c or c in phrase for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen


def article_tags(article: Article, limit: int = MAX_TAGS) -> list[Tag]:
    """The publisher's tags when it shipped any, else the article's keyphrases."""
    if article.tags:
        return [make_tag(t, "publisher") for t in article.tags[:limit] if t.strip()]
    return [make_tag(p, "keyphrase") for p in keyphrases(article, limit)]
