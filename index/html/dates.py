"""The publication day of a page, chosen among the days its sources give.

Sources (:data:`SOURCES`) are read separately: published-date meta tags, JSON-LD ``datePublished``,
``itemprop=datePublished`` elements, generic date meta tags, the modified date, a date in the URL,
a year/month URL completed by a shown date of that month, ``<time>`` elements, a date after a
"published" label (or before a clause-final one: "am 27. November 2019 veröffentlicht"), a short
dateline after the headline a reader sees, and htmldate's guesses (its text search
runs only when no structured source gave a day). Each distinct day scores the summed weights of
the sources that give it, so sources that agree reinforce each other; the best day wins. The
weights are fitted (:data:`~index.html.fitted.DATE_WEIGHTS`), measured leave-one-site-out.

The modified date counts only when no other source gives a day: it dates an edit, not the
publication. Where a date is shown matters: a ``<time>``, a label or a dateline in a part of the
page that speaks of other pages (a link naming another article, navigation, comments, related
articles, the site's footer — :mod:`index.html.regions`) is not evidence, and htmldate's day is
dropped when the page shows it only there (and no other source agrees). A page whose only dates
are such places gets no date: it is never invented. An element marked as the day of an edit
(class ``updated``, itemprop ``dateModified``, and not also ``published``) is neither a ``<time>``
nor a dateline. A dateline is read as pages write bylines too: ``06.11.23``, and ``26/12/2019``
when the order is certain. A UTC timestamp is read in the page's own
time zone when another of its timestamps states one. A bare 1 January from
htmldate is a year-only guess and is not a day. Dates are read and judged by :mod:`index.dates`;
the labels and datelines shown in the page's text are found by :mod:`index.html.datelines`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import warnings
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from index.dates import first_text_date
from index.dates import parse_date_string
from index.dates import shown_days
from index.dates import string_year
from index.dates import valid_date
from index.html.datelines import headline_date
from index.html.datelines import labelled_date
from index.html.datelines import marked_modified
from index.html.datelines import shown_texts
from index.html.markup import ARCHIVED_URL_RE
from index.html.markup import guarded
from index.html.markup import ld_value
from index.html.markup import meta
from index.html.regions import Regions

SOURCES = (
    "meta_published", "ld_published", "itemprop_published", "generic", "modified", "url", "url_month",
    "time_published", "time", "label", "headline", "htmldate", "htmldate_text",
)
#: Sources read without running htmldate's text search; when none gives a day, it runs.
STRUCTURED = ("meta_published", "ld_published", "itemprop_published", "generic", "url", "time_published",
              "time", "label")
URL_MONTH_RE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                 "dcterms.modified", "dc.date.modified")
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)[/_-](1[0-2]|0?[1-9])[/_-](3[01]|[12]\d|0?[1-9])(?:/|[_-]|$)")
URL_COMPACT_DATE_RE = re.compile(r"[/_-]((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[/_-]")

PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "article.published", "datepublished", "published_time",
    "publishdate", "publish-date", "publish_date", "pubdate", "sailthru.date",
    "parsely-pub-date", "dc.date.issued", "dcterms.issued", "citation_publication_date",
    "originalpublicationdate", "article_date_original", "og:pubdate",
)
# less specific: the day something was created or dated, used after structured data
GENERIC_META = ("dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "date",
                "citation_date", "release_date")
TIME_PUBLISHED_XPATH = (
    "//time[@pubdate]|//time[contains(@itemprop, 'datePublished')]"
    "|//time[contains(@class, 'publish')]|//time[contains(@class, 'entry-date')]"
)
ITEMPROP_PUBLISHED_XPATH = "//*[@itemprop='datePublished'][not(self::meta)][not(self::time)]"


ZONE_RE = re.compile(r"T?(?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d)(?::\d\d(?:\.\d+)?)?\s*(Z|[+-](?:[01]\d):?[0-5]\d)(?![\d:])",
                     re.I)


@dataclasses.dataclass(frozen=True)
class DateEvidence:
    """Each day a page's sources give, with the sources that give it; a year-only published date."""

    days: tuple[tuple[datetime.date, frozenset[str]], ...] = ()
    year: int | None = None


def _meta_dates(tree: HtmlElement, keys: tuple[str, ...]) -> list[str]:
    """Date strings from the meta tags named by ``keys``, in that order."""
    return [meta(tree, key) for key in keys]


def _element_dates(tree: HtmlElement, xpath: str, regions: Regions) -> list[str]:
    """Date strings from the datetime/content attributes or text of matching elements outside chrome
    and not marked as the day of an edit."""
    return [element.get("datetime") or element.get("content") or element.text_content()
            for element in tree.xpath(xpath) if not regions.elsewhere(element) and not marked_modified(element)]


def _url_date(*urls: str | None) -> datetime.date | None:
    """A /2019/03/12/-style date in one of the URLs."""
    for url in filter(None, urls):
        path = urlsplit(url).path if "://" in url else url
        match = URL_DATE_RE.search(path) or URL_COMPACT_DATE_RE.search(path)
        if match:
            found = valid_date(*map(int, match.groups()))
            if found:
                return found
    return None


def _htmldate(tree: HtmlElement, url: str | None, extensive: bool = True) -> datetime.date | None:
    """htmldate's guess at the original publication date (text search only when ``extensive``)."""
    from htmldate import find_date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = find_date(tree, url=url, original_date=True, extensive_search=extensive)
    return parse_date_string(found) if found else None


def _first_date(candidates: list[str]) -> str | None:
    """The first candidate string that parses to a valid day."""
    for candidate in candidates:
        if parse_date_string(candidate):
            return candidate
    return None


def _offset(value: str) -> datetime.timedelta | None:
    """The UTC offset a timestamp states ('…T22:04:00Z' → 0, '… +0200' → 2 h), else None."""
    match = ZONE_RE.search(value)
    if not match:
        return None
    zone = match.group(3)
    if zone.upper() == "Z":
        return datetime.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _local_day(value: str, page_offset: datetime.timedelta | None) -> datetime.date | None:
    """The day of a metadata value; a UTC timestamp is moved to the page's own time zone first
    ('2019-10-18T22:04:00Z' on a page stamped +0200 elsewhere is 19 October)."""
    day = parse_date_string(value)
    match = ZONE_RE.search(value)
    if day is None or not page_offset or _offset(value) != datetime.timedelta(0) or not match:
        return day
    hours, minutes = int(match.group("h")), int(match.group("m"))
    moved = datetime.datetime.combine(day, datetime.time(hours, minutes)) + page_offset
    return valid_date(moved.year, moved.month, moved.day) or day


def _days(values: dict) -> dict:
    """Source → day: strings read as metadata values (in the page's time zone), days as they are."""
    offsets = [_offset(value) for value in values.values() if isinstance(value, str)]
    page_offset = next((offset for offset in offsets if offset), None)
    days = {}
    for source, value in values.items():
        day = _local_day(value, page_offset) if isinstance(value, str) else value
        if day:
            days[source] = day
    return days


def _url_month_date(tree: HtmlElement, urls: tuple[str | None, ...], regions: Regions) -> datetime.date | None:
    """A URL naming only year and month (/2010/05/slug) completed by the first shown date of that month."""
    for url in filter(None, urls):
        match = URL_MONTH_RE.search(urlsplit(ARCHIVED_URL_RE.sub("", url)).path)
        if match:
            year, month = map(int, match.groups())
            for text, chrome in shown_texts(tree, regions, str(year)):
                found, _ = first_text_date(text)
                if found and not chrome and (found.year, found.month) == (year, month):
                    return found
    return None


def _only_elsewhere(tree: HtmlElement, regions: Regions, day: datetime.date) -> bool:
    """Is ``day`` shown on the page, and only where it speaks of other pages?"""
    places = {chrome for text, chrome in shown_texts(tree, regions, f"{day.year % 100:02d}")
              if day in shown_days(text)}
    return places == {True}


def _htmldate_day(tree: HtmlElement, url: str | None, regions: Regions, extensive: bool) -> datetime.date | None:
    """htmldate's day, not a bare 1 January (a year guess); with its text search, not a day the
    page shows only where it speaks of other pages."""
    found = _htmldate(tree, url, extensive)
    if found is None or _is_year_guess(found):
        return None
    if extensive and _only_elsewhere(tree, regions, found):
        return None
    return found


def _is_year_guess(day: datetime.date) -> bool:
    """htmldate gives 1 January when it found only a year: that is not a day."""
    return (day.month, day.day) == (1, 1)


def _htmldate_alone(found: dict, tree: HtmlElement, regions: Regions) -> bool:
    """Does htmldate's day disagree with every other source, and show only where other pages are?"""
    day = found["htmldate"]
    others = {other for source, other in found.items() if source != "htmldate"}
    return day not in others and guarded(_only_elsewhere, False, tree, regions, day)


def _readers(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...], titles: list[str],
             regions: Regions) -> dict:
    """One reader per source (htmldate apart)."""
    return {
        "meta_published": lambda: _first_date(_meta_dates(tree, PUBLISHED_META)),
        "ld_published": lambda: _first_date([ld_value(ld, "datePublished")]),
        "itemprop_published": lambda: _first_date(_element_dates(tree, ITEMPROP_PUBLISHED_XPATH, regions)),
        "generic": lambda: _first_date([ld_value(ld, "dateCreated")] + _meta_dates(tree, GENERIC_META)),
        "modified": lambda: _first_date(_meta_dates(tree, MODIFIED_META) + [ld_value(ld, "dateModified")]),
        "url": lambda: _url_date(*urls),
        "url_month": lambda: _url_month_date(tree, urls, regions),
        "time_published": lambda: _first_date(_element_dates(tree, TIME_PUBLISHED_XPATH, regions)),
        "time": lambda: _first_date(_element_dates(tree, "//time[@datetime]", regions)),
        "label": lambda: labelled_date(tree, regions),
        "headline": lambda: headline_date(tree, titles, regions),
    }


def date_evidence(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...], titles: list[str],
                  regions: Regions, cheap: bool = False) -> DateEvidence:
    """Every day the page's sources give (htmldate skipped on the ``cheap`` path of huge pages).

    htmldate runs once: its fast search (source ``htmldate``) when a structured source gave a day,
    else its text search too (source ``htmldate_text``), as its text search is slow and, with a
    structured day present, gave the same answer on the dev pages.
    """
    values = {source: guarded(read, None) for source, read in _readers(tree, ld, urls, titles, regions).items()}
    found = guarded(_days, {}, values)
    if not cheap:
        structured = any(source in found for source in STRUCTURED)
        day = guarded(_htmldate_day, None, tree, urls[0], regions, not structured)
        if day:
            found["htmldate" if structured else "htmldate_text"] = day
    if "htmldate" in found and _htmldate_alone(found, tree, regions):
        del found["htmldate"]  # a comment's or a teaser's day, not one the article shows
    if len(found) > 1:
        found.pop("modified", None)  # the day of a later edit: only when nothing else gives one
    days: dict[datetime.date, set] = {}
    for source, day in found.items():
        days.setdefault(day, set()).add(source)
    return DateEvidence(tuple((day, frozenset(sources)) for day, sources in sorted(days.items())),
                        guarded(_published_year, None, tree))


def _published_year(tree: HtmlElement) -> int | None:
    """A year-only published date in the metadata ("2019")."""
    for candidate in _meta_dates(tree, PUBLISHED_META):
        year = string_year(candidate)
        if year:
            return year
    return None


def choose_date(evidence: DateEvidence, weights: dict[str, float]) -> tuple[datetime.date | None, str | None]:
    """The best-supported day and the source that weighed most for it ((None, None) without days).

    A day scores the summed weights of its sources; ties go to the day whose strongest source
    weighs more, then to the earlier day.
    """
    best, best_key = None, None
    for day, sources in evidence.days:
        weighs = [weights.get(source, 0.0) for source in sources]
        key = (sum(weighs), max(weighs))
        if best_key is None or key > best_key:
            best, best_key = (day, sources), key
    if best is None:
        return None, None
    day, sources = best
    return day, max(sorted(sources), key=lambda source: weights.get(source, 0.0))
