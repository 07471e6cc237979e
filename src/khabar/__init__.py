"""khabar: Hindi-first news pages to faithful briefs.

>>> import khabar
>>> b = khabar.brief(open("page.html", "rb").read())   # doctest: +SKIP
>>> b.to_dict()["bullets"]                               # doctest: +SKIP
"""

from __future__ import annotations

from .errors import (
    ConfigError,
    ExtractError,
    FetchError,
    InputError,
    KhabarError,
    LanguageError,
    MissingDependencyError,
    NotAnArticleError,
    StoreError,
    SummarizeError,
)
from .models import Article, Brief, Bullet, RawPage, Sentence, Tag
from .pipeline import brief, brief_article, extract
from .settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Brief",
    "Bullet",
    "ConfigError",
    "ExtractError",
    "FetchError",
    "InputError",
    "KhabarError",
    "LanguageError",
    "MissingDependencyError",
    "NotAnArticleError",
    "RawPage",
    "Sentence",
    "Settings",
    "StoreError",
    "SummarizeError",
    "Tag",
    "__version__",
    "brief",
    "brief_article",
    "extract",
    "load_settings",
]
