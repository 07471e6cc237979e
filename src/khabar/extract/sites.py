"""Publisher hints as data: per-site selectors and chrome phrases from ``data/sites.toml``.

A site is recognised by its URL's host (or the canonical URL's, or its
``og:site_name``). Its hints say where the body, headline and summary box
are (XPath), which boxes are chrome (removed before anything reads the
page), and which extra lines are chrome. A site with no entry, or whose
page no longer matches its body selector (a redesign), goes through the
generic extractor unchanged.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
from lxml import etree

from khabar.lang import normalize

from .article import clean
from .lines import PhraseList, count_words, is_prose, phrase_key

# Block elements whose text is one body paragraph each.
_BLOCKS = ("p", "h2", "h3", "h4", "li", "blockquote")
_HOST = regex.compile(
    r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)(?::\d+)?([^?#]*)", regex.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SiteRule:
    """One publisher's hints (every XPath list is tried in order)."""

    key: str
    name: str
    domains: tuple[str, ...]
    paths: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    standfirst: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    chrome: PhraseList = field(default_factory=lambda: PhraseList(frozenset(), ()))


@dataclass(slots=True)
class SiteParts:
    """What a site's hints found on a page; ``paragraphs`` is empty when the body did not match."""

    title: str | None = None
    standfirst: str | None = None
    bullets: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()


def _strings(value: object) -> tuple[str, ...]:
    """A TOML string or list of strings as a tuple."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _phrases(items: tuple[str, ...]) -> PhraseList:
    """A :class:`PhraseList` from the registry's ``chrome`` items (same ``*`` syntax)."""
    exact: set[str] = set()
    prefixes: list[str] = []
    infixes: list[str] = []
    for raw in items:
        item = normalize(raw).strip()
        if item.startswith("*") and item.endswith("*") and len(item) > 2:
            infixes.append(phrase_key(item[1:-1]))
        elif item.endswith("*"):
            prefixes.append(phrase_key(item[:-1]))
        elif item:
            exact.add(phrase_key(item))
    return PhraseList(frozenset(exact), tuple(prefixes), tuple(infixes))


@lru_cache(maxsize=1)
def site_rules() -> tuple[SiteRule, ...]:
    """Every site in ``data/sites.toml``."""
    raw = resources.files("khabar.extract").joinpath("data", "sites.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    rules = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        rules.append(
            SiteRule(
                key=key,
                name=str(entry.get("name", key)),
                domains=_strings(entry.get("domains")),
                paths=_strings(entry.get("paths")),
                body=_strings(entry.get("body")),
                title=_strings(entry.get("title")),
                summary=_strings(entry.get("summary")),
                standfirst=_strings(entry.get("standfirst")),
                drop=_strings(entry.get("drop")),
                chrome=_phrases(_strings(entry.get("chrome"))),
            )
        )
    return tuple(rules)


def host(url: str | None) -> str | None:
    """The lower-cased host of a URL, without ``www.``."""
    m = _HOST.match(url or "")
    if m is None:
        return None
    name = m.group(1).casefold()
    return name[4:] if name.startswith("www.") else name


def _matches(rule: SiteRule, url: str) -> bool:
    """Whether a URL belongs to the rule's site (and section, if it names paths)."""
    m = _HOST.match(url)
    name = host(url)
    if m is None or not name:
        return False
    if not any(name == d or name.endswith("." + d) for d in rule.domains):
        return False
    return not rule.paths or any((m.group(2) or "/").startswith(p) for p in rule.paths)


def find_rule(*urls: str | None, site_name: str | None = None) -> SiteRule | None:
    """The registry entry for the first URL whose host is a known site, else by site name."""
    for url in urls:
        if not url:
            continue
        for rule in site_rules():
            if _matches(rule, url):
                return rule
    if site_name:
        wanted = site_name.strip().casefold()
        for rule in site_rules():
            if rule.name.casefold() == wanted:
                return rule
    return None


def _xpath(tree: Any, paths: tuple[str, ...]) -> list[Any]:
    """Elements matched by the first XPath that matches anything."""
    for path in paths:
        try:
            found = tree.xpath(path)
        except etree.XPathError:
            continue  # a broken selector in a user's registry must not break the page
        elements = [el for el in found if isinstance(getattr(el, "tag", None), str)]
        if elements:
            return elements
    return []


def _remove(el: Any) -> None:
    """Remove an element and its tail text."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def apply_rule(tree: Any, rule: SiteRule) -> SiteParts:
    """Read a page with its site's hints; removes the chrome and summary boxes from ``tree``."""
    parts = SiteParts()
    title = _xpath(tree, rule.title)
    if title:
        parts.title = clean(title[0].text_content()) or None
    bullets: list[str] = []
    for box in _xpath(tree, rule.summary):
        items = [clean(li.text_content()) for li in box.iter("li")]
        bullets += [i for i in items if i and not rule.chrome.matches(i)]
        _remove(box)
    parts.bullets = tuple(bullets)
    stand = _xpath(tree, rule.standfirst)
    if stand:
        parts.standfirst = clean(stand[0].text_content()) or None
        for el in stand:
            _remove(el)
    # Dropped after the boxes are read: a registry may list a box under both.
    for path in rule.drop:
        for el in _xpath(tree, (path,)):
            _remove(el)
    body = _xpath(tree, rule.body)
    if body:
        paragraphs = _blocks(body[0], rule)
        # A redesign can leave the selector matching an empty shell.
        if any(is_prose(p) for p in paragraphs):
            parts.paragraphs = tuple(paragraphs)
    return parts


def _blocks(root: Any, rule: SiteRule) -> list[str]:
    """Text of the block elements under ``root``, outermost blocks only, chrome dropped."""
    out: list[str] = []
    for el in root.iter(*_BLOCKS):
        if any(a.tag in _BLOCKS for a in el.iterancestors() if a is not root):
            continue  # a <p> inside an <li> or <blockquote> is read with its parent
        if el.tag == "li" and el.getparent() is not None and _is_link_list(el.getparent()):
            continue
        text = clean(el.text_content())
        if text and not rule.chrome.matches(text) and count_words(text) > 0:
            out.append(text)
    return out


def _is_link_list(el: Any) -> bool:
    """A list whose items are all links: a related-stories box, not body bullets."""
    items = [li for li in el if getattr(li, "tag", None) == "li"]
    return bool(items) and all(li.find(".//a") is not None for li in items)
