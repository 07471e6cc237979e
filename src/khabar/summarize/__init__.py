"""Summarizers: the interface, the extractive default, the verifier, and the entry point.

Whatever summarizer runs, its bullets pass through the faithfulness
:class:`~khabar.summarize.verify.Verifier` in :func:`summarize_article`:
a bullet that fails is dropped and replaced by an extractive one, and the
returned notes say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .. import lang
from ..errors import KhabarError, SummarizeError
from ..models import Article, Bullet, Sentence
from ..settings import Settings
from . import _text
from .base import Summarizer
from .compress import Compressed, compress
from .embed import embeddings_available
from .extractive import ExtractiveSummarizer
from .llama_backend import LlamaCppSummarizer
from .openai_backend import OpenAISummarizer
from .verify import SourceIndex, Verdict, Verifier

__all__ = [
    "Compressed",
    "ExtractiveSummarizer",
    "LlamaCppSummarizer",
    "OpenAISummarizer",
    "Summarizer",
    "Verdict",
    "Verifier",
    "compress",
    "default_summarizer",
    "summarize_article",
]

# Below this many words an item is a news flash: one bullet says it all.
SHORT_ITEM_WORDS = 80


def default_summarizer(settings: Settings) -> ExtractiveSummarizer:
    """The extractive summarizer, with embeddings when settings and install allow."""
    if settings.embed == "on":
        from .embed import _model

        _model()  # fail now, with the extra's name, rather than mid-brief
        return ExtractiveSummarizer(use_embeddings=True)
    use = settings.embed == "auto" and embeddings_available()
    return ExtractiveSummarizer(use_embeddings=use)


def _language(article: Article) -> str:
    return lang.rules_language(article.language)


def summarize_article(
    article: Article,
    sentences: Sequence[Sentence],
    settings: Settings,
    summarizer: Summarizer | None = None,
) -> tuple[list[Bullet], list[str], str]:
    """Summarize ``article`` and verify every bullet against it.

    Runs ``summarizer`` (the default extractive one when ``None``), checks
    each bullet with the verifier, fills ``Bullet.support``, and replaces
    bullets that fail (or are missing, or that a backend could not produce
    at all) with extractive ones.

    Returns:
        The bullets in reading order, notes on what was changed and why
        (for the brief's ``notes``), and the name of what produced them.

    Raises:
        SummarizeError: not even the extractive summarizer found a bullet.
    """
    notes: list[str] = []
    k = settings.bullets
    words = 0
    for sentence in sentences:  # only "is it short?" matters: stop counting early
        words += _text.count(sentence.text)
        if words >= SHORT_ITEM_WORDS:
            break
    if article.page_type == "liveblog":
        notes.append("live blog: bullets come from the latest updates at the top")
    if 0 < words < SHORT_ITEM_WORDS and k > 1:
        notes.append(f"short item ({words} words): one bullet")
        k = 1
    extractive = default_summarizer(settings)
    chosen = summarizer or extractive
    is_extractive = isinstance(chosen, ExtractiveSummarizer)
    verifier = Verifier(use_embeddings=not is_extractive and extractive.use_embeddings)
    anchors = [t for t in (article.title, article.standfirst) if t]
    index = verifier.index([*(s.text for s in sentences), *anchors], _language(article))

    raw: list[Bullet] = []
    try:
        raw = chosen.summarize(article, sentences, bullets=k, max_words=settings.summary_words)
    except KhabarError as exc:
        if is_extractive:
            raise
        notes.append(f"{chosen.name} failed ({exc.reason}): {exc.message}")
    except Exception as exc:  # a plug-in backend's bug must not lose the brief
        if is_extractive:
            raise SummarizeError(f"the summarizer failed: {exc}", reason="summarizer_bug") from exc
        notes.append(f"{chosen.name} failed ({type(exc).__name__}): {exc}")
    if len(raw) > k:
        notes.append(f"{chosen.name} returned {len(raw)} bullets; kept the first {k}")
        raw = raw[:k]

    kept: list[Bullet] = []
    for n, bullet in enumerate(raw, 1):
        verdict = verifier.check(bullet.text, index, bullet.source_sentences)
        if verdict.ok:
            kept.append(replace(bullet, support=round(verdict.support, 4)))
        else:
            notes.append(f"dropped bullet {n} of {chosen.name}: {'; '.join(verdict.reasons)}")
    name = chosen.name
    # The extractive summarizer's own bullets are replaced only when one was
    # dropped: fewer bullets than asked is otherwise all a short article has.
    if len(kept) < k and (not is_extractive or len(kept) < len(raw)):
        filled = _fill(kept, article, sentences, settings, extractive, verifier, index, k)
        if filled:
            notes.append(f"{len(filled)} bullet(s) from {extractive.name} in place of missing ones")
            if not is_extractive:
                name = f"{chosen.name}+{extractive.name}" if kept else extractive.name
            kept.extend(filled)
    if not kept:
        raise SummarizeError("no bullet passed the faithfulness check", reason="no_faithful_bullet")
    kept.sort(key=lambda b: min(b.source_sentences, default=0))
    return kept, notes, name


def _fill(
    kept: list[Bullet],
    article: Article,
    sentences: Sequence[Sentence],
    settings: Settings,
    extractive: ExtractiveSummarizer,
    verifier: Verifier,
    index: SourceIndex,
    k: int,
) -> list[Bullet]:
    """Extractive bullets, verified, from sentences the kept bullets do not cite."""
    used = {i for b in kept for i in b.source_sentences}
    try:
        pool = extractive.summarize(
            article, sentences, bullets=k + len(used), max_words=settings.summary_words
        )
    except SummarizeError:
        return []
    out: list[Bullet] = []
    for bullet in pool:
        if len(kept) + len(out) >= k:
            break
        if used & set(bullet.source_sentences):
            continue
        verdict = verifier.check(bullet.text, index, bullet.source_sentences)
        if verdict.ok:
            out.append(replace(bullet, support=round(verdict.support, 4)))
    return out
