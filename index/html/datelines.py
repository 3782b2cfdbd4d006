"""Dates a page shows in its text: after or before a "published" label, and as a dateline under
the headline a reader sees.

Part of :mod:`index.html.dates` (the ``label`` and ``headline`` sources). A date shown where the
page speaks of other pages (:meth:`index.html.regions.Regions.elsewhere`) or marked or labelled as
the day of an edit is not read. The labels and heading rules are designed, not fitted.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import re

from lxml.html import HtmlElement

from index.dates import first_text_date
from index.dates import shown_dates
from index.html.markup import VISIBLE_TEXT_XPATH
from index.html.markup import fold
from index.html.markup import squash
from index.html.regions import Regions

# "Published on", "Veröffentlicht am", "Erschienen am", "Publié le", "Publicado el", "Opublikowano" …
PUBLISHED_LABEL_RE = re.compile(
    r"(?<![^\W\d_])(?:published|posted|veröffentlicht|erschienen|erstellt|publiziert|publié|publicado|opublikowano"
    r"|pubblicato|gepubliceerd)(?:\s+(?:am|on|le|el|il|op))?\s*:?\s*(?:[^\W\d]{2,10}\.?,?\s+)?",
    re.I,
)
LABEL_GAP = 3
# "… am 27. November 2019 um 15:21 Uhr veröffentlicht": German ends the clause with the verb, after the date
TRAILING_LABEL_RE = re.compile(r"(?<![^\W\d_])(?:veröffentlicht|erschienen|publiziert|gepostet)(?![^\W\d_])", re.I)
TRAILING_LABEL_WORDS = 3
TRAILING_LABEL_REACH = 80
HEADLINE_DATE_WINDOW = 500
LOWER_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
MAX_HEADINGS = 100
#: a lower heading this long (squashed) that shows a metadata title is the headline, not a section name
MIN_HEADLINE = 20
DATELINE_WORDS = 6
LETTER_WORD_RE = re.compile(r"[^\W\d_]{2,}")
MODIFIED_MARK_RE = re.compile(r"updated|modified")
# "Letzte Änderung:", "Zuletzt aktualisiert am", "Updated", "Mis à jour le" … before a date: an edit's day
MODIFIED_LABEL_RE = re.compile(r"(?:änderung|geändert|aktualisiert|updated|modified|mis à jour|actualizado"
                               r"|aggiornato|zaktualizowano|bijgewerkt)\W*(?:\w{1,3}\W+)?$", re.I)
PUBLISHED_MARK_RE = re.compile(r"publish|entry-date|pubdate")


def _text_nodes(tree: HtmlElement) -> list:
    """The visible text nodes of the body (lxml smart strings: ``getparent()`` is their element)."""
    body = tree.find("body")
    return (body if body is not None else tree).xpath(f".//{VISIBLE_TEXT_XPATH}")


def shown_texts(tree: HtmlElement, regions: Regions, needle: str = ""):
    """Yield ``(text, elsewhere)`` for the visible text nodes of the body that hold ``needle``,
    folded, in page order; ``elsewhere``: the node speaks of another page (a link, a menu,
    comments, related articles)."""
    for node in _text_nodes(tree):
        if needle in node:
            text = fold(str(node))
            if text:
                yield text, regions.elsewhere(node.getparent())


def labelled_date(tree: HtmlElement, regions: Regions) -> datetime.date | None:
    """A date shown right after a 'published' label outside chrome ("Veröffentlicht am 16.08.2019")."""
    nodes = _text_nodes(tree)
    joined = "\n".join(nodes)
    starts = list(itertools.accumulate((len(node) + 1 for node in nodes), initial=0))
    for match in PUBLISHED_LABEL_RE.finditer(joined):
        if _elsewhere_at(nodes, starts, match.start(), regions):
            continue
        found, start = first_text_date(fold(joined[match.end():match.end() + 60])[:40])
        if found and start <= LABEL_GAP:
            return found
    for match in TRAILING_LABEL_RE.finditer(joined):
        found = _date_before(fold(joined[max(0, match.start() - TRAILING_LABEL_REACH):match.start()]))
        if found and not _elsewhere_at(nodes, starts, match.start(), regions):
            return found
    return None


def _elsewhere_at(nodes: list, starts: list[int], offset: int, regions: Regions) -> bool:
    """Does the text node at ``offset`` of the joined texts speak of another page?"""
    return regions.elsewhere(nodes[bisect.bisect_right(starts, offset) - 1].getparent())


def _date_before(text: str) -> datetime.date | None:
    """The last date of ``text`` when only a few words ("um 15:21 Uhr") and no sentence end follow it."""
    dates = shown_dates(text)
    if not dates:
        return None
    found, _, end = dates[-1]
    rest = text[end:]
    return found if len(LETTER_WORD_RE.findall(rest)) <= TRAILING_LABEL_WORDS and not re.search(r"[.!?]\s", rest) else None


def _headline_element(tree: HtmlElement, titles: list[str], regions: Regions) -> HtmlElement | None:
    """The headline a reader sees: the <h1> outside chrome that shows one of the metadata titles;
    else a lower heading that shows one (the <h1> may be hidden for screen readers, or hold the
    site's logo); else the first <h1> outside chrome. Hidden headings are not read."""
    h1s = [h1 for h1 in tree.iter("h1") if not regions.elsewhere(h1) and h1 not in regions.hidden]
    wanted = [squash(title) for title in titles if squash(title)]
    for h1 in h1s:
        if _shows_title(h1, wanted, 1):
            return h1
    for heading in itertools.islice(tree.iter(*LOWER_HEADINGS), MAX_HEADINGS):
        if _shows_title(heading, wanted, MIN_HEADLINE) and not regions.elsewhere(heading) \
                and heading not in regions.hidden:
            return heading
    return h1s[0] if h1s else None


def _shows_title(heading: HtmlElement, titles: list[str], shortest: int) -> bool:
    """Does the heading show one of the (squashed) titles, or a part of one at least ``shortest`` long?"""
    text = squash(heading.text_content())
    return len(text) >= shortest and any(text in title or title in text for title in titles)


def headline_date(tree: HtmlElement, titles: list[str], regions: Regions) -> datetime.date | None:
    """A short dateline ("1. Februar 2022, Daniel Dillenburg", "Swantje Schemmerling | 06.11.23")
    shortly after the headline; not one marked or labelled as the day of an edit ("updated")."""
    h1 = _headline_element(tree, titles, regions)
    if h1 is None:
        return None
    seen = 0
    for text, element in _texts_after(h1):
        text = fold(text)
        dates = shown_dates(text)
        if dates and _is_dateline(text, *dates[0][1:]) and not regions.elsewhere(element) \
                and not marked_modified(element) and not MODIFIED_LABEL_RE.search(text[:dates[0][1]]):
            return dates[0][0]
        seen += len(text)
        if seen > HEADLINE_DATE_WINDOW:
            break
    return None


def marked_modified(element: HtmlElement) -> bool:
    """Is the element marked as the day of an edit (class "updated", itemprop dateModified) and
    not also as the publication ("entry-date published")?"""
    marks = " ".join(filter(None, (element.get("class"), element.get("itemprop")))).lower()
    return bool(MODIFIED_MARK_RE.search(marks)) and not PUBLISHED_MARK_RE.search(marks)


def _texts_after(element: HtmlElement):
    """Yield ``(text, its element)`` for the visible texts after ``element`` in page order, lazily
    (an XPath ``following::`` axis would collect the whole rest of the page first)."""
    hidden = ("script", "style", "noscript", "template")
    node = element
    while node is not None:
        if node.tail and node.tail.strip() and node.getparent() is not None:
            yield node.tail, node.getparent()
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str) and sibling.tag not in hidden:
                for inner in sibling.iter():
                    if inner.text and inner.text.strip() and inner.tag not in hidden and isinstance(inner.tag, str):
                        yield inner.text, inner
                    if inner is not sibling and inner.tail and inner.tail.strip():
                        yield inner.tail, inner.getparent()
            if sibling.tail and sibling.tail.strip():
                yield sibling.tail, sibling.getparent()
        node = node.getparent()


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A date with few other words ("Von Leonora Holling (21. November 2022)"), not a sentence."""
    rest = text[:start] + " " + text[end:]
    return len(LETTER_WORD_RE.findall(rest)) <= DATELINE_WORDS
