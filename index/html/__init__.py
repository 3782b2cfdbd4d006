"""Extract title, main body text and publication date from one scraped HTML page.

``extract_html(data)`` runs these steps; each one is guarded on its own, so a broken page yields
empty fields (``""`` / ``None``) instead of an exception. The steps live in their own modules:
:mod:`~index.html.decode` (1–3), :mod:`~index.html.body` (4), :mod:`~index.html.title` (5),
:mod:`~index.html.dates` (6); :mod:`~index.html.markup` reads meta tags and JSON-LD for all of them.

1. **Decode** (``decode_html``): a byte-order mark wins, then a charset declared in the first
   bytes (``<meta charset>``, ``http-equiv``, ``<?xml encoding>``), then strict UTF-8 (or UTF-8
   with a few broken bytes), then a cp1251-or-latin-1 guess (Cyrillic words are runs of high
   bytes, Western accents are isolated).
2. **Guard** the size: markup over ``MAX_MARKUP`` characters loses scripts, styles, SVG and inline
   ``data:`` blobs and is then cut; markup over ``LARGE_MARKUP`` takes the cheap path (heuristic
   body, no htmldate), because trafilatura and htmldate need minutes on such pages.
3. **Parse** once with lxml (trafilatura's loader); every later step reads this tree.
4. **Body**: trafilatura without comments, precision mode first; the default mode also runs only
   when the precision text is under ``PRECISION_LONG`` characters, and wins when precision mode
   kept less than ``PRECISION_KEEP`` of it; a visible standfirst that repeats the page description
   is put back in front; a BeautifulSoup heuristic runs when trafilatura finds nothing. Choices
   measured with ``bench/quality_html.py`` on two corpora.
5. **Title**: the ``<h1>`` (or the part of it) closest to the metadata titles (og:title,
   twitter:title, JSON-LD headline, ``<title>``), unless it is the site's name; otherwise the first
   metadata title with " | Site" / " - Site" parts removed (site = og:site_name,
   application-name, JSON-LD WebSite/Organization name, host name).
6. **Date**, first rule that gives a day wins:
   a. a date shown right after a "published" label (Veröffentlicht am, Erschienen am, Published on …);
   b. when the page has no structured date at all (meta tags, JSON-LD, itemprop, URL, ``<time>``),
      a short dateline (a date with at most ``DATELINE_WORDS`` other words) right after the headline
      ``<h1>``: htmldate's text search otherwise picks the oldest date on the page (teasers, events);
   c. htmldate's original date; its extensive text search runs only when there is no structured
      date (with one, the fast search gave the same answer on every dev page). A bare 1 January
      from it is a year-only guess and stands only if the metadata agrees. Without a published-date
      tag, a ``<time datetime>`` beats a differing generic ``date``/``dc.date`` tag (a last edit);
   d. our own chain: published-date meta tags, JSON-LD ``datePublished``, ``itemprop``, generic date
      meta, the URL (/2019/03/12/), ``<time pubdate>``, ``<time datetime>``;
   e. a /2010/05/ URL (year and month only) completed by the first shown date of that month;
   f. the modified date (meta or JSON-LD), only when nothing else gave a day.
   Dates are read, and judged, by :mod:`index.dates` (one validity rule for every input); an unknown
   date stays ``None``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from index.html.body import fallback_body
from index.html.body import main_body
from index.html.dates import page_date
from index.html.dates import page_year
from index.html.decode import LARGE_MARKUP
from index.html.decode import decode_html
from index.html.decode import parse
from index.html.decode import shrink
from index.html.markup import canonical_url
from index.html.markup import guarded
from index.html.markup import json_ld
from index.html.title import page_title

__all__ = ["HtmlArticle", "decode_html", "extract_html"]


@dataclass(frozen=True)
class HtmlArticle:
    """What one page gives: its headline, main text, publication day (or year) and canonical URL."""

    title: str
    body: str
    date: datetime.date | None
    year: int | None
    url: str | None


def _to_text(data: bytes | str) -> str:
    """Decoded and size-guarded markup."""
    text = data if isinstance(data, str) else decode_html(bytes(data))
    return shrink(text)


def extract_html(data: bytes | str, url: str | None = None) -> HtmlArticle:
    """Main text without navigation, teasers, related links or comments; title without ' | Site' suffixes; date from metadata."""
    text = guarded(_to_text, "", data)
    tree = guarded(parse, None, text)
    if tree is None:
        return HtmlArticle(title="", body="", date=None, year=None, url=url)
    ld = guarded(json_ld, [], tree)
    page_url = guarded(canonical_url, url, tree, url)
    title = guarded(page_title, "", tree, page_url, ld)
    cheap = len(text) > LARGE_MARKUP
    found = guarded(page_date, None, tree, ld, (page_url, url), title, cheap)
    body = guarded(fallback_body, "", text) if cheap else main_body(tree, text, page_url)
    return HtmlArticle(title=title, body=body, date=found, year=guarded(page_year, None, tree, found),
                       url=page_url)
