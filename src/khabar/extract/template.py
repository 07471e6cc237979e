"""A site-template learner: lines that repeat across a site's pages are its chrome.

Pages of one site share their chrome (menus, app promos, newsletter boxes,
footers) and differ in their stories. Given many scraped pages of one site,
:meth:`SiteTemplate.fit` counts in how many pages each line occurs (digits
folded, so "Read Time: 2 mins" and "Read Time: 3 mins" are one line) and
keeps the lines found in enough pages; it also learns short "label: value"
lines whose label repeats ("मौसम: 32°C", "अपडेटेड: 10:15 AM"). The model is
plain data (:meth:`to_dict` / :meth:`from_dict`), so a batch run can fit it
once per site and store it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import regex

from khabar.errors import ConfigError
from khabar.lang import normalize

from .lines import count_words, phrase_key

# A line in at least this share of the pages (and in at least MIN_PAGES of
# them) is template. 0.3 keeps a rotating promo that shows on a third of the
# pages; a story's own lines are on one page, or two for a follow-up.
DEFAULT_MIN_SHARE = 0.3
MIN_PAGES = 3
# A label line's value is short ("32°C", "2 mins"); a longer rest is a
# sentence after a dateline ("नई दिल्ली: पुलिस ने..."), which is body text.
_LABEL_MAX_REST_WORDS = 5
_LABEL = regex.compile(r"^([^:|：]{1,40}?)\s*[:|：]\s*(.+)$")
_DIGITS = regex.compile(r"\p{N}+")


def line_key(line: str) -> str:
    """The line as the template compares it: phrase key with digit runs folded."""
    return _DIGITS.sub("0", phrase_key(normalize(line)))


@dataclass(frozen=True, slots=True)
class SiteTemplate:
    """The chrome lines and labels learned from one site's pages."""

    lines: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict, compare=False)

    @classmethod
    def fit(
        cls,
        pages: Iterable[str],
        *,
        min_share: float = DEFAULT_MIN_SHARE,
        min_pages: int = MIN_PAGES,
    ) -> SiteTemplate:
        """Learn the template from the text of many pages of one site.

        Each page counts once per line. A line (or a short "label: value"
        line's label) is chrome when it occurs in at least ``min_pages``
        pages and in at least ``min_share`` of them.

        Raises:
            ConfigError: ``min_share`` is not in (0, 1] or ``min_pages`` < 2.
        """
        if not 0 < min_share <= 1 or min_pages < 2:
            raise ConfigError(
                f"template needs 0 < min_share <= 1 and min_pages >= 2, "
                f"got {min_share} and {min_pages}"
            )
        line_df: Counter[str] = Counter()
        label_df: Counter[str] = Counter()
        n = 0
        for page in pages:
            n += 1
            keys: set[str] = set()
            labels: set[str] = set()
            for raw in normalize(page).split("\n"):
                key = line_key(raw)
                if not key:
                    continue
                keys.add(key)
                label = _short_label(raw)
                if label:
                    labels.add(label)
            line_df.update(keys)
            label_df.update(labels)
        need = max(min_pages, min_share * n)
        return cls(
            lines=frozenset(k for k, c in line_df.items() if c >= need),
            labels=frozenset(k for k, c in label_df.items() if c >= need),
            pages=n,
            counts={k: c for k, c in line_df.items() if c >= need},
        )

    def is_chrome(self, line: str) -> bool:
        """Whether a line is part of the site's template."""
        if line_key(line) in self.lines:
            return True
        label = _short_label(line)
        return label is not None and label in self.labels

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"pages": self.pages, "lines": sorted(self.lines), "labels": sorted(self.labels)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteTemplate:
        """Rebuild a template saved with :meth:`to_dict`.

        Raises:
            ConfigError: the data is not a saved template.
        """
        try:
            return cls(
                lines=frozenset(str(x) for x in data["lines"]),
                labels=frozenset(str(x) for x in data["labels"]),
                pages=int(data["pages"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"not a saved site template: {exc}") from exc


def _short_label(line: str) -> str | None:
    """The folded label of a "label: short value" line, else ``None``."""
    m = _LABEL.match(line.strip())
    if m is None or count_words(m.group(2)) > _LABEL_MAX_REST_WORDS:
        return None
    label = line_key(m.group(1))
    return label or None
