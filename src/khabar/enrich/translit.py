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
from typing import NamedTuple

import regex

from ..errors import ConfigError
from ._text import bare_forms, fold, read_data

VIRAMA = "\u094d"
_DEVANAGARI = regex.compile(r"\p{Devanagari}")
_BENGALI = regex.compile(r"\p{Bengali}")
_INDIC = regex.compile(
    r"[\p{Devanagari}\p{Bengali}\p{Gurmukhi}\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}"
    r"\p{Kannada}\p{Malayalam}\p{Arabic}]"
)
# The language whose English-name lists (data/english-words.<lang>.tsv,
# data/english-glosses.<lang>.tsv) serve a name in each script. Hindi's also
# serve the other Brahmic scripts, looked up in Devanagari letters.
_SCRIPT_LANGUAGES = (("Bengali", "bn"), ("Gurmukhi", "pa"), ("Gujarati", "gu"), ("Oriya", "or"),
                     ("Tamil", "ta"), ("Telugu", "te"), ("Kannada", "kn"), ("Malayalam", "ml"))
_SCRIPT_OF = tuple((regex.compile(rf"\p{{{name}}}"), code) for name, code in _SCRIPT_LANGUAGES)
_ARABIC = regex.compile(r"\p{Arabic}")
_ASSAMESE = regex.compile("[\u09f0\u09f1]")


def _language_of(text: str) -> str:
    """The language whose lists serve a name in a script other than Devanagari."""
    if _ARABIC.search(text):
        return "ur"
    if _ASSAMESE.search(text):
        return "as"
    return next((code for script, code in _SCRIPT_OF if script.search(text)), "hi")
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


def _word(word: str, keep_schwa: bool = False) -> str:
    """Romanise one Devanagari word; see the module docstring for the schwa rules.

    ``keep_schwa`` sounds every inherent vowel (a Dravidian word moved into
    Devanagari letters).
    """
    word = unicodedata.normalize("NFC", word)
    units = _units(word)
    n = len(units)
    if keep_schwa:
        return "".join(
            latin + ("a" if kind == "c" and (i + 1 >= n or units[i + 1][1] not in ("m", "virama"))
                     else "")
            for i, (latin, kind) in enumerate(units)
        )
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


# First code point of each Brahmic script's Unicode block. Unicode lays the
# blocks out letter for letter after ISCII, 0x80 apart, so each script is
# romanised by Devanagari's table once its letters are moved onto it.
_BLOCKS = {"Bengali": 0x0980, "Gurmukhi": 0x0A00, "Gujarati": 0x0A80, "Oriya": 0x0B00,
           "Tamil": 0x0B80, "Telugu": 0x0C00, "Kannada": 0x0C80, "Malayalam": 0x0D00}
_OTHER_BRAHMIC = regex.compile("[" + "".join(rf"\p{{{name}}}" for name in _BLOCKS) + "]")
_NON_LATIN = regex.compile(rf"{_OTHER_BRAHMIC.pattern}|\p{{Arabic}}")
# Dravidian scripts write every dead consonant with a virama, so a bare
# consonant is always sounded with its vowel: no schwa deletion
# ("కర్నాటక" Karnataka, not Karnatak).
_DRAVIDIAN = regex.compile(r"[\p{Tamil}\p{Telugu}\p{Kannada}\p{Malayalam}]")
_TAMIL = regex.compile(r"\p{Tamil}")
_ADDAK = regex.compile("\u0a71([\u0a15-\u0a39])")


@functools.cache
def _to_devanagari_letters() -> dict[int, str]:
    """Brahmic code point -> the Devanagari letter in the same place of its block.

    Not mapped: signs with no counterpart (currency, fractions, length marks).
    Special letters are written out: Bengali khanda ta and anusvara,
    Assamese ra and wa, Gurmukhi tippi and addak, Malayalam's chillu
    (dead-consonant) letters and its word-final anusvara "m" ("കേരളം" Keralam).
    """
    out: dict[int, str] = {}
    for start in _BLOCKS.values():
        for point in range(start + 1, start + 0x70):
            letter, deva = chr(point), chr(point - start + 0x0900)
            if unicodedata.category(letter) != "Cn" and unicodedata.category(deva) != "Cn":
                out[point] = deva
    out[0x09CE] = "त्"  # khanda ta, a dead "t" ("উৎসব" utsab)
    out[0x0982] = "ंग्"  # Bengali's anusvara is "ng" ("বাংলাদেশ" Bangladesh, "সংবাদ" sangbad)
    out[0x09D7] = ""
    out[0x09F0], out[0x09F1] = "र", "व"  # Assamese ra and wa
    out[0x0A70] = "ं"  # Gurmukhi tippi, a nasal like the bindi
    out[0x0A71] = ""  # an addak left over (before no consonant) is dropped
    out[0x0A72], out[0x0A73] = "इ", "उ"  # Gurmukhi iri and ura, vowel bearers
    out[0x0BD7], out[0x0C56], out[0x0CD5], out[0x0CD6], out[0x0D57] = "", "", "", "", ""
    out[0x0D02] = "म्"  # Malayalam anusvara
    out[0x0B71] = "व"  # Odia wa
    chillu = {0x0D7A: "ण्", 0x0D7B: "न्", 0x0D7C: "र्", 0x0D7D: "ल्", 0x0D7E: "ळ्", 0x0D7F: "क्"}
    out.update(chillu)
    return out


# Tamil writes one letter for each of k/g, ch/j/s, t/d (retroflex and
# dental) and p/b: it is voiced between vowels and after a nasal, voiceless
# at the start of a word and when doubled ("முருகன்" Murugan, "பஞ்சாப்"
# Panjab, "பக்கம்" Pakkam, "சிதம்பரம்" Chidambaram). ச between vowels is "s"
# ("அரசு" Arasu).
_TAMIL_STOPS = {"க": ("ग", "ग"), "ச": ("स", "ज"), "ட": ("ड", "ड"), "த": ("द", "द"), "ப": ("ब", "ब")}
_TAMIL_VOICED = regex.compile(
    r"(?<=[\p{Tamil}&&[\p{L}\p{M}]--[\u0bcd]])(?<![க-ஹ]\u0bcd)(?<!^)[கசடதப](?!\u0bcd[கசடதப])"
    r"|(?<=[ஙஞணநமன]\u0bcd)[கசடதப]",
    regex.V1,
)


def _voice_tamil(text: str) -> str:
    """Tamil stops voiced where Tamil sounds them so (see ``_TAMIL_STOPS``)."""

    def voiced(match: regex.Match[str]) -> str:
        letter = match.group()
        start = match.start()
        after_nasal = start >= 2 and text[start - 1] == "\u0bcd" and text[start - 2] in "ஙஞணநமன"
        return _TAMIL_STOPS[letter][1 if after_nasal else 0]

    return _TAMIL_VOICED.sub(voiced, text)


def to_devanagari(text: str) -> str:
    """``text`` with the letters of other Brahmic scripts written in Devanagari.

    Bengali, Assamese, Gurmukhi, Gujarati, Odia, Tamil, Telugu, Kannada and
    Malayalam are moved letter for letter (Tamil's stops voiced where they are
    sounded so); other characters are kept.
    """
    if not _OTHER_BRAHMIC.search(text):
        return text
    text = unicodedata.normalize("NFC", text)
    if _TAMIL.search(text):
        text = regex.sub(r"\p{Tamil}+", lambda m: _voice_tamil(m.group()), text)
    if "\u0a70" in text or "\u0a71" in text:
        # A tippi before a nasal consonant doubles it ("ਅੰਮ੍ਰਿਤਸਰ" Amritsar);
        # an addak doubles the consonant after it ("ਦਿੱਲੀ" is "दिल्ली").
        text = text.replace("\u0a70\u0a2e", "\u0a2e").replace("\u0a70\u0a28", "\u0a28")
        text = _ADDAK.sub(lambda m: m.group(1) + "\u0a4d" + m.group(1), text)
    return text.translate(_to_devanagari_letters())


# The name the Bengali-only version had; tags and benchmarks still call it.
bengali_to_devanagari = to_devanagari

# Letters Hindi spells otherwise: Dravidian short e/o, Tamil's alveolar n
# and r, and its zh; a word-final virama, which Dravidian scripts write and
# Devanagari does not ("హైదరాబాద్" is "हैदराबाद").
_AS_HINDI = str.maketrans({"ॆ": "े", "ॊ": "ो", "ऎ": "ए", "ऒ": "ओ", "ऩ": "न", "ऱ": "र", "ऴ": "ळ"})
_FINAL_VIRAMA = regex.compile(r"\u094d(?=\s|$)")


def lookup_form(text: str) -> str:
    """``text`` in Devanagari as Hindi would spell it, for lists and the gazetteer."""
    deva = to_devanagari(text)
    if deva is text:
        return text
    return _FINAL_VIRAMA.sub("", unicodedata.normalize("NFC", deva.translate(_AS_HINDI)))


def to_latin(text: str, keep_schwa: bool = False) -> str:
    """Romanise Devanagari words, leaving other characters as they are.

    ``keep_schwa``: sound every inherent vowel (Dravidian words moved into
    Devanagari, see :func:`to_devanagari`).
    """
    return regex.sub(r"[\p{Devanagari}]+", lambda m: _word(m.group(0), keep_schwa), text)


@functools.cache
def _english_table(name: str) -> dict[str, str]:
    """Folded Hindi word or phrase -> English, from ``data/<name>`` (hindi<TAB>english).

    Read raw rather than by ``read_data``, which folds the tab into a space.
    Empty when the language has no such list.
    """
    try:
        path = resources.files("khabar.enrich").joinpath("data").joinpath(name)
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
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

    Empty for a language without lists.
    """
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
    if _OTHER_BRAHMIC.search(text) or _ARABIC.search(text):
        asked = place

        def in_devanagari(word: str) -> str | None:
            return (asked(word) or asked(lookup_form(word))) if asked else None

        return _read(text, _language_of(text), in_devanagari, _NON_LATIN,
                     keep_schwa=_DRAVIDIAN.search(text) is not None)
    if not _DEVANAGARI.search(text):
        if text.isupper() or not text.islower():
            return " ".join(text.split())
        return " ".join(w[:1].upper() + w[1:] for w in text.split())
    return _read(text, "hi", place, _DEVANAGARI)


class _Lists(NamedTuple):
    """One language's English-name lists and how a word is keyed into them."""

    words: dict[str, str]
    glosses: dict[str, str]
    language: str
    key: Callable[[str], str]


def _read(
    text: str,
    language: str,
    place: Callable[[str], str | None] | None,
    script: regex.Pattern[str],
    keep_schwa: bool = False,
) -> str:
    """:func:`english_name` for a name in ``script``, with ``language``'s lists.

    A language's own lists come first; then, for a script other than
    Bengali, Hindi's, looked up in Devanagari letters ("પોલીસ" is "पोलीस").
    """
    hindi = language == "hi"
    lists = [_Lists(_english_words(language), _glosses(language), language, fold)]
    if language == "as":  # Assamese writes many words as Bengali does
        lists.append(_Lists(_english_words("bn"), _glosses("bn"), "bn", fold))
    if language not in ("hi", "bn", "ur"):
        lists.append(_Lists(_english_words("hi"), _glosses("hi"), "hi",
                            lambda w: fold(lookup_form(w))))
    whole = next((found for ls in lists
                  for found in (ls.words.get(ls.key(text)), ls.glosses.get(ls.key(text)))
                  if found), None)
    whole = whole or (place(text) if place else None)
    if whole is not None:
        return whole
    # Letter names are Hindi's ("पीजीआई"); Bengali acronyms are listed words.
    acronym = spell_acronym if hindi else (lambda w: "")

    def lookup(gloss: bool, word: str) -> str:
        for ls in lists:
            table = ls.glosses if gloss else ls.words
            key = ls.key(word)
            found = table.get(key)
            # Bengali and the other Indic languages inflect the words inside
            # a name ("মেডিকেল কলেজের ফরেনসিক"): such a word is looked up by
            # its bare form too (Medical College Forensic).
            if found is None and not hindi:
                found = next((table[f] for f in bare_forms(key, ls.language) if f in table),
                             None)
            if found:
                return found
        return ""

    # (word, its English name if English, its gloss) for each word.
    read = [
        (w, lookup(False, w) or (place(w) if place else None) or acronym(w), lookup(True, w))
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
            latin = to_latin(to_devanagari(bare), keep_schwa)
            out.append(latin[:1].upper() + latin[1:])
        else:
            out.append(word)
    return " ".join(out)


def slugify(text: str) -> str:
    """A stable ASCII URL slug: romanised (by the frozen rules), lower-case, hyphenated."""
    deva = to_devanagari(text)
    latin = regex.sub(r"[\p{Devanagari}]+", lambda m: _slug_word(m.group(0)), deva)
    latin = unicodedata.normalize("NFKD", latin)
    latin = "".join(ch for ch in latin if not unicodedata.combining(ch)).lower()
    slug = regex.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    if slug or not regex.search(r"\p{L}", text):
        return slug or "tag"
    # Letters of a script khabar does not romanise: every such tag was "tag",
    # one page for all of them. A digest of the name keeps them apart, stably.
    return "tag-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
