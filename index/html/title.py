"""The headline of a page: its <h1> when the metadata titles agree with it, else a metadata title without the site name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from index.html.markup import ARCHIVED_URL_RE
from index.html.markup import first_text
from index.html.markup import fold
from index.html.markup import ld_value
from index.html.markup import meta
from index.html.markup import squash

MAX_TITLE = 300
HEADLINE_OVERLAP = 0.3
SITE_TYPES = ("WebSite", "Organization", "NewsMediaOrganization")
TITLE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|»|«|›|‹|·|•|/|:|~)\s+")
TITLE_TRIM = " |-–—:·•/~"
WORD_RE = re.compile(r"\w+")


def _site_names(tree: HtmlElement, url: str | None, ld: list[dict]) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD WebSite, host name."""
    names = [meta(tree, "og:site_name"), meta(tree, "application-name")]
    names += [str(item.get("name") or "") for item in ld if item.get("@type") in SITE_TYPES]
    host = urlsplit(ARCHIVED_URL_RE.sub("", url or "")).hostname or ""
    names += [part for part in host.split(".") if len(part) > 3 and part != "www"]
    return [squash(name) for name in names if squash(name)]


def _is_site_name(part: str, sites: list[str]) -> bool:
    """Does a title part look like the site's name?"""
    squashed = squash(part)
    return bool(squashed) and any(squashed in site or site in squashed for site in sites)


def _strip_site(title: str, sites: list[str], headline: str) -> str:
    """Remove leading/trailing parts that name the site; keep the part equal to the headline."""
    parts = TITLE_SEPARATOR_RE.split(title)
    if len(parts) < 2:
        return title
    if headline and any(squash(part) == squash(headline) for part in parts):
        return headline
    while len(parts) > 1 and _is_site_name(parts[-1], sites):
        parts.pop()
    while len(parts) > 1 and _is_site_name(parts[0], sites):
        parts.pop(0)
    return _rejoin(title, parts)


def _rejoin(title: str, parts: list[str]) -> str:
    """The stretch of the original title from the first to the last kept part."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if 0 <= start < end else " ".join(parts)


def _words(text: str) -> set[str]:
    """Case-folded word set of a text (soft hyphens ignored)."""
    return set(WORD_RE.findall(text.replace("\xad", "").casefold()))


def _similarity(heading: str, title: str) -> float:
    """Dice overlap of the word sets of a heading and a metadata title."""
    words, other = _words(heading), _words(title)
    return 2 * len(words & other) / (len(words) + len(other)) if words and other else 0.0


def _text_without_ruby(element: HtmlElement) -> str:
    """Folded text of an element, ruby readings (<rt>, <rp>) left out."""
    return fold("".join(element.xpath(".//text()[not(ancestor::rt or ancestor::rp)]")))


def _own_text(element: HtmlElement) -> str:
    """Text directly inside an element, without that of its children (a kicker or date span)."""
    return fold(" ".join([element.text or ""] + [child.tail or "" for child in element]))


def _headings(tree: HtmlElement) -> list[str]:
    """Texts of the <h1> elements and of their child elements (kicker, date, label, headline)."""
    texts = []
    for h1 in tree.iter("h1"):
        texts += [_text_without_ruby(h1), _own_text(h1)]
        texts += [_text_without_ruby(child) for child in h1 if isinstance(child.tag, str)]
    return [text for text in texts if 0 < len(text) <= MAX_TITLE]


def _is_suffix(heading: str, titles: list[str]) -> bool:
    """Is the heading the short last part of a title ('Story | Blog' with the <h1> 'Blog')?"""
    squashed = squash(heading)
    for parts in (TITLE_SEPARATOR_RE.split(title) for title in titles):
        rest = " ".join(parts[:-1])
        if rest and squash(parts[-1]) == squashed and len(_words(rest)) >= len(_words(heading)):
            return True
    return False


def _headline(tree: HtmlElement, titles: list[str], sites: list[str]) -> str:
    """The <h1> (or part of it) closest to the metadata titles; not the site's logo or a section."""
    best, best_score = "", 0.0
    stripped = [_strip_site(title, sites, "") for title in titles]
    for heading in _headings(tree):
        if squash(heading) in sites or _is_suffix(heading, titles):
            continue
        score = max((_similarity(heading, title) for title in stripped), default=1.0)
        if score > best_score:
            best, best_score = heading, score
    return best if best_score >= HEADLINE_OVERLAP else ""


def page_title(tree: HtmlElement, url: str | None, ld: list[dict]) -> str:
    """The page's headline, or its metadata title without the site name."""
    sites = _site_names(tree, url, ld)
    candidates = [meta(tree, "og:title"), meta(tree, "twitter:title"), ld_value(ld, "headline"),
                  first_text(tree, "title")]
    titles = [title for title in candidates if title]
    sites += [squash(heading) for heading in _headings(tree) if _is_suffix(heading, titles)]
    headline = _headline(tree, titles, sites)
    if headline:
        return headline
    for title in titles:
        stripped = _strip_site(title, sites, "").strip(TITLE_TRIM)
        if stripped:
            return stripped
    return ""
