"""Fuzz enrichment: tags, entities, transliteration and duplicate lookup never crash.

The issue's bad input for #5: articles with no Devanagari, only numbers, a
tag list of thousands of entries. The fuzz bytes become the title, the body
and the publisher tags (one per line after a form feed), so odd tag lists
and odd text meet in the same input.
"""

from __future__ import annotations

import _harness

_harness.with_khabar()

from khabar.enrich import (  # noqa: E402
    DuplicateIndex,
    article_tags,
    english_name,
    find_entities,
    slugify,
)
from khabar.enrich._text import is_stopword_only  # noqa: E402
from khabar.errors import KhabarError  # noqa: E402
from khabar.models import Article  # noqa: E402

_INDEX = DuplicateIndex()
_KEPT = 200  # texts the index holds before it starts again, so memory stays flat
_added = 0


def one_input(data: bytes) -> None:
    """Tags of an article made of the input; its slugs; then a duplicate lookup."""
    text, _, tag_part = _harness.text_of(data).partition("\f")
    paragraphs = tuple(p for p in text.split("\n\n") if p.strip())
    tags = tuple(t for t in tag_part.split("\n") if t)
    title = paragraphs[0][:200] if paragraphs else ""
    try:
        article = Article(title=title, paragraphs=paragraphs or ("",), language="hi",
                          tags=tags)
        found = article_tags(article)
    except KhabarError:
        return
    assert len(found) <= 10
    for tag in found:
        assert tag.name.strip(), tag
        assert not is_stopword_only(tag.name, "hi"), tag
        assert tag.slug == slugify(tag.slug) or not tag.slug, tag
    for entity in find_entities(article.text):
        english_name(entity.name)
    global _INDEX, _added
    if _added >= _KEPT:
        _INDEX, _added = DuplicateIndex(), 0
    _INDEX.find(article.text)
    _INDEX.add(f"t{_added}", article.text)
    _added += 1


if __name__ == "__main__":
    _harness.main(one_input)
