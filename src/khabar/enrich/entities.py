"""Named entities without a model: a gazetteer plus a few rules Hindi news follows.

Three kinds of evidence, in the order they win:

1. the gazetteer (``data/gazetteer.tsv``, extendable with user files): countries,
   Indian states and cities, leaders, parties and agencies with their Hindi
   spellings and an English display name;
2. a title or honorific before a name ("राष्ट्रपति व्लादिमीर पुतिन", "डॉ. ...");
3. an acronym in parentheses after its long form ("... न्यूज एजेंसी (केसीएनए)"),
   and multi-word phrases that recur and whose words rarely appear apart.

A name found by a title is also counted when only its last word recurs
("पुतिन" after "व्लादिमीर पुतिन"), the way news prose refers back to people.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import regex

from .. import lang
from ..errors import ConfigError, InputError
from ..models import Article
from ._text import bare_forms, chunks, fold, is_word, plural_rules, read_data, runs, stopset
from .translit import english_name, spell_acronym

EntityKind = Literal["person", "place", "org", "other"]
KINDS: frozenset[str] = frozenset({"person", "place", "org", "other"})

# A person's name after a title is at most three words ("ए पी जे कलाम" aside).
MAX_NAME_WORDS = 3
# A recurring phrase is an entity when its words appear apart at most this
# share of the time ("शिखर सम्मेलन" yes, "सबकी निगाह" no: rare words apart too,
# so this rule is kept for phrases seen at least MIN_PHRASE_COUNT times).
MIN_COHESION = 0.8
MIN_PHRASE_COUNT = 3
_ACRONYM = regex.compile(r"\(\s*([\p{L}\p{M}.]{2,24})\s*\)")
_LATIN_ACRONYM = regex.compile(r"[A-Z][A-Z.&]{1,11}")
_COUNTRY = regex.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer name: its Hindi form, English name, kind and other spellings."""

    name: str
    english: str
    kind: EntityKind
    variants: tuple[str, ...] = ()
    country: str = ""  # ISO 3166 code, "XX" international, "" none (a news agency)


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place, organisation or other name found in a text."""

    name: str
    english: str
    kind: EntityKind
    count: int
    first: int  # token position of the first mention, for ranking by position
    rule: Literal["gazetteer", "title", "acronym", "phrase"]
    aliases: tuple[str, ...] = field(default=())


class Gazetteer:
    """Gazetteer entries indexed by the folded token sequence of every spelling."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self._index: dict[str, GazetteerEntry] = {}
        for entry in self.entries:
            for spelling in (entry.name, *entry.variants):
                key = fold(" ".join(lang.tokenize(spelling)))
                # A later file overrides an earlier one: user files come last.
                if key:
                    self._index[key] = entry
        self.max_words = max((k.count(" ") + 1 for k in self._index), default=1)
        # Most tokens start no spelling: one set lookup rules them out.
        self._first_words = frozenset(k.split(" ", 1)[0] for k in self._index)
        # Every word of every spelling: an inflected token is matched by its
        # bare form only when that form is one of them (find_entities).
        self.words = frozenset(w for k in self._index for w in k.split(" "))

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, phrase: str) -> GazetteerEntry | None:
        """The entry one of whose spellings is ``phrase``, else None."""
        return self._index.get(fold(" ".join(lang.tokenize(phrase))))

    def place_name(self, name: str) -> str | None:
        """The English name of the place one of whose spellings is ``name``, else None.

        Places only: a person's short spelling ("मोदी") names the whole
        person ("Narendra Modi"), which would not do inside another name.
        """
        entry = self.lookup(name)
        return entry.english if entry is not None and entry.kind == "place" else None

    def match(self, folded: Sequence[str], start: int) -> tuple[GazetteerEntry, int] | None:
        """Longest entry whose spelling starts at ``folded[start]``, with its length."""
        if start >= len(folded) or folded[start] not in self._first_words:
            return None
        for n in range(min(self.max_words, len(folded) - start), 0, -1):
            entry = self._index.get(" ".join(folded[start : start + n]))
            if entry is not None:
                return entry, n
        return None


def parse_gazetteer(text: str, source: str = "<string>") -> list[GazetteerEntry]:
    """Parse gazetteer lines ``hindi<TAB>english<TAB>kind[<TAB>variant|variant[<TAB>country]]``.

    Blank lines and ``#`` comments are skipped.

    Raises:
        ConfigError: a line has too few or too many columns, an empty name,
            or an unknown kind; the message names the file and line number.
    """
    entries: list[GazetteerEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.rstrip("\n").split("\t")]
        where = f"{source}, line {number}: {line.strip()[:60]!r}"
        if not 3 <= len(cols) <= 5:
            raise ConfigError(
                f"gazetteer {where}: expected 3 to 5 tab-separated columns "
                f"(hindi, english, kind, variants, country), got {len(cols)}",
                source=source,
                reason="bad_gazetteer_line",
            )
        name, english, kind = cols[0], cols[1], cols[2].lower()
        if not name or not english:
            raise ConfigError(
                f"gazetteer {where}: the name and the English name must not be empty",
                source=source,
                reason="bad_gazetteer_line",
            )
        if kind not in KINDS:
            raise ConfigError(
                f"gazetteer {where}: kind must be one of {', '.join(sorted(KINDS))}, got {kind!r}",
                source=source,
                reason="bad_gazetteer_line",
            )
        extra = cols[3].split("|") if len(cols) >= 4 else []
        variants = tuple(lang.normalize(v.strip()) for v in extra if v.strip())
        country = cols[4].upper() if len(cols) == 5 else ""
        if country and not _COUNTRY.fullmatch(country):
            raise ConfigError(
                f"gazetteer {where}: country must be a two-letter ISO 3166 code, got {country!r}",
                source=source,
                reason="bad_gazetteer_line",
            )
        entries.append(GazetteerEntry(lang.normalize(name), english, kind, variants,  # type: ignore[arg-type]
                                      country))
    return entries


def _shipped_gazetteers() -> list[str]:
    """``gazetteer.tsv`` (Hindi spellings), then every ``gazetteer.<lang>.tsv``."""
    folder = resources.files(__package__).joinpath("data")
    others = sorted(f.name for f in folder.iterdir()
                    if f.name.startswith("gazetteer.") and f.name.count(".") == 2)
    return ["gazetteer.tsv", *others]


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer khabar ships (read once per process): Hindi spellings, then
    the other languages' (Bengali, Tamil, ...)."""
    entries: list[GazetteerEntry] = []
    for name in _shipped_gazetteers():
        raw = resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8")
        entries += parse_gazetteer(raw, f"khabar/enrich/data/{name}")
    return Gazetteer(entries)


def load_gazetteer(*paths: str | Path) -> Gazetteer:
    """The shipped gazetteer extended by user files (later files win on a clash).

    Raises:
        ConfigError: a file has a malformed line (the message names it).
        InputError: a file cannot be read.
    """
    entries = list(default_gazetteer().entries)
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read gazetteer file: {exc}", source=str(path)) from exc
        entries.extend(parse_gazetteer(text, str(path)))
    return Gazetteer(entries)


@cache
def _titles() -> frozenset[str]:
    return frozenset(fold(t) for t in read_data("titles.hi.txt"))


@cache
def _not_names() -> frozenset[str]:
    return frozenset(fold(t) for t in read_data("not-names.hi.txt"))


def _acronym_letters(acronym: str) -> int:
    """How many letters an acronym spells ("केसीएनए" 4, "IMD" 3), 0 if it is a word."""
    plain = acronym.replace(".", "")
    if _LATIN_ACRONYM.fullmatch(acronym):
        return sum(ch.isalpha() for ch in plain)
    return len(spell_acronym(plain))


def _text_of(source: Article | str) -> str:
    if isinstance(source, Article):
        return "\n".join(p for p in (source.title, source.standfirst or "", source.text) if p)
    return source


class _Found:
    """Entities collected by key, with the surface forms that refer to each."""

    def __init__(self) -> None:
        self.info: dict[str, tuple[str, str, EntityKind, str]] = {}
        self.surfaces: dict[str, str] = {}  # folded surface -> entity key

    def add(self, name: str, english: str, kind: EntityKind, rule: str, *surfaces: str) -> None:
        key = fold(name)
        self.info.setdefault(key, (name, english, kind, rule))
        for surface in (name, *surfaces):
            folded = fold(surface)
            if folded:
                self.surfaces.setdefault(folded, key)


def _title_name(folded: Sequence[str], start: int, stop: frozenset[str]) -> int:
    """Length of the name run after a title at ``start`` (0 when there is none)."""
    n = 0
    while start + n < len(folded) and n < MAX_NAME_WORDS:
        word = folded[start + n]
        if word in stop or word in _titles() or word in _not_names() or not is_word(word):
            break
        n += 1
    return n


def desk_counts(
    source: Article | str, *, home: str = "IN", gazetteer: Gazetteer | None = None
) -> tuple[int, int]:
    """Mentions of gazetteer names of the ``home`` country, and of other countries.

    The home desk and the foreign desk write about different things even
    when they share words: a story's counts tell related stories apart
    (:mod:`khabar.enrich.overlap`, ``DESK_WEIGHT``). Names without a country
    (news agencies) count for neither.
    """
    gaz = gazetteer or default_gazetteer()
    here = abroad = 0
    for tokens in chunks(_text_of(source)):
        folded = [fold(t) for t in tokens]
        i = 0
        while i < len(folded):
            hit = gaz.match(folded, i)
            if hit is None:
                i += 1
                continue
            entry, n = hit
            if entry.country == home:
                here += 1
            elif entry.country:
                abroad += 1
            i += n
    return here, abroad


def find_entities(
    source: Article | str, *, gazetteer: Gazetteer | None = None, language: str = "hi"
) -> list[Entity]:
    """People, places, organisations and recurring names in an article or text.

    Returns entities ranked by mention count, then by first mention. English
    names come from the gazetteer, else from transliteration. Never raises on
    odd input: a text with no Devanagari or only numbers gives few or none.
    """
    gaz = gazetteer or default_gazetteer()
    stop = stopset(language)
    titles = _titles()
    found = _Found()
    text = _text_of(source)
    token_chunks = chunks(text)
    folded_chunks = [[fold(t) for t in ch] for ch in token_chunks]
    if language != "hi" and plural_rules(language):
        folded_chunks = _bare_names(folded_chunks, gaz, language)

    for tokens, folded in zip(token_chunks, folded_chunks, strict=True):
        i = 0
        while i < len(folded):
            hit = gaz.match(folded, i)
            if hit is not None:
                entry, n = hit
                found.add(entry.name, entry.english, entry.kind, "gazetteer", *entry.variants)
                i += n
                continue
            two = " ".join(folded[i : i + 2])
            title_len = 2 if two in titles else 1 if folded[i] in titles else 0
            if title_len:
                start = i + title_len
                n = 0 if gaz.match(folded, start) else _title_name(folded, start, stop)
                if n:
                    name = " ".join(tokens[start : start + n])
                    last = tokens[start + n - 1]
                    aliases = (last,) if n > 1 and len(last) > 2 else ()
                    found.add(name, english_name(name), "person", "title", *aliases)
                    i = start + n
                    continue
            i += 1

    normalized = lang.normalize(text)
    for match in _ACRONYM.finditer(normalized):
        acronym = match.group(1).strip()
        letters = _acronym_letters(acronym)
        if not letters:
            continue
        run = _run_before(normalized, match.start(), letters)
        long_form = run[-letters:] if len(run) >= letters else []
        if long_form and any(fold(w) in stop for w in long_form):
            long_form = []
        known = gaz.lookup(acronym) or (gaz.lookup(" ".join(long_form)) if long_form else None)
        if known is not None:
            found.add(known.name, known.english, known.kind, "gazetteer", *known.variants, acronym)
            continue
        name = " ".join(long_form) or acronym
        found.add(name, english_name(name), "org", "acronym", acronym)

    _add_recurring_phrases(folded_chunks, token_chunks, stop, found)
    return _count(found, folded_chunks)


# How far back an acronym's long form is looked for. Re-chunking the whole
# text before every "(ABC)" made a page with many acronyms quadratic (a
# 40 KB page with 1,000 of them took 76 s; tests/hardening/regressions).
_LONG_FORM_WINDOW = 600


def _run_before(text: str, end: int, letters: int) -> list[str]:
    """Tokens of the punctuation-free run ending at ``end``, from a bounded window."""
    start = max(0, end - _LONG_FORM_WINDOW)
    before = chunks(text[start:end])
    run = before[-1] if before else []
    if start > 0 and len(before) == 1 and len(run) <= letters:
        return []  # the window may have cut the run's first word in half
    if start > 0 and len(before) == 1:
        return run[1:]
    return run


def _bare_names(
    folded_chunks: list[list[str]], gaz: Gazetteer, language: str
) -> list[list[str]]:
    """The chunks with inflected name words made bare, for matching and counting.

    Bengali writes case endings onto names ("খালেদা জিয়ার" of Khaleda Zia,
    "বিএনপিতে" in the BNP); Hindi writes postpositions apart and needs none
    of this. A token loses its ending (``plurals.<lang>.tsv``) only when what
    is left is a word of a gazetteer spelling.
    """
    memo: dict[str, str] = {}

    def bare(word: str) -> str:
        found = memo.get(word)
        if found is None:
            found = word
            if word not in gaz.words:
                found = next((f for f in bare_forms(word, language) if f in gaz.words), word)
            memo[word] = found
        return found

    return [[bare(w) for w in chunk] for chunk in folded_chunks]


def _add_recurring_phrases(
    folded_chunks: list[list[str]],
    token_chunks: list[list[str]],
    stop: frozenset[str],
    found: _Found,
) -> None:
    """Two- and three-word phrases that recur and whose words rarely stand apart."""
    words: Counter[str] = Counter()
    phrases: Counter[tuple[str, ...]] = Counter()
    surface: dict[tuple[str, ...], str] = {}
    known = set(found.surfaces)
    titles = _titles()
    decided: dict[str, bool] = {}
    for folded, tokens in zip(folded_chunks, token_chunks, strict=True):
        words.update(folded)
        usable = []
        for w in folded:
            ok = decided.get(w)
            if ok is None:
                ok = decided[w] = not (w in stop or w in titles or not is_word(w))
            usable.append(ok)
        for start, end in runs(usable):
            for size in (2, 3):
                for a in range(start, end - size + 1):
                    gram = tuple(folded[a : a + size])
                    phrases[gram] += 1
                    if gram not in surface:
                        surface[gram] = " ".join(tokens[a : a + size])
    for gram, count in phrases.most_common():
        if count < MIN_PHRASE_COUNT:
            break
        if " ".join(gram) in known or any(w in known for w in gram):
            continue
        if all(count >= MIN_COHESION * words[w] for w in gram):
            name = surface[gram]
            found.add(name, english_name(name), "other", "phrase")
            known.update(gram)


def _count(found: _Found, folded_chunks: list[list[str]]) -> list[Entity]:
    """Count mentions of every entity by a longest-match scan over all its surfaces."""
    longest = max((s.count(" ") + 1 for s in found.surfaces), default=1)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    firsts = {s.split(" ", 1)[0] for s in found.surfaces}
    position = 0
    for folded in folded_chunks:
        i = 0
        while i < len(folded):
            if folded[i] not in firsts:
                i += 1
                continue
            for n in range(min(longest, len(folded) - i), 0, -1):
                key = found.surfaces.get(" ".join(folded[i : i + n]))
                if key is not None:
                    counts[key] += 1
                    first.setdefault(key, position + i)
                    i += n
                    break
            else:
                i += 1
        position += len(folded)
    aliases: dict[str, list[str]] = {}
    for surface, key in found.surfaces.items():
        aliases.setdefault(key, []).append(surface)
    entities = [
        Entity(name, english, kind, counts[key], first[key], rule,  # type: ignore[arg-type]
               tuple(a for a in aliases[key] if a != key))
        for key, (name, english, kind, rule) in found.info.items()
        if counts[key]
    ]
    return sorted(entities, key=lambda e: (-e.count, e.first, e.name))
