"""The publication day of a page: labels, datelines, htmldate, metadata, the URL, <time> elements."""

from __future__ import annotations

import datetime
import re
import warnings
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from index.dates import TEXT_DATE
from index.dates import first_text_date
from index.dates import parse_date_string
from index.dates import string_year
from index.dates import valid_date
from index.html.markup import ARCHIVED_URL_RE
from index.html.markup import guarded
from index.html.markup import ld_value
from index.html.markup import meta
from index.html.markup import squash
from index.html.markup import visible_text

# "Published on", "Veröffentlicht am", "Erschienen am", "Publié le", "Publicado el", "Opublikowano" …
PUBLISHED_LABEL_RE = re.compile(
    r"(?<![^\W\d_])(?:published|posted|veröffentlicht|erschienen|erstellt|publiziert|publié|publicado|opublikowano"
    r"|pubblicato|gepubliceerd)(?:\s+(?:am|on|le|el|il|op))?\s*:?\s*(?:[^\W\d]{2,10}\.?,?\s+)?",
    re.I,
)
LABEL_GAP = 3
HEADLINE_DATE_WINDOW = 300
DATELINE_WORDS = 6
LETTER_WORD_RE = re.compile(r"[^\W\d_]{2,}")
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


def _meta_dates(tree: HtmlElement, keys: tuple[str, ...]) -> list[str]:
    """Date strings from the meta tags named by ``keys``, in that order."""
    return [meta(tree, key) for key in keys]


def _element_dates(tree: HtmlElement, xpath: str) -> list[str]:
    """Date strings from the datetime/content attributes or text of matching elements."""
    return [element.get("datetime") or element.get("content") or element.text_content()
            for element in tree.xpath(xpath)]


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


def _first_date(candidates: list[str]) -> datetime.date | None:
    """The first candidate string that parses to a valid day."""
    for candidate in candidates:
        found = parse_date_string(candidate)
        if found:
            return found
    return None


def _published_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """Publication day from published-date meta tags, JSON-LD datePublished and itemprop."""
    published = _meta_dates(tree, PUBLISHED_META) + [ld_value(ld, "datePublished")]
    return _first_date(published + _element_dates(tree, ITEMPROP_PUBLISHED_XPATH))


def _generic_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """A less specific day: JSON-LD dateCreated, date / dc.date meta tags."""
    return _first_date([ld_value(ld, "dateCreated")] + _meta_dates(tree, GENERIC_META))


def _time_date(tree: HtmlElement) -> datetime.date | None:
    """The day of a publication <time> element, else of the first <time datetime>."""
    found = _first_date(_element_dates(tree, TIME_PUBLISHED_XPATH))
    return found or _first_date(_element_dates(tree, "//time[@datetime]"))


def _metadata_date(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...]) -> datetime.date | None:
    """Publication day from metadata, structured data, the URL and <time> elements."""
    found = _published_date(tree, ld) or _generic_date(tree, ld) or _url_date(*urls)
    return found or _time_date(tree)


def _labelled_date(tree: HtmlElement) -> datetime.date | None:
    """A date the page shows right after a 'published' label ("Veröffentlicht am 16.08.2019")."""
    body = tree.find("body")
    body = body if body is not None else tree
    if not PUBLISHED_LABEL_RE.search(body.text_content()):
        return None
    text = " ".join(visible_text(body, ".//"))
    for match in PUBLISHED_LABEL_RE.finditer(text):
        found, start = first_text_date(text[match.end():match.end() + 40])
        if found and start <= LABEL_GAP:
            return found
    return None


def _headline_element(tree: HtmlElement, title: str) -> HtmlElement | None:
    """The <h1> that shows the page's title (else the first <h1>)."""
    h1s = tree.xpath("//h1")
    wanted = squash(title)
    for h1 in h1s:
        text = squash(h1.text_content())
        if wanted and text and (wanted in text or text in wanted):
            return h1
    return h1s[0] if h1s else None


def _headline_date(tree: HtmlElement, title: str) -> datetime.date | None:
    """A short dateline ("1. Februar 2022, Daniel Dillenburg") shortly after the headline."""
    h1 = _headline_element(tree, title)
    if h1 is None:
        return None
    seen = 0
    for text in visible_text(h1, "following::"):
        found, start = first_text_date(text)
        if found and _is_dateline(text, start):
            return found
        seen += len(text)
        if seen > HEADLINE_DATE_WINDOW:
            break
    return None


def _is_dateline(text: str, start: int) -> bool:
    """A date with few other words ("Von Leonora Holling (21. November 2022)"), not a sentence."""
    match = TEXT_DATE.match(text, start)
    rest = text[:start] + " " + text[match.end():] if match else text
    return len(LETTER_WORD_RE.findall(rest)) <= DATELINE_WORDS


def _url_month_date(tree: HtmlElement, urls: tuple[str | None, ...]) -> datetime.date | None:
    """A URL naming only year and month (/2010/05/slug) completed by the first shown date of that month."""
    for url in filter(None, urls):
        match = URL_MONTH_RE.search(urlsplit(ARCHIVED_URL_RE.sub("", url)).path)
        if match:
            year, month = map(int, match.groups())
            body = tree.find("body")
            for text in visible_text(body if body is not None else tree, ".//"):
                found, _ = first_text_date(text)
                if found and (found.year, found.month) == (year, month):
                    return found
    return None


def _modified_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """The last-modified day from meta tags or JSON-LD."""
    return _first_date(_meta_dates(tree, MODIFIED_META) + [ld_value(ld, "dateModified")])


def page_date(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...], title: str = "",
          cheap: bool = False) -> datetime.date | None:
    """Publication day; the rules, first match wins:

    1. a date the page shows right after a 'published' label;
    2. without structured dates (meta tags, JSON-LD, URL, <time>), a short dateline after the headline;
    3. htmldate's original-date guess (extensive text search only when there is no structured date);
       a bare 1 January from it is a year-only guess and stands only if the metadata agrees; without a
       published tag, a <time datetime> beats a different generic date meta tag (often the last edit);
    4. our own metadata chain, then a /yyyy/mm/ URL completed by a shown date of that month, then
       the modified date as a last resort.
    On the cheap path (huge pages) htmldate is skipped: its text search can take minutes there.
    """
    labelled = guarded(_labelled_date, None, tree)
    if labelled:
        return labelled
    published = guarded(_published_date, None, tree, ld)
    found = published or guarded(_metadata_date, None, tree, ld, urls)
    if found is None:
        headline = guarded(_headline_date, None, tree, title)
        if headline:
            return headline
    guess = None if cheap else guarded(_htmldate, None, tree, urls[0], found is None)
    if published is None:
        shown = guarded(_time_date, None, tree)
        generic = guarded(_generic_date, None, tree, ld)
        if shown and generic and shown != generic and guess in (generic, None):
            return shown
    if guess and (guess.month, guess.day) == (1, 1) and found != guess:
        guess = None
    found = guess or found or guarded(_url_month_date, None, tree, urls)
    return found or guarded(_modified_date, None, tree, ld)


def page_year(tree: HtmlElement, found: datetime.date | None) -> int | None:
    """The year of the publication day, or a year-only published date from the metadata."""
    if found:
        return found.year
    for candidate in _meta_dates(tree, PUBLISHED_META):
        year = string_year(candidate)
        if year:
            return year
    return None
