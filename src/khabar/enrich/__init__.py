"""Enrich: tags, entities, related stories, duplicates and story clusters."""

from .clusters import StoryCluster, StoryItem, cluster_stories
from .dedup import DuplicateIndex, normalized_hash
from .entities import Entity, Gazetteer, find_entities, load_gazetteer
from .related import Related, RelatedIndex
from .tags import article_tags, keyphrases, make_tag
from .translit import english_name, slugify, to_latin

__all__ = [
    "DuplicateIndex",
    "Entity",
    "Gazetteer",
    "Related",
    "RelatedIndex",
    "StoryCluster",
    "StoryItem",
    "article_tags",
    "cluster_stories",
    "english_name",
    "find_entities",
    "keyphrases",
    "load_gazetteer",
    "make_tag",
    "normalized_hash",
    "slugify",
    "to_latin",
]
