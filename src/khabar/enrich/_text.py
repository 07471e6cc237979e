"""Small shared helpers for enrich: data files, matching keys, token runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from importlib import resources

import regex

from .. import lang
from .._memo import short_memo
from ..errors import ConfigError, LanguageError

# Nukta and chandrabindu are spelled inconsistently across outlets ("ग़ज़ा" and
# "गाजा", "हैं" and "हैँ"), so matching keys fold them away; so do the zero-width
# joiners some outlets put after a virama ("टेस्‍ट" is "टेस्ट", and its tag had
# read "Tes<ZWJ>ta").
_FOLD = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u200c": None, "\u200d": None})
_SPLIT = regex.compile(r"[^\p{L}\p{M}\p{N}\s\u200c\u200d'-]+")
_HAS_LETTER = regex.compile(r"\p{L}")


@cache
def read_data(name: str) -> tuple[str, ...]:
    """Items of an enrich data file in file order: one per line, ``#`` comments."""
    try:
        raw = resources.files(__package__).joinpath("data").joinpath(name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"enrich data file {name!r} is missing from the package") from exc
    items = (lang.normalize(line.split("#", 1)[0]).strip() for line in raw.splitlines())
    return tuple(dict.fromkeys(item for item in items if item))


# Tagging folds every token of an article, and tokens repeat: the cache made
# article_tags about twice as fast on the AEB pages (benchmarks/speed.py).
@short_memo(maxsize=1 << 16, max_chars=200)
def fold(text: str) -> str:
    """The matching key of a word or phrase: normalized, lower-cased, nukta-free."""
    return " ".join(lang.normalize(text).lower().translate(_FOLD).split())


def optional_data(name: str) -> tuple[str, ...]:
    """A per-language data file's items, or none when the language has no such file."""
    try:
        return read_data(name)
    except ConfigError:
        return ()


@cache
def plural_rules(language: str = "hi") -> tuple[tuple[str, str, bool], ...]:
    """(folded ending, replacement, only when seen) from ``data/plurals.<lang>.tsv``.

    The endings of plural and case forms ("राज्यों", "মামলায়") and what
    replaces them; empty for a language without rules. Tags use them to show
    a word's direct form (enrich/tags.py), display names to find an inflected
    word in the English-name lists (enrich/translit.py).
    """
    name = f"plurals.{language}.tsv"
    rules: list[tuple[str, str, bool]] = []
    for number, line in enumerate(optional_data(name), 1):
        parts = line.split()
        if len(parts) != 3 or parts[2] not in ("always", "seen") or not parts[0]:
            raise ConfigError(f"{name} rule {number}: expected ending, replacement, always|seen")
        ending, replacement, when = parts
        replacement = "" if replacement == "-" else fold(replacement)
        rules.append((fold(ending), replacement, when == "seen"))
    return tuple(rules)


def bare_forms(key: str, language: str) -> Iterator[str]:
    """The forms a folded word may be inflected from, by :func:`plural_rules`, in rule order.

    "মামলায়" gives "মামলা" among others; a rule applies only when something
    is left before its ending. The callers decide which form is a word.
    """
    for ending, replacement, _ in plural_rules(language):
        if key.endswith(ending) and len(key) > len(ending) + 1:
            yield key[: len(key) - len(ending)] + replacement


@cache
def stopset(language: str) -> frozenset[str]:
    """Folded stopwords of ``language`` plus Hindi's (pages mix them); English's too.

    Also the words of ``data/not-topics.hi.txt`` (and of ``not-topics.<lang>.txt``
    where the language has one): verb forms, quantities and generic nouns that
    the summarizer's stopword list keeps but that are no tag and no part of a
    name.
    """
    words: set[str] = set(read_data("not-topics.hi.txt"))
    if language != "hi":
        words |= set(optional_data(f"not-topics.{language}.txt"))
    for code in {language, "hi", "en"}:
        try:
            words |= lang.stopwords(code)
        except LanguageError:
            continue
    return frozenset(fold(w) for w in words)


def is_stopword_only(phrase: str, language: str = "hi") -> bool:
    """True when ``phrase`` has no token that is a word and not a stopword."""
    stop = stopset(language)
    return not any(
        _HAS_LETTER.search(t) and fold(t) not in stop for t in lang.tokenize(phrase)
    )


def chunks(text: str) -> list[list[str]]:
    """Token lists of ``text`` split at punctuation (normalized first)."""
    return [list(tokens) for tokens in _chunks(text)]


# Entities and keyphrases chunk the same article text one after the other.
@lru_cache(maxsize=8)
def _chunks(text: str) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for part in _SPLIT.split(lang.normalize(text)):
        tokens = lang.tokenize(part)
        if tokens:
            out.append(tuple(tokens))
    return tuple(out)


_WORD = regex.compile(r"(?=\p{L})[\p{L}\p{M}\u200c\u200d'-]+")


@short_memo(maxsize=1 << 16, max_chars=200)
def is_word(token: str) -> bool:
    """True for a token made of letters and marks only (str.isalpha rejects matras)."""
    return _WORD.fullmatch(token) is not None


def runs(keep: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every maximal run of true flags in ``keep``.

    Phrases and recurring names lie inside runs of usable words; walking the
    runs costs one pass, where testing every slice costs one per phrase length.
    """
    i, n = 0, len(keep)
    while i < n:
        if not keep[i]:
            i += 1
            continue
        end = i
        while end < n and keep[end]:
            end += 1
        yield i, end
        i = end
