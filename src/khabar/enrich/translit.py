"""Devanagari to Latin for tag display names and slugs, deleting the inherent schwa.

A consonant letter carries an inherent "a" that Hindi often does not
pronounce: "पुतिन" is "Putin", not "Putina". The rules used here are the
common approximation, applied from the end of the word: the final schwa
goes, except after a conjunct whose last letter keeps it (``data/schwa.hi.txt``:
"मित्र" Mitra but "फ़िल्म" Film); a medial schwa goes between a vowel (a sign, or the kept schwa of the
consonant before) and a consonant that is itself voiced, V C a C V -> V C C V
("अजमल" Ajmal, "सरकार" Sarkar, "नेटवर्क" Netvark), but not after a cluster,
and the first syllable keeps its vowel. Compounds still trip it ("श्रीनगर"
comes out Shringar): the gazetteer's English names come first for them.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Callable
from importlib import resources

import regex

from ..errors import ConfigError
from ._text import bare_forms, fold, read_data

VIRAMA = "\u094d"
_DEVANAGARI = regex.compile(r"\p{Devanagari}")
_BENGALI = regex.compile(r"\p{Bengali}")
_INDIC = regex.compile(r"[\p{Devanagari}\p{Bengali}]")
# Languages with English-name lists (data/english-words.<lang>.tsv and
# data/english-glosses.<lang>.tsv).
NAMED_LANGUAGES = ("hi", "bn")
NUKTA = "\u093c"


@functools.cache
def _table() -> dict[str, tuple[str, str]]:
    text = resources.files("khabar.enrich").joinpath("data/deva-latin.tsv").read_text("utf-8")
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        deva, latin, kind = line.split("\t")
        table[unicodedata.normalize("NFC", deva)] = (latin, kind)
        # NFC decomposes the nukta letters; index both spellings.
        table[unicodedata.normalize("NFD", deva)] = (latin, kind)
    return table


def _units(word: str) -> list[tuple[str, str]]:
    """Split a word into (latin, kind) units; consonant+nukta is one unit."""
    table = _table()
    units: list[tuple[str, str]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and pair[1] == NUKTA and pair in table:
            units.append(table[pair])
            i += 2
            continue
        ch = word[i]
        if ch == VIRAMA:
            units.append(("", "virama"))
        elif ch in table:
            units.append(table[ch])
        elif ch != NUKTA:
            units.append((ch, "other"))
        i += 1
    return units


@functools.cache
def _final_drops() -> tuple[frozenset[str], tuple[str, ...]]:
    """Final consonants and clusters that lose the schwa after a conjunct (data/schwa.hi.txt)."""
    text = resources.files("khabar.enrich").joinpath("data/schwa.hi.txt").read_text("utf-8")
    finals: set[str] = set()
    clusters: list[str] = []
    for line in text.splitlines():
        kind, _, letters = line.split("#", 1)[0].strip().partition(" ")
        letters = unicodedata.normalize("NFC", letters.strip())
        if kind == "final" and letters:
            finals.add(letters)
        elif kind == "cluster" and letters:
            clusters.append(letters)
    return frozenset(finals), tuple(clusters)


def _keeps_final_schwa(word: str, units: list[tuple[str, str]], i: int) -> bool:
    """Whether the word-final consonant ``i`` keeps its inherent vowel."""
    if i == 0:
        return True  # a one-letter word
    if units[i - 1][1] != "virama":
        return False  # "पुतिन" Putin
    finals, clusters = _final_drops()
    stem = word.rstrip()
    last = stem[-2:] if stem.endswith(NUKTA) else stem[-1:]
    return last not in finals and not any(stem.endswith(c) for c in clusters)


def _word(word: str) -> str:
    """Romanise one Devanagari word; see the module docstring for the schwa rules."""
    word = unicodedata.normalize("NFC", word)
    units = _units(word)
    n = len(units)
    # Whether consonant i is written without a vowel sign or virama after it.
    bare = [kind == "c" and (i + 1 >= n or units[i + 1][1] not in ("m", "virama"))
            for i, (_, kind) in enumerate(units)]
    keep = [False] * n

    def voiced(j: int) -> bool:
        """Consonant j is followed by a vowel: a sign, or its own kept schwa."""
        return units[j][1] == "c" and (
            (j + 1 < n and units[j + 1][1] == "m") or (bare[j] and keep[j])
        )

    # Right to left, so each decision sees the one after it (Narasimhan et
    # al.'s order): V C(C..) a C V loses the a, "नेटवर्क" Netvark, "अजमल" Ajmal.
    for i in range(n - 1, -1, -1):
        if not bare[i]:
            continue
        if i + 1 >= n or units[i + 1][1] == "other":
            keep[i] = _keeps_final_schwa(word, units, i)
            continue
        # The vowel before may be a sign, a letter or the schwa of a single
        # consonant; never after a cluster ("जर्मनी" Jarmani, not Jarmni: Hindi
        # has no three-consonant clusters), and the first syllable keeps its
        # vowel ("कमल" kamal, not kmal).
        prev = units[i - 1][1] if i > 0 else None
        before = prev in ("m", "v") or (
            prev == "c" and bare[i - 1] and (i < 2 or units[i - 2][1] != "virama")
        )
        keep[i] = not (i > 0 and before and units[i + 1][1] == "c" and voiced(i + 1))
    out: list[str] = []
    for i, (latin, _) in enumerate(units):
        out.append(latin)
        if bare[i] and keep[i]:
            out.append("a")
    return "".join(out)


def _slug_word(word: str) -> str:
    """The romanisation slugs are made with: frozen, since a slug is a URL.

    The rules of khabar 0.1 before session 11 (final schwa kept after any
    conjunct; medial schwa dropped only between vowel signs), kept as they
    were so that better display names never move a tag's page.
    """
    units = _units(word)
    out: list[str] = []
    n = len(units)
    for i, (latin, kind) in enumerate(units):
        out.append(latin)
        if kind != "c":
            continue
        nxt = units[i + 1][1] if i + 1 < n else None
        if nxt in ("m", "virama"):
            continue  # the vowel sign or virama replaces the schwa
        if nxt is None or nxt == "other":
            # A one-letter word keeps its vowel, and so does a final conjunct
            # ("महाराष्ट्र" Maharashtra, "मित्र" mitra).
            if i == 0 or units[i - 1][1] == "virama":
                out.append("a")
            continue
        after = units[i + 2][1] if i + 2 < n else None
        # C a C V: the schwa drops before a consonant that has its own vowel,
        # unless this is the first syllable ("कमल" kamal, not kmal).
        if nxt == "c" and after in ("m",) and i > 0 and units[i - 1][1] in ("m", "v"):
            continue
        out.append("a")
    return "".join(out)


@functools.cache
def _bengali_letters() -> dict[int, str]:
    """Bengali code point -> the Devanagari letter in the same place of its block.

    Unicode lays out the two blocks letter for letter (0x80 apart), so Bengali
    is romanised by Devanagari's table. Not mapped: signs with no counterpart
    (currency, fractions, the "au" length mark).
    """
    out: dict[int, str] = {}
    for point in range(0x0981, 0x09F0):
        bengali, deva = chr(point), chr(point - 0x80)
        if unicodedata.category(bengali) != "Cn" and unicodedata.category(deva) != "Cn":
            out[point] = deva
    out[0x09CE] = "त्"  # khanda ta, a dead "t" ("উৎসব" utsab)
    out[0x0982] = "ंग्"  # Bengali's anusvara is "ng" ("বাংলাদেশ" Bangladesh, "সংবাদ" sangbad)
    out[0x09D7] = ""
    out[0x09F0], out[0x09F1] = "र", "व"  # Assamese ra and wa
    return out


def bengali_to_devanagari(text: str) -> str:
    """``text`` with its Bengali letters written in Devanagari (other characters kept)."""
    if not _BENGALI.search(text):
        return text
    return unicodedata.normalize("NFC", text).translate(_bengali_letters())


def to_latin(text: str) -> str:
    """Romanise Devanagari words, leaving other characters as they are."""
    return regex.sub(r"[\p{Devanagari}]+", lambda m: _word(m.group(0)), text)


@functools.cache
def _english_table(name: str) -> dict[str, str]:
    """Folded Hindi word or phrase -> English, from ``data/<name>`` (hindi<TAB>english).

    Read raw rather than by ``read_data``, which folds the tab into a space.
    """
    text = resources.files("khabar.enrich").joinpath("data").joinpath(name).read_text("utf-8")
    return parse_english_words(text, name)


def _english_words(language: str = "hi") -> dict[str, str]:
    """English words in the script, months, demonyms, surnames (``english-words.<lang>.tsv``)."""
    return _english_table(f"english-words.{language}.tsv")


def _glosses(language: str = "hi") -> dict[str, str]:
    """Common topic words (``english-glosses.<lang>.tsv``): used only when all words have one."""
    return _english_table(f"english-glosses.{language}.tsv")


@functools.cache
def known_words(language: str = "hi") -> frozenset[str]:
    """Folded one-word entries of the language's English-name lists: words khabar knows.

    Empty for a language without lists (only Hindi and Bengali have them).
    """
    if language not in NAMED_LANGUAGES:
        return frozenset()
    tables = (*_english_words(language), *_glosses(language))
    return frozenset(k for k in tables if " " not in k)


def parse_english_words(text: str, name: str = "english-words.hi.tsv") -> dict[str, str]:
    """``word<TAB>english`` lines as folded word -> English; a bad line raises ConfigError.

    The word is Devanagari or Bengali (the file's language); the English side
    has neither script.
    """
    table: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        hindi, sep, english = line.partition("\t")
        # A Devanagari letter on the English side, or none on the Hindi one, is a
        # misplaced tab ("रेपो<TAB>रेट Repo Rate" once made "रेट Repo Rate Rate").
        if (not sep or not _INDIC.search(hindi) or not english.strip()
                or _INDIC.search(english)):
            raise ConfigError(f"{name} line {number}: expected hindi<TAB>english")
        table[fold(hindi)] = english.strip()
    return table


@functools.cache
def _letters() -> tuple[tuple[str, str], ...]:
    """(folded Devanagari letter name, Latin letter), longest name first.

    Longest first, so "डब्ल्यू" is tried before "डी" could match a prefix.
    """
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(read_data("acronym-letters.txt"), 1):
        parts = line.split()
        if len(parts) != 2:
            raise ConfigError(
                f"acronym-letters.txt entry {number}: expected a letter name and its letter"
            )
        pairs.append((fold(parts[0]), parts[1]))
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def spell_acronym(word: str) -> str:
    """The Latin letters a Devanagari word spells ("पीजीआई" "PGI"); ``""`` if it is a word.

    Two letters or more, and two only when they differ: "बीबी" is a word
    ("wife"), not "BB".
    """
    rest, out = fold(word.replace(".", "")), []
    while rest:
        found = next(((n, latin) for n, latin in _letters() if rest.startswith(n)), None)
        if found is None:
            return ""
        rest = rest[len(found[0]) :]
        out.append(found[1])
    if len(out) < 2 or (len(out) == 2 and out[0] == out[1]):
        return ""
    return "".join(out)


def english_name(text: str, place: Callable[[str], str | None] | None = None) -> str:
    """A display name for a tag: Latin text title-cased; Devanagari romanised first.

    English words written in Devanagari, month names, demonyms and surnames
    take their English spelling (``data/english-words.hi.tsv``: "रिपोर्ट" is
    "Report", not "Riport"), the whole name first, then word by word; a word
    that spells Latin letters is written in them ("पीजीआई" PGI); common topic
    words are translated (``data/english-glosses.hi.tsv``: "सरकार"
    Government) when every word of the name can be; other Devanagari words
    are romanised and capitalised. ``place`` gives a word's English name when
    it is a place (the gazetteer's: "दिल्ली विश्वविद्यालय" is "Delhi
    University", not "Dilli Vishvavidyalay"). Bengali is read the same way
    from its own lists (``english-words.bn.tsv``, ``english-glosses.bn.tsv``:
    "আদালত" Court), asks ``place`` in Devanagari letters ("ভারত" is "भारत",
    India) and is romanised through Devanagari.
    """
    if _BENGALI.search(text):
        asked = place
        in_devanagari = (lambda w: asked(bengali_to_devanagari(w))) if asked else None
        return _read(text, "bn", in_devanagari, _BENGALI)
    if not _DEVANAGARI.search(text):
        if text.isupper() or not text.islower():
            return " ".join(text.split())
        return " ".join(w[:1].upper() + w[1:] for w in text.split())
    return _read(text, "hi", place, _DEVANAGARI)


def _read(
    text: str,
    language: str,
    place: Callable[[str], str | None] | None,
    script: regex.Pattern[str],
) -> str:
    """:func:`english_name` for a name in ``script``, with ``language``'s lists."""
    words, glosses = _english_words(language), _glosses(language)
    key = fold(text)
    whole = words.get(key) or glosses.get(key) or (place(text) if place else None)
    if whole is not None:
        return whole
    # Letter names are Hindi's ("पीजीआई"); Bengali acronyms are listed words.
    acronym = spell_acronym if language == "hi" else (lambda w: "")
    # Bengali inflects the words inside a name ("মেডিকেল কলেজের ফরেনসিক"):
    # such a word is looked up by its bare form too (Medical College Forensic).
    inflected = language != "hi"

    def lookup(table: dict[str, str], word: str) -> str:
        key = fold(word)
        found = table.get(key)
        if found is None and inflected:
            found = next((table[f] for f in bare_forms(key, language) if f in table), None)
        return found or ""

    # (word, its English name if English, its gloss) for each word.
    read = [
        (w, lookup(words, w) or (place(w) if place else None) or acronym(w), lookup(glosses, w))
        for w in text.split()
    ]
    # Topic words are translated only when all the words are: "Health Ministry",
    # but not "Chief Medical Salahkar".
    translate = all(known or gloss for w, known, gloss in read if script.search(w))
    out: list[str] = []
    for word, known, gloss in read:
        shown = known or (gloss if translate else "")
        if shown:
            out.append(shown)
        elif script.search(word):
            # Zero-width joiners are rendering hints, not letters ("टेस्‍ट").
            bare = word.replace("\u200d", "").replace("\u200c", "")
            latin = to_latin(bengali_to_devanagari(bare))
            out.append(latin[:1].upper() + latin[1:])
        else:
            out.append(word)
    return " ".join(out)


def slugify(text: str) -> str:
    """A stable ASCII URL slug: romanised (by the frozen rules), lower-case, hyphenated."""
    deva = bengali_to_devanagari(text)
    latin = regex.sub(r"[\p{Devanagari}]+", lambda m: _slug_word(m.group(0)), deva)
    latin = unicodedata.normalize("NFKD", latin)
    latin = "".join(ch for ch in latin if not unicodedata.combining(ch)).lower()
    slug = regex.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    if slug or not regex.search(r"\p{L}", text):
        return slug or "tag"
    # Letters of a script khabar does not romanise: every such tag was "tag",
    # one page for all of them. A digest of the name keeps them apart, stably.
    return "tag-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
