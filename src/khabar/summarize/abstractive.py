"""What every abstractive (LLM) backend shares: the prompt, and reading its answer.

A backend sends :func:`build_messages` to a chat model and hands the reply
to :func:`parse_bullets`, which splits it into bullets and cites for each
the body sentences that share most of its words. The bullets then go
through the verifier in :func:`khabar.summarize.summarize_article` like
any other summarizer's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from .. import lang
from ..errors import SummarizeError
from ..models import Article, Bullet, Sentence
from . import _text

# Long articles are cut to this many characters before prompting: small
# local models (Ollama defaults to a 2,048-4,096 token window) lose the
# instruction behind a longer text, and the lead carries the news anyway.
MAX_ARTICLE_CHARS = 6_000
# Words allowed per bullet in the prompt (NDTV's bullets are 17-19 words).
BULLET_WORDS = 20
# A second cited sentence must add at least this share of the bullet's words.
SECOND_SOURCE_GAIN = 0.2

_LANGUAGE_NAMES = {
    "hi": "हिंदी", "mr": "मराठी", "ne": "नेपाली", "bn": "बांग्ला", "en": "अंग्रेज़ी",
    "pa": "पंजाबी", "gu": "गुजराती", "or": "ओड़िया", "as": "असमिया", "ta": "तमिल",
    "te": "तेलुगु", "kn": "कन्नड़", "ml": "मलयालम", "ur": "उर्दू",
}
_MARKER = regex.compile(r"^\s*(?:[-*•▪●◦‣–—]|\(?\d{1,2}[.)]|[\p{Nd}]{1,2}[.)])\s*")
_TERMINATORS = "।॥.?!…۔؟"

SYSTEM_PROMPT = (
    "आप एक सावधान समाचार संपादक हैं। आप केवल दिए गए लेख में लिखे तथ्यों का उपयोग करते हैं "
    "और कभी कोई नया नाम, संख्या, तारीख या दावा नहीं जोड़ते।"
)


def build_messages(
    article: Article, sentences: Sequence[Sentence], bullets: int, language: str
) -> list[dict[str, str]]:
    """The chat messages asking for ``bullets`` short, faithful bullets."""
    body = " ".join(s.text for s in sentences)
    if len(body) > MAX_ARTICLE_CHARS:
        body = body[:MAX_ARTICLE_CHARS].rsplit(" ", 1)[0] + " …"
    name = _LANGUAGE_NAMES.get(language, "हिंदी")
    instruction = (
        f"नीचे दिए गए समाचार लेख का सार ठीक {bullets} बुलेट पॉइंट में {name} में लिखें। "
        f"हर बुलेट अधिकतम {BULLET_WORDS} शब्दों का एक पूरा वाक्य हो। "
        "लेख में जो तथ्य, नाम, संख्या या तारीख नहीं है, उसे बिल्कुल न लिखें। "
        "हर बुलेट नई पंक्ति में '- ' से शुरू करें और इसके अलावा कुछ न लिखें।"
    )
    title = f"शीर्षक: {article.title}\n\n" if article.title else ""
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"{instruction}\n\n{title}लेख:\n{body}"},
    ]


def _lines(reply: str) -> list[str]:
    """The bullet lines of a model's reply (marked lines, else every non-empty line)."""
    lines = [ln.strip() for ln in reply.replace("\r", "").split("\n") if ln.strip()]
    marked = [ln for ln in lines if _MARKER.match(ln)]
    chosen = marked or lines
    out = []
    for line in chosen:
        text = _MARKER.sub("", line, count=1).strip().strip("*").strip()
        if text:
            out.append(text)
    return out


def cite(text: str, sentences: Sequence[Sentence], language: str) -> tuple[int, ...]:
    """Ids of the one or two sentences that cover most of ``text``'s content words."""
    words = set(_text.content_stems(text, language))
    if not words or not sentences:
        return ()
    bags = [set(_text.content_stems(s.text, language)) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: len(words & bags[i]))
    if not words & bags[best]:
        return ()
    ids = [best]
    rest = words - bags[best]
    if rest:
        second = max(range(len(sentences)), key=lambda i: len(rest & bags[i]))
        if second != best and len(rest & bags[second]) >= SECOND_SOURCE_GAIN * len(words):
            ids.append(second)
    return tuple(sorted(sentences[i].id for i in ids))


def parse_bullets(reply: str, sentences: Sequence[Sentence], language: str) -> list[Bullet]:
    """Bullets from a model's reply, each ending in a terminator and citing its sources.

    Returns every bullet the reply holds (even too many): trimming and
    verification are the caller's job, so the brief can say what happened.
    """
    out: list[Bullet] = []
    default_end = lang.get_language(lang.rules_language(language)).full_stop
    for text in _lines(reply):
        if text[-1] not in _TERMINATORS:
            text += default_end
        out.append(Bullet(text=text, source_sentences=cite(text, sentences, language), support=0.0))
    return out


def ask(
    chat: Callable[[list[dict[str, str]]], str],
    name: str,
    article: Article,
    sentences: Sequence[Sentence],
    bullets: int,
) -> list[Bullet]:
    """Prompt a chat model through ``chat`` and read its bullets; what every backend does.

    Raises:
        SummarizeError: the reply held no bullets (``reason`` ``"llm_empty"``);
            ``chat`` raises its own SummarizeError when the model fails.
    """
    language = article.language if article.language != "und" else "hi"
    reply = chat(build_messages(article, sentences, bullets, language))
    out = parse_bullets(reply, sentences, language)
    if not out:
        raise SummarizeError(f"{name} returned no bullets", reason="llm_empty")
    return out
