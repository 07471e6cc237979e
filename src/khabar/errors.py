"""The one exception tree of khabar.

Every error khabar raises on purpose is a :class:`KhabarError`, so callers
(and the CLI, which maps them to exit code 2) need to catch only one type::

    KhabarError
    ├── ConfigError          settings that cannot be used
    ├── InputError           input that cannot be read (empty, binary, too big)
    │   └── FetchError       a URL that could not be fetched
    ├── LanguageError        text in a language or script khabar cannot handle
    ├── ExtractError         no main content could be found in a page
    │   └── NotAnArticleError  the page is a listing, gallery, video, ...
    ├── SummarizeError       a summarizer failed or produced nothing usable
    ├── StoreError           the store could not read or write
    └── MissingDependencyError  an optional extra is needed but not installed

Each error carries the context it happened in (``source``, ``url``,
``stage``) so a batch report can count it and a user can find the page.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base of every error khabar raises on purpose."""

    stage: str = "khabar"

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        url: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.url = url
        # A short machine-readable reason that batch reports count by.
        self.reason = reason or type(self).__name__

    def __str__(self) -> str:
        where = self.url or self.source
        return f"{self.message} ({where})" if where else self.message


class ConfigError(KhabarError):
    """Settings that cannot be used."""

    stage = "config"


class InputError(KhabarError):
    """Input that cannot be read: empty, binary, undecodable or too large."""

    stage = "ingest"


class FetchError(InputError):
    """A URL that could not be fetched."""


class LanguageError(KhabarError):
    """Text in a language or script khabar cannot handle."""

    stage = "lang"


class ExtractError(KhabarError):
    """No main content could be found in a page."""

    stage = "extract"


class NotAnArticleError(ExtractError):
    """The page has content, but it is not an article or a live blog."""

    def __init__(self, message: str, *, page_type: str, **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)
        self.page_type = page_type


class SummarizeError(KhabarError):
    """A summarizer failed or produced nothing usable."""

    stage = "summarize"


class StoreError(KhabarError):
    """The store could not read or write."""

    stage = "store"


class MissingDependencyError(KhabarError):
    """An optional extra is needed but not installed."""

    stage = "config"

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this needs the optional package {module!r}: pip install 'khabar[{extra}]'",
            reason="missing_dependency",
        )
        self.module = module
        self.extra = extra
