"""Reading the parsed page: folded text, meta tags, JSON-LD, the canonical URL, guarded steps."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

SPACE_RE = re.compile(r"\s+")
ARCHIVED_URL_RE = re.compile(r"^https?://web\.archive\.org/web/\w+/", re.I)
NON_WORD_RE = re.compile(r"\W+")
# " | ", " - ", " – ", " :: ", " » ", " / " …, a bare "|", and ": " ("Kicker: Headline")
TITLE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|»|«|›|‹|·|•|/|:|~)\s+|\s*\|\s*|(?<=[\w?!\"“”»)]):\s+")
VISIBLE_TEXT_XPATH = "text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
META_KEYS = ("property", "name", "itemprop", "http-equiv")
ARTICLE_TYPES = ("article", "posting", "report", "review", "webpage", "recipe", "videoobject")


def fold(text: str | None) -> str:
    """Collapse whitespace runs to single spaces."""
    return SPACE_RE.sub(" ", text or "").strip()


def squash(text: str) -> str:
    """Lower-case letters and digits only, for loose comparisons."""
    return NON_WORD_RE.sub("", text.casefold())


_META_INDEX: list = [None, {}]  # (tree, {key: first non-empty content}) of the page in hand


def meta(tree: HtmlElement, key: str) -> str:
    """Content of the first <meta> whose property/name/itemprop is ``key`` (case-insensitive)."""
    if _META_INDEX[0] is not tree:
        index: dict[str, str] = {}
        for element in tree.iter("meta"):
            content = fold(element.get("content"))
            if content:
                for attr in META_KEYS:
                    index.setdefault((element.get(attr) or "").strip().lower(), content)
        _META_INDEX[:] = [tree, index]
    return _META_INDEX[1].get(key, "")


def first_text(tree: HtmlElement, tag: str) -> str:
    """Folded text of the first non-empty element with this tag."""
    for element in tree.iter(tag):
        text = fold(element.text_content())
        if text:
            return text
    return ""



def json_ld(tree: HtmlElement) -> list[dict]:
    """All JSON-LD objects of the page, flattened (@graph and lists unpacked)."""
    found: list[dict] = []
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            _flatten(json.loads(script.text_content(), strict=False), found)
        except ValueError:
            continue
    return found


def _flatten(value: object, found: list[dict]) -> None:
    """Collect dicts from nested JSON-LD lists and @graph arrays."""
    if isinstance(value, list):
        for item in value:
            _flatten(item, found)
    elif isinstance(value, dict):
        found.append(value)
        _flatten(value.get("@graph"), found)


def _is_article(item: dict) -> bool:
    """Is this JSON-LD object an article-like thing (its dates and headline describe the page)?"""
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and any(word in kind.lower() for word in ARTICLE_TYPES)
               for kind in kinds)


def ld_value(ld: list[dict], key: str) -> str:
    """First string value of ``key`` on an article-like JSON-LD object."""
    for item in ld:
        value = item.get(key)
        if _is_article(item) and isinstance(value, str) and value.strip():
            return fold(value)
    return ""




def guarded(step, default, *args):
    """Run one extraction step; a failure on a strange page gives ``default``, not an exception."""
    try:
        return step(*args)
    except Exception:  # noqa: BLE001 - one bad page must never stop an indexing run
        return default


def canonical_url(tree: HtmlElement, url: str | None) -> str | None:
    """link rel=canonical or og:url (made absolute against ``url``), else ``url``."""
    links = tree.xpath("//link[@rel='canonical']/@href")
    for candidate in [fold(link) for link in links] + [meta(tree, "og:url")]:
        absolute = urljoin(url or "", candidate) if candidate else ""
        if absolute.startswith(("http://", "https://")):
            return absolute
    return url
