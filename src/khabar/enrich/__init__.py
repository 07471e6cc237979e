"""Enrich: tags (and, later, entities, related stories and clusters)."""

from .tags import article_tags, keyphrases, make_tag
from .translit import english_name, slugify, to_latin

__all__ = ["article_tags", "english_name", "keyphrases", "make_tag", "slugify", "to_latin"]
