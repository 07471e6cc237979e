"""Line features and phrase lists shared by the HTML and scraped-text extractors.

Both extractors end up with a list of text lines (trafilatura's text output
or a page already scraped to text) and must decide, line by line, what is
article text and what is page chrome. The phrase knowledge lives in
``data/*.txt``; this module only loads it and measures lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import groupby

import regex

from khabar._memo import short_memo
from khabar.lang import normalize

# A paragraph needs this many words before terminal punctuation makes it
# prose; shorter sentence-like lines are bylines, captions or prompts.
PROSE_MIN_WORDS = 8
# A line this long is prose even without terminal punctuation (trafilatura
# and scrapers sometimes lose the final danda).
PROSE_LONG_WORDS = 20
# Headlines on Hindi sites run 5-25 words; NDTV's seed headline has 18.
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 35

# Scripts written without spaces count one character as one word, so that
# length rules mean roughly the same for Japanese or Chinese as for Hindi.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_WORD = regex.compile(
    rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])[\p{{L}}\p{{M}}\p{{N}}])+"
    rf"(?:[\p{{Pd}}'’.](?:(?![{_UNSPACED}])[\p{{L}}\p{{M}}\p{{N}}])+)*"
)
_NON_WORD = regex.compile(r"[^\p{L}\p{M}\p{N}]+")
_SPACES = regex.compile(r"\s+")
# Sentence-final marks, optionally followed by closing quotes or brackets.
_TERMINAL = regex.compile(r"[।॥.!?…。！？][\"'”’»)\]」』]*$|[\"”’»][.।]?$")
_TRAILING_BRACKET = regex.compile(r"\s*\([^()]*\)$")
_BULLET = regex.compile(r"^\s*(?:[•●▪◦‣∙·*]|[-–—](?=\s))\s*")
# Leading and trailing runs apart: one pattern with ``...+$`` as an
# alternative is tried at every position of the line; the trailing one is
# searched backwards from the end instead (the regex module's REVERSE).
_LEAD_PUNCT = regex.compile(r"^[\s\p{P}\p{S}]+")
_TRAIL_PUNCT = regex.compile(r"(?r)[\s\p{P}\p{S}]+$")
_SEPARATOR = r"\s*(?:[:：|]|[-–—](?=\s)|[-–—]$)\s*"


# A line longer than this is never chrome as a whole by a prefix or infix
# phrase. Text dumps glue promos to the paragraph before them: BBC Hindi's
# "(बीबीसी हिन्दी के एंड्रॉएड ऐप के लिए यहां क्लिक करें. ...)" closes most of
# its articles, often on the last paragraph's line, and matching it had dropped
# whole articles (16 of the 344 BBC Hindi texts came out empty or as 9 words).
# The longest chrome line in the seed has 95 characters.
PHRASE_LINE_MAX_CHARS = 300
# Sentence ends inside a line: after a final mark and any closing quotes or
# brackets, and before an opening bracket (zero-width split points, so the
# pieces keep their punctuation).
_SENTENCE_SPLIT = regex.compile(r"(?<=[।॥.!?…][\"'”’»)\]]*)(?![\"'”’»)\]])|(?<=\S)(?=\()")


@dataclass(frozen=True, slots=True)
class PhraseList:
    """Phrases matched against whole lines: exact keys, plus prefix keys."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    infixes: tuple[str, ...] = ()

    def matches(self, line: str) -> bool:
        """True when the line is one of the phrases (or starts with a prefix one).

        Prefix and infix phrases mark only lines of at most
        :data:`PHRASE_LINE_MAX_CHARS`: a longer line is prose with a promo
        glued to it (:func:`strip_glued_phrases` cuts that out).
        """
        key = phrase_key(line)
        if not key:
            return False
        if key in self.exact:
            return True
        if len(key) > PHRASE_LINE_MAX_CHARS:
            return False
        if any(infix in key for infix in self.infixes):
            return True
        for prefix in self.prefixes:
            if key.startswith(prefix):
                rest = key[len(prefix) :]
                if not rest or not regex.match(r"[\p{L}\p{M}\p{N}]", rest):
                    return True
        return False


# Cached for lines up to 300 characters: a page's lines meet several phrase
# lists, and the memo never holds a hostile page's megabyte lines.
@short_memo(maxsize=512, max_chars=300)
def phrase_key(line: str) -> str:
    """Case-folded line without edge punctuation or repeated spaces."""
    key = _SPACES.sub(" ", line)
    m = _LEAD_PUNCT.match(key)
    if m is not None:
        key = key[m.end() :]
    m = _TRAIL_PUNCT.search(key)
    if m is not None:
        key = key[: m.start()]
    return key.casefold()


def _read_data(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file under ``data/``."""
    text = resources.files("khabar.extract").joinpath("data", name).read_text(encoding="utf-8")
    out = []
    # Normalised like page text, so a nukta letter typed precomposed in the
    # file still matches the decomposed form pages are normalised to.
    for raw in normalize(text).splitlines():
        item = raw.strip()
        if item and not item.startswith("#"):
            out.append(item)
    return out


def _phrase_list(names: tuple[str, ...]) -> PhraseList:
    """Build a :class:`PhraseList` from data files."""
    exact: set[str] = set()
    prefixes: list[str] = []
    infixes: list[str] = []
    for name in names:
        for item in _read_data(name):
            if item.startswith("*") and item.endswith("*") and len(item) > 2:
                infixes.append(phrase_key(item[1:-1]))
            elif item.endswith("*"):
                prefixes.append(phrase_key(item[:-1]))
            else:
                exact.add(phrase_key(item))
    return PhraseList(
        frozenset(exact),
        tuple(sorted(set(prefixes), key=len, reverse=True)),
        tuple(infixes),
    )


@lru_cache(maxsize=1)
def chrome_phrases() -> PhraseList:
    """Lines that are page chrome in any supported language (every ``data/chrome.*.txt``)."""
    folder = resources.files("khabar.extract").joinpath("data")
    names = sorted(f.name for f in folder.iterdir()
                   if f.name.startswith("chrome.") and f.name.endswith(".txt"))
    return _phrase_list(tuple(names))


@lru_cache(maxsize=1)
def comment_headings() -> PhraseList:
    """Headings that open a reader-comment section."""
    return _phrase_list(("comments.txt",))


# "10 comments:", "3 Responses": Blogger and WordPress put the count first.
_LEADING_COUNT = regex.compile(r"\s*\d[\d,.]*\s+")


def comment_heading_key(line: str) -> str | None:
    """The heading's key without its count when the line opens reader comments, else ``None``.

    Headings are ``data/comments.txt``'s, with or without a count before
    them ("10 comments:" and "Comments" share the key "comments").
    """
    headings = comment_headings()
    count = _LEADING_COUNT.match(line)
    bare = line[count.end():] if count is not None else line
    if headings.matches(bare) or (count is not None and headings.matches(line)):
        return phrase_key(bare)
    return None


def is_comment_heading(line: str) -> bool:
    """True for a heading that opens reader comments (see :func:`comment_heading_key`)."""
    return comment_heading_key(line) is not None


@lru_cache(maxsize=1)
def teaser_headings() -> PhraseList:
    """Headings of the teaser lists that follow a story."""
    return _phrase_list(("teasers.txt",))


@lru_cache(maxsize=1)
def summary_markers() -> PhraseList:
    """Headings and prompts that sit next to a publisher's summary bullets."""
    return _phrase_list(("summary.txt",))


@lru_cache(maxsize=1)
def _dangling_words() -> frozenset[str]:
    """Words after which a line is unfinished."""
    return frozenset(w.casefold() for w in _read_data("dangling.txt"))


def ends_dangling(line: str) -> bool:
    """True when the line stops on a word that needs a continuation ("के", "and")."""
    tokens = words(line)
    return bool(tokens) and tokens[-1].casefold() in _dangling_words()


@lru_cache(maxsize=1)
def _related_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(marker followed by a headline, marker alone) patterns."""
    markers = sorted(_read_data("related.txt"), key=len, reverse=True)
    alt = "|".join(regex.escape(m) for m in markers)
    with_text = regex.compile(rf"^\s*(?:{alt}){_SEPARATOR}(?P<text>\S.*)$", regex.IGNORECASE)
    alone = regex.compile(rf"^[\s\p{{P}}]*(?:{alt})[\s\p{{P}}]*$", regex.IGNORECASE)
    return with_text, alone


def related_link(line: str) -> str | None:
    """The headline in a "यह भी पढ़ें: X" line, else ``None``."""
    with_text, _ = _related_patterns()
    m = with_text.match(line)
    if m is None:
        return None
    text = m.group("text").strip()
    return text if count_words(text) >= 2 else None


def is_related_marker(line: str) -> bool:
    """True for a bare "यह भी पढ़ें" heading."""
    return _related_patterns()[1].match(line) is not None


_CAPTION_MAX_WORDS = 30


@lru_cache(maxsize=4)
def _cues(name: str) -> regex.Pattern[str]:
    """Any whole cue of data file ``name``, case-blind.

    Bounded by letters and marks, not ``\\b``: a Devanagari cue must not
    match inside a longer word, and a digit next to it does not make it one.
    """
    cues = "|".join(regex.escape(c) for c in _read_data(name))
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{cues})(?![\p{{L}}\p{{M}}])", regex.IGNORECASE)


def is_caption(line: str) -> bool:
    """A short line that names a photo ("... की फाइल फोटो", "Photo: AFP")."""
    return (count_words(line) <= _CAPTION_MAX_WORDS
            and _cues("captions.txt").search(line) is not None)


# An e-mail address or a social-media handle.
_ADDRESS = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?<![\w@])@\w{2,}")
# Contact footers are one short line; a long one is a paragraph quoting an address.
_CONTACT_MAX_WORDS = 40
# Only the story's last lines can be its footer.
_CONTACT_TAIL = 3


def drop_contact_footers(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the author contact lines closing the story."""
    if len(paragraphs) <= _CONTACT_TAIL:
        return paragraphs
    start = len(paragraphs) - _CONTACT_TAIL
    return paragraphs[:start] + [
        p for p in paragraphs[start:]
        if not (count_words(p) <= _CONTACT_MAX_WORDS and _ADDRESS.search(p)
                and _cues("contact.txt").search(p))
    ]


# Pages often carry their text twice (a mobile and a desktop copy, a teaser
# box above the story). A sentence this long is never repeated on purpose,
# nor is a run of paragraphs this long that reads mostly as sentences. Other
# repeats are part of the text: table cells, "Pros"/"Cons" heads, a meal
# plan's daily blocks (ScrapingHub AEB counts every copy of those, runs of a
# dozen lines and ingredient lists of 25 words and more among them).
_REPEAT_LONG_WORDS = 25
_REPEAT_RUN_LINES = 4
_REPEAT_RUN_WORDS = 100
_REPEAT_RUN_PROSE = 0.5


def _is_sentence(line: str, size: int) -> bool:
    return size >= PROSE_MIN_WORDS and ends_sentence(line)


def drop_repeated_copies(paragraphs: list[str]) -> list[str]:
    """The paragraphs without second copies of long sentences or of whole passages."""
    seen: set[str] = set()
    repeat = []
    for key in map(same_text_key, paragraphs):
        repeat.append(bool(key) and key in seen)
        seen.add(key)
    if not any(repeat):  # most pages: no word count needed
        return paragraphs
    sizes = [count_words(p) if r else 0 for p, r in zip(paragraphs, repeat, strict=True)]
    drop = [False] * len(paragraphs)
    for is_repeat, group in groupby(range(len(paragraphs)), key=repeat.__getitem__):
        if not is_repeat:
            continue
        run = list(group)
        sentence = {k: _is_sentence(paragraphs[k], sizes[k]) for k in run}
        words = sum(sizes[k] for k in run)
        prose = sum(sizes[k] for k in run if sentence[k])
        whole = (len(run) >= _REPEAT_RUN_LINES and words >= _REPEAT_RUN_WORDS
                 and prose >= _REPEAT_RUN_PROSE * words)
        for k in run:
            drop[k] = whole or (sentence[k] and sizes[k] >= _REPEAT_LONG_WORDS)
    return [p for p, gone in zip(paragraphs, drop, strict=True) if not gone]


def is_chrome(line: str) -> bool:
    """True when the line is known page chrome."""
    return chrome_phrases().matches(line)


def strip_glued_phrases(line: str) -> str:
    """The line without the chrome sentences glued into it ("" when no prose is left).

    Only the "anywhere in the line" chrome phrases are looked for, and only
    whole sentences holding one are cut: "... चाहती हैं.(बीबीसी हिंदी के
    एंड्रॉएड ऐप के लिए यहां क्लिक करें. आप हमें फ़ेसबुक ... सकते हैं.)" keeps its
    first sentence. When what is left is not prose (a promo's second
    sentence, "आप हमें ... फॉलो करें।)"), the whole line was a promo and ""
    comes back. A line without such a phrase is returned as it is.
    """
    phrases = chrome_phrases()
    folded = line.casefold()
    if not any(infix in folded for infix in phrases.infixes):
        return line
    kept: list[str] = []
    dropped = False
    for piece in _SENTENCE_SPLIT.split(line):
        if not _NON_WORD.fullmatch(piece) and phrases.matches(piece):
            dropped = True
        elif not dropped or not _NON_WORD.fullmatch(piece):
            # Punctuation left after a cut sentence (a closing bracket) goes with it.
            kept.append(piece)
            dropped = False
    rest = "".join(kept).strip()
    return rest if is_prose(rest) else ""


def words(line: str) -> list[str]:
    """Word tokens of a line (letters, marks and digits, any script)."""
    return _WORD.findall(line)


def count_words(line: str, upto: int | None = None) -> int:
    """Number of word tokens in a line, or ``upto`` when it has at least that many.

    Pass ``upto`` to compare a whole page's text with a threshold: counting
    every word of it only to learn it has more than 60 had cost about 4% of
    HTML extraction (WCXB profile, session 9).
    """
    if upto is None:
        return len(words(line))
    n = 0
    for _ in _WORD.finditer(line):
        n += 1
        if n >= upto:
            break
    return n


def ends_sentence(line: str) -> bool:
    """True when the line ends with sentence-final punctuation.

    A closing credit in brackets after the full stop ("... हुआ. (भाषा इनपुट के
    साथ)") still ends the sentence.
    """
    line = line.rstrip()
    if _TERMINAL.search(line) is not None:
        return True
    bare = _TRAILING_BRACKET.sub("", line)
    return bare != line and _TERMINAL.search(bare) is not None


def is_prose(line: str) -> bool:
    """True for a line that reads as a body paragraph."""
    n = count_words(line)
    return n >= PROSE_LONG_WORDS or (n >= PROSE_MIN_WORDS and ends_sentence(line))


def is_headline_like(line: str) -> bool:
    """True for a short line with no sentence-final danda or full stop."""
    n = count_words(line)
    if not HEADLINE_MIN_WORDS <= n <= HEADLINE_MAX_WORDS:
        return False
    end = line.rstrip()[-1:]
    if end in {"।", ".", ":", ",", ";"} or is_bullet(line):
        return False
    return end in {"?", "!"} or not ends_dangling(line)


def is_bullet(line: str) -> bool:
    """True for a list item ("• x", "* x", "- x")."""
    return _BULLET.match(line) is not None and bool(strip_bullet(line))


def strip_bullet(line: str) -> str:
    """The line without its list marker."""
    return _BULLET.sub("", line, count=1).strip()


def same_text_key(line: str) -> str:
    """Letters and digits only, case-folded: equal for a headline and its copies."""
    return _NON_WORD.sub("", line).casefold()


def letter_share(line: str, script_pattern: str) -> float:
    """Share of the line's letters that match ``script_pattern`` (e.g. ``\\p{Latin}``)."""
    letters = regex.findall(r"\p{L}", line)
    if not letters:
        return 0.0
    hits = sum(1 for ch in letters if regex.match(script_pattern, ch))
    return hits / len(letters)


@lru_cache(maxsize=1)
def _tag_label() -> regex.Pattern[str]:
    """A tag line's label ("Tags:", "टैग:", "ট্যাগ:"; ``data/tag-labels.txt``)."""
    labels = sorted(_read_data("tag-labels.txt"), key=len, reverse=True)
    alternatives = "|".join(regex.escape(label) for label in labels)
    return regex.compile(rf"^\s*(?:{alternatives})\s*[:：]\s*", regex.IGNORECASE)


def tag_list(line: str) -> list[str] | None:
    """The items of a comma-separated tag line ("A, B, C"), else ``None``."""
    body = _tag_label().sub("", line)
    body = body.strip().rstrip(".")
    if not body or body[-1] in '।॥?!"”۔؟':
        return None
    parts = [p.strip() for p in regex.split(r"\s*[,،|]\s*", body)]
    parts = [p for p in parts if p]
    if len(parts) < 2 or any(count_words(p) > 6 for p in parts):
        return None
    explicit = body != line.strip().rstrip(".")
    # Without a "Tags:" label only a line of name-like items counts: short
    # items and no sentence verbs, which in practice means 1-5 words each.
    if not explicit and any(count_words(p) > 5 for p in parts):
        return None
    return parts


# A teaser list shows each teaser's date on a line of its own.
_TEASER_MIN_DATES = 3
_DATELINE_MAX_WORDS = 6


def cut_dated_teasers(paragraphs: list[str], is_date: Callable[[str], bool]) -> list[str]:
    """The paragraphs before a "Read This Next" heading that opens a list of dated teasers.

    trafilatura keeps such lists when their blurbs read as prose (a travel
    magazine's six teasers doubled a WCXB story, 0.60; cut, 1.00). Only a
    heading from ``data/teasers.txt`` followed by at least three short
    lines that ``is_date`` reads as dates is cut at; nothing changed on
    AEB, fundus or newspaper4k (session 13).
    """
    headings = teaser_headings()
    for i, line in enumerate(paragraphs):
        if i and headings.matches(line):
            dates = sum(1 for p in paragraphs[i + 1:]
                        if count_words(p, upto=_DATELINE_MAX_WORDS + 1) <= _DATELINE_MAX_WORDS
                        and is_date(p))
            if dates >= _TEASER_MIN_DATES:
                return paragraphs[:i]
    return paragraphs
