"""Extract title, main body text and publication date from one scraped HTML page.

``extract_html(data)`` runs these steps; each one is guarded on its own, so a broken page yields
empty fields (``""`` / ``None``) instead of an exception:

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
   Slash dates (03/12/2019) are read only when one part is over 12; dates before 1990 or after today
   are dropped; an unknown date stays ``None``.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import warnings
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from lxml.html import HtmlElement

MAX_MARKUP = 5_000_000
LARGE_MARKUP = 2_000_000
MIN_YEAR = 1990
SNIFF_BYTES = 4096
PRECISION_KEEP = 0.5
PRECISION_LONG = 2000
MIN_LEAD = 40
MAX_TITLE = 300
HEADLINE_OVERLAP = 0.3
SITE_TYPES = ("WebSite", "Organization", "NewsMediaOrganization")

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([a-z0-9_:.\-]+)""",
    re.I,
)
HIGH_LETTER_RE = re.compile(rb"[\xc0-\xff]")
HIGH_RUN_RE = re.compile(rb"[\xc0-\xff]{3,}")
# browsers read these labels as windows-1252 (WHATWG encoding standard)
AS_CP1252 = {"ascii", "latin_1", "iso8859-1", "iso8859_1", "cp1252"}

BULKY_RE = re.compile(
    r"<(script|style|svg|noscript)\b.*?</\1\s*>|<!--.*?-->|data:[a-z/+.\-]+;base64,[a-z0-9+/=\s]+",
    re.I | re.S,
)
SPACE_RE = re.compile(r"\s+")
TITLE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|»|«|›|‹|·|•|/|:|~)\s+")
TITLE_TRIM = " |-–—:·•/~"
WORD_RE = re.compile(r"\w+")
ARCHIVED_URL_RE = re.compile(r"^https?://web\.archive\.org/web/\w+/", re.I)
NON_WORD_RE = re.compile(r"\W+")

ISO_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-/.]?)(1[0-2]|0?[1-9])\2(3[01]|[12]\d|0?[1-9])(?!\d)")
DMY_DATE_RE = re.compile(r"(?<!\d)(3[01]|[12]\d|0?[1-9])\.\s?(1[0-2]|0?[1-9])\.\s?((?:19|20)\d\d)(?!\d)")
MONTH_NAME_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s", re.I)
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
SLASH_DATE_RE = re.compile(r"(?<![\d/])(\d\d?)/(\d\d?)/((?:19|20)\d\d)(?!\d)")
MONTH_NUMBERS = {name: number for number, names in enumerate((
    "jan januar jänner january janvier enero gennaio januari stycznia styczeń janeiro",
    "feb februar feber february février fevrier febrero febbraio februari lutego luty fevereiro",
    "mar mär märz maerz march mars marzo maart marca marzec março",
    "apr april avril abril aprile kwietnia kwiecień",
    "may mai mayo maggio mei maja maj maio",
    "jun juni june juin junio giugno czerwca czerwiec junho",
    "jul juli july juillet julio luglio lipca lipiec julho",
    "aug august aout août agosto augustus sierpnia sierpień",
    "sep sept september septembre septiembre setiembre settembre września wrzesień setembro",
    "oct okt october oktober octobre octubre ottobre października październik outubro",
    "nov november novembre noviembre listopada listopad novembro",
    "dec dez dezember december décembre decembre diciembre dicembre grudnia grudzień dezembro",
), 1) for name in names.split()}
_MONTH_WORD = "|".join(sorted(map(re.escape, MONTH_NUMBERS), key=len, reverse=True))
# a full date as people write it: 12. März 2019, 12 de marzo de 2019, March 12, 2019, 12.03.2019, 2019-03-12
TEXT_DATE_RE = re.compile(
    rf"(?<!\d)(?P<d>3[01]|[12]\d|0?[1-9])\.?\s*(?:de\s+)?(?P<m>{_MONTH_WORD})\.?,?\s*(?:del?\s+)?"
    rf"(?P<y>(?:19|20)\d\d)(?!\d)"
    rf"|\b(?P<m2>{_MONTH_WORD})\.?\s+(?P<d2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)(?!\d)"
    rf"|(?<![\d.])(?P<d3>3[01]|[12]\d|0?[1-9])\.\s?(?P<m3>1[0-2]|0?[1-9])\.\s?(?P<y3>(?:19|20)\d\d)(?!\d)"
    rf"|(?<!\d)(?P<y4>(?:19|20)\d\d)-(?P<m4>1[0-2]|0[1-9])-(?P<d4>3[01]|[12]\d|0[1-9])(?!\d)",
    re.I,
)
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
VISIBLE_TEXT_XPATH = "text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
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
META_KEYS = ("property", "name", "itemprop", "http-equiv")
ARTICLE_TYPES = ("article", "posting", "report", "review", "webpage", "recipe", "videoobject")
TIME_PUBLISHED_XPATH = (
    "//time[@pubdate]|//time[contains(@itemprop, 'datePublished')]"
    "|//time[contains(@class, 'publish')]|//time[contains(@class, 'entry-date')]"
)
ITEMPROP_PUBLISHED_XPATH = "//*[@itemprop='datePublished'][not(self::meta)][not(self::time)]"
FALLBACK_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                 "iframe", "svg", "button", "select")
FALLBACK_MAIN = ("article", "main", "[role=main]", "[itemprop=articleBody]")
LEAD_SKIP_TAGS = {"nav", "header", "footer", "aside", "head", "form", "figure", "figcaption"}
LEAD_TAGS = ("p", "div", "span", "section", "h2", "strong", "b", "em")


@dataclass(frozen=True)
class HtmlArticle:
    title: str
    body: str
    date: datetime.date | None
    year: int | None
    url: str | None


# --- 1. decoding ---------------------------------------------------------------------------


def decode_html(data: bytes) -> str:
    """Bytes → text: BOM, <meta charset>/http-equiv charset, then UTF-8, then cp1251/latin-1 heuristics; never raises."""
    if not data:
        return ""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for encoding in (_declared_charset(data), "utf-8"):
        text = _strict_decode(data, encoding)
        if text is not None:
            return text
    text = data.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        return text
    return data.decode(_guess_single_byte(data), errors="replace")


def _mostly_utf8(text: str) -> bool:
    """UTF-8 with a few broken bytes: more well-formed non-ASCII characters than broken ones."""
    broken = text.count("\ufffd")
    return sum(1 for char in text if char > "\x7f") > 2 * broken


def _declared_charset(data: bytes) -> str | None:
    """The charset named in the page head, as a Python codec name (None if absent or unknown)."""
    match = CHARSET_RE.search(data[:SNIFF_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in AS_CP1252 else name


def _strict_decode(data: bytes, encoding: str | None) -> str | None:
    """Decode without errors, or None; cp1252 falls back to latin-1 for its five unused bytes."""
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        pass
    if encoding == "cp1252":
        return data.decode("latin-1")
    return None


def _guess_single_byte(data: bytes) -> str:
    """cp1251 when most high letters sit in runs of three or more (Cyrillic words), else cp1252."""
    letters = len(HIGH_LETTER_RE.findall(data))
    in_runs = sum(len(run) for run in HIGH_RUN_RE.findall(data))
    if letters and in_runs / letters > 0.5:
        return "cp1251"
    return "cp1252" if _strict_decode(data, "cp1252") is not None else "latin-1"


# --- 2./3. guarding and parsing --------------------------------------------------------------


def _shrink(text: str) -> str:
    """Keep huge pages workable: drop scripts, styles and inline blobs, then cut."""
    if len(text) <= MAX_MARKUP:
        return text
    text = BULKY_RE.sub(" ", text)
    return text[:MAX_MARKUP]


def _parse(text: str) -> HtmlElement | None:
    """Parse markup into an lxml tree (None when there is nothing to parse)."""
    from trafilatura.utils import load_html

    text = text.replace("\x00", "")
    if not text.strip():
        return None
    return load_html(text)


# --- 4. body ---------------------------------------------------------------------------------


def _trafilatura(tree: HtmlElement, url: str | None, **options) -> str:
    """Main text by trafilatura, without comments ('' when it finds none)."""
    import trafilatura

    return trafilatura.extract(tree, url=url, include_comments=False, **options) or ""


def _main_text(tree: HtmlElement, url: str | None) -> str:
    """trafilatura's precision-mode text; the default mode runs only when that is short.

    The default text wins when precision mode kept less than ``PRECISION_KEEP`` of it. A precision
    text of ``PRECISION_LONG`` characters or more is a whole article: the second run is skipped.
    """
    precise = _trafilatura(tree, url, favor_precision=True)
    if len(precise) >= PRECISION_LONG:
        return precise
    default = _trafilatura(tree, url)
    return precise if len(precise) >= PRECISION_KEEP * len(default) else default


def _descriptions(tree: HtmlElement) -> list[str]:
    """Page descriptions long enough to be a standfirst."""
    texts = (_meta(tree, key) for key in ("og:description", "description", "twitter:description"))
    return [text for text in texts if text and len(text) >= MIN_LEAD]


def _visible_lead(tree: HtmlElement, description: str) -> str | None:
    """The text of a visible element that shows the description (outside nav, header, footer …)."""
    stem = description.rstrip(".… ")
    for element in tree.iter(*LEAD_TAGS):
        text = _fold(element.text_content())
        if len(text) < MIN_LEAD or not (text == description or _same_start(text, stem)):
            continue
        if not any(parent.tag in LEAD_SKIP_TAGS for parent in element.iterancestors()):
            return text
    return None


def _same_start(text: str, stem: str) -> bool:
    """A description cut short with '…' still names the element whose text it starts."""
    core = text.rstrip(".… ")
    return len(core) > 0.8 * len(stem) and stem.startswith(core[: max(MIN_LEAD, len(core) - 3)])


def _standfirst(tree: HtmlElement, body: str) -> str | None:
    """A visible lead paragraph repeating the page description that the body lacks."""
    folded = _fold(body)
    descriptions = _descriptions(tree)
    if any(description[:MIN_LEAD] in folded for description in descriptions):
        return None
    shown = _fold(tree.text_content())
    descriptions = [description for description in descriptions if description[:MIN_LEAD] in shown]
    for description in descriptions:
        lead = _visible_lead(tree, description)
        if lead:
            return lead
    return None


def _fallback_body(text: str) -> str:
    """BeautifulSoup heuristic: drop page furniture, prefer <article>/<main>, keep paragraph text."""
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(FALLBACK_DROP):
        tag.decompose()
    root = next((found for css in FALLBACK_MAIN if (found := soup.select_one(css))), None)
    root = root or soup.body or soup
    blocks = [_fold(block.get_text(" ")) for block in root.find_all(["p", "h2", "h3", "li", "pre"])]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) if blocks else _fold(root.get_text(" "))


def _paragraphs(text: str) -> str:
    """One line per block from trafilatura → paragraphs separated by blank lines."""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _body(tree: HtmlElement, text: str, url: str | None) -> str:
    """Main text of the page, paragraphs separated by blank lines."""
    body = _guarded(_main_text, "", tree, url)
    if body:
        lead = _guarded(_standfirst, None, tree, body)
        return _paragraphs(f"{lead}\n{body}" if lead else body)
    return _guarded(_fallback_body, "", text)


# --- 5. title --------------------------------------------------------------------------------


def _fold(text: str | None) -> str:
    """Collapse whitespace runs to single spaces."""
    return SPACE_RE.sub(" ", text or "").strip()


def _squash(text: str) -> str:
    """Lower-case letters and digits only, for loose comparisons."""
    return NON_WORD_RE.sub("", text.casefold())


_META_INDEX: list = [None, {}]  # (tree, {key: first non-empty content}) of the page in hand


def _meta(tree: HtmlElement, key: str) -> str:
    """Content of the first <meta> whose property/name/itemprop is ``key`` (case-insensitive)."""
    if _META_INDEX[0] is not tree:
        index: dict[str, str] = {}
        for element in tree.iter("meta"):
            content = _fold(element.get("content"))
            if content:
                for attr in META_KEYS:
                    index.setdefault((element.get(attr) or "").strip().lower(), content)
        _META_INDEX[:] = [tree, index]
    return _META_INDEX[1].get(key, "")


def _first_text(tree: HtmlElement, tag: str) -> str:
    """Folded text of the first non-empty element with this tag."""
    for element in tree.iter(tag):
        text = _fold(element.text_content())
        if text:
            return text
    return ""


def _site_names(tree: HtmlElement, url: str | None, ld: list[dict]) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD WebSite, host name."""
    names = [_meta(tree, "og:site_name"), _meta(tree, "application-name")]
    names += [str(item.get("name") or "") for item in ld if item.get("@type") in SITE_TYPES]
    host = urlsplit(ARCHIVED_URL_RE.sub("", url or "")).hostname or ""
    names += [part for part in host.split(".") if len(part) > 3 and part != "www"]
    return [_squash(name) for name in names if _squash(name)]


def _is_site_name(part: str, sites: list[str]) -> bool:
    """Does a title part look like the site's name?"""
    squashed = _squash(part)
    return bool(squashed) and any(squashed in site or site in squashed for site in sites)


def _strip_site(title: str, sites: list[str], headline: str) -> str:
    """Remove leading/trailing parts that name the site; keep the part equal to the headline."""
    parts = TITLE_SEPARATOR_RE.split(title)
    if len(parts) < 2:
        return title
    if headline and any(_squash(part) == _squash(headline) for part in parts):
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
    return _fold("".join(element.xpath(".//text()[not(ancestor::rt or ancestor::rp)]")))


def _own_text(element: HtmlElement) -> str:
    """Text directly inside an element, without that of its children (a kicker or date span)."""
    return _fold(" ".join([element.text or ""] + [child.tail or "" for child in element]))


def _headings(tree: HtmlElement) -> list[str]:
    """Texts of the <h1> elements and of their child elements (kicker, date, label, headline)."""
    texts = []
    for h1 in tree.iter("h1"):
        texts += [_text_without_ruby(h1), _own_text(h1)]
        texts += [_text_without_ruby(child) for child in h1 if isinstance(child.tag, str)]
    return [text for text in texts if 0 < len(text) <= MAX_TITLE]


def _is_suffix(heading: str, titles: list[str]) -> bool:
    """Is the heading the short last part of a title ('Story | Blog' with the <h1> 'Blog')?"""
    squashed = _squash(heading)
    for parts in (TITLE_SEPARATOR_RE.split(title) for title in titles):
        rest = " ".join(parts[:-1])
        if rest and _squash(parts[-1]) == squashed and len(_words(rest)) >= len(_words(heading)):
            return True
    return False


def _headline(tree: HtmlElement, titles: list[str], sites: list[str]) -> str:
    """The <h1> (or part of it) closest to the metadata titles; not the site's logo or a section."""
    best, best_score = "", 0.0
    stripped = [_strip_site(title, sites, "") for title in titles]
    for heading in _headings(tree):
        if _squash(heading) in sites or _is_suffix(heading, titles):
            continue
        score = max((_similarity(heading, title) for title in stripped), default=1.0)
        if score > best_score:
            best, best_score = heading, score
    return best if best_score >= HEADLINE_OVERLAP else ""


def _title(tree: HtmlElement, url: str | None, ld: list[dict]) -> str:
    """The page's headline, or its metadata title without the site name."""
    sites = _site_names(tree, url, ld)
    candidates = [_meta(tree, "og:title"), _meta(tree, "twitter:title"), _ld_value(ld, "headline"),
                  _first_text(tree, "title")]
    titles = [title for title in candidates if title]
    sites += [_squash(heading) for heading in _headings(tree) if _is_suffix(heading, titles)]
    headline = _headline(tree, titles, sites)
    if headline:
        return headline
    for title in titles:
        stripped = _strip_site(title, sites, "").strip(TITLE_TRIM)
        if stripped:
            return stripped
    return ""


# --- JSON-LD ---------------------------------------------------------------------------------


def _json_ld(tree: HtmlElement) -> list[dict]:
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


def _ld_value(ld: list[dict], key: str) -> str:
    """First string value of ``key`` on an article-like JSON-LD object."""
    for item in ld:
        value = item.get(key)
        if _is_article(item) and isinstance(value, str) and value.strip():
            return _fold(value)
    return ""


# --- 6. date ---------------------------------------------------------------------------------


def _valid(year: int, month: int, day: int) -> datetime.date | None:
    """A real calendar day between 1990 and today, else None."""
    try:
        day_ = datetime.date(year, month, day)
    except ValueError:
        return None
    return day_ if MIN_YEAR <= year and day_ <= datetime.date.today() else None


def _parse_date(text: str) -> datetime.date | None:
    """A day from an ISO-like (2019-03-12, 20190312), European (12.03.2019) or written-out date."""
    match = ISO_DATE_RE.search(text or "")
    if match:
        year, _, month, day = match.groups()
        return _valid(int(year), int(month), int(day))
    match = DMY_DATE_RE.search(text or "")
    if match:
        day, month, year = map(int, match.groups())
        return _valid(year, month, day)
    match = SLASH_DATE_RE.search(text or "")
    if match:
        return _slash_date(*map(int, match.groups()))
    return _parse_written_date(text) if text and MONTH_NAME_RE.search(text) else None


def _slash_date(first: int, second: int, year: int) -> datetime.date | None:
    """03/12/2019 is read only when one part is over 12 (then the order is certain), else None."""
    if first > 12 >= second:
        return _valid(year, second, first)
    if second > 12 >= first:
        return _valid(year, first, second)
    return None


def _text_date(text: str) -> tuple[datetime.date | None, int]:
    """The first full date written in running text, and where it starts (None, -1 if none)."""
    for match in TEXT_DATE_RE.finditer(text):
        groups = match.groupdict()
        if groups["m"] or groups["m2"]:
            month = MONTH_NUMBERS.get((groups["m"] or groups["m2"]).lower())
            day, year = int(groups["d"] or groups["d2"]), int(groups["y"] or groups["y2"])
        elif groups["d3"]:
            day, month, year = int(groups["d3"]), int(groups["m3"]), int(groups["y3"])
        else:
            day, month, year = int(groups["d4"]), int(groups["m4"]), int(groups["y4"])
        found = _valid(year, month, day) if month else None
        if found:
            return found, match.start()
    return None, -1


def _parse_written_date(text: str) -> datetime.date | None:
    """'Sat, 19 Oct 2019 00:04' → 2019-10-19; None unless year, month and day are all given."""
    from dateutil import parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown time zone names ("CEST") do not matter here
            first = parser.parse(text[:80], default=datetime.datetime(1, 1, 1))
            second = parser.parse(text[:80], default=datetime.datetime(2, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first != second:
        return None
    return _valid(first.year, first.month, first.day)


def _meta_dates(tree: HtmlElement, keys: tuple[str, ...]) -> list[str]:
    """Date strings from the meta tags named by ``keys``, in that order."""
    return [_meta(tree, key) for key in keys]


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
            found = _valid(*map(int, match.groups()))
            if found:
                return found
    return None


def _htmldate(tree: HtmlElement, url: str | None, extensive: bool = True) -> datetime.date | None:
    """htmldate's guess at the original publication date (text search only when ``extensive``)."""
    from htmldate import find_date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = find_date(tree, url=url, original_date=True, extensive_search=extensive)
    return _parse_date(found) if found else None


def _first_date(candidates: list[str]) -> datetime.date | None:
    """The first candidate string that parses to a valid day."""
    for candidate in candidates:
        found = _parse_date(candidate)
        if found:
            return found
    return None


def _published_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """Publication day from published-date meta tags, JSON-LD datePublished and itemprop."""
    published = _meta_dates(tree, PUBLISHED_META) + [_ld_value(ld, "datePublished")]
    return _first_date(published + _element_dates(tree, ITEMPROP_PUBLISHED_XPATH))


def _generic_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """A less specific day: JSON-LD dateCreated, date / dc.date meta tags."""
    return _first_date([_ld_value(ld, "dateCreated")] + _meta_dates(tree, GENERIC_META))


def _time_date(tree: HtmlElement) -> datetime.date | None:
    """The day of a publication <time> element, else of the first <time datetime>."""
    found = _first_date(_element_dates(tree, TIME_PUBLISHED_XPATH))
    return found or _first_date(_element_dates(tree, "//time[@datetime]"))


def _metadata_date(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...]) -> datetime.date | None:
    """Publication day from metadata, structured data, the URL and <time> elements."""
    found = _published_date(tree, ld) or _generic_date(tree, ld) or _url_date(*urls)
    return found or _time_date(tree)


def _visible_text(element: HtmlElement, axis: str = "//") -> list[str]:
    """Text nodes a reader sees (no scripts or styles), folded, along an XPath axis."""
    texts = (_fold(text) for text in element.xpath(f"{axis}{VISIBLE_TEXT_XPATH}", smart_strings=False))
    return [text for text in texts if text]


def _labelled_date(tree: HtmlElement) -> datetime.date | None:
    """A date the page shows right after a 'published' label ("Veröffentlicht am 16.08.2019")."""
    body = tree.find("body")
    body = body if body is not None else tree
    if not PUBLISHED_LABEL_RE.search(body.text_content()):
        return None
    text = " ".join(_visible_text(body, ".//"))
    for match in PUBLISHED_LABEL_RE.finditer(text):
        found, start = _text_date(text[match.end():match.end() + 40])
        if found and start <= LABEL_GAP:
            return found
    return None


def _headline_element(tree: HtmlElement, title: str) -> HtmlElement | None:
    """The <h1> that shows the page's title (else the first <h1>)."""
    h1s = tree.xpath("//h1")
    wanted = _squash(title)
    for h1 in h1s:
        text = _squash(h1.text_content())
        if wanted and text and (wanted in text or text in wanted):
            return h1
    return h1s[0] if h1s else None


def _headline_date(tree: HtmlElement, title: str) -> datetime.date | None:
    """A short dateline ("1. Februar 2022, Daniel Dillenburg") shortly after the headline."""
    h1 = _headline_element(tree, title)
    if h1 is None:
        return None
    seen = 0
    for text in _visible_text(h1, "following::"):
        found, start = _text_date(text)
        if found and _is_dateline(text, start):
            return found
        seen += len(text)
        if seen > HEADLINE_DATE_WINDOW:
            break
    return None


def _is_dateline(text: str, start: int) -> bool:
    """A date with few other words ("Von Leonora Holling (21. November 2022)"), not a sentence."""
    match = TEXT_DATE_RE.match(text, start)
    rest = text[:start] + " " + text[match.end():] if match else text
    return len(LETTER_WORD_RE.findall(rest)) <= DATELINE_WORDS


def _url_month_date(tree: HtmlElement, urls: tuple[str | None, ...]) -> datetime.date | None:
    """A URL naming only year and month (/2010/05/slug) completed by the first shown date of that month."""
    for url in filter(None, urls):
        match = URL_MONTH_RE.search(urlsplit(ARCHIVED_URL_RE.sub("", url)).path)
        if match:
            year, month = map(int, match.groups())
            body = tree.find("body")
            for text in _visible_text(body if body is not None else tree, ".//"):
                found, _ = _text_date(text)
                if found and (found.year, found.month) == (year, month):
                    return found
    return None


def _modified_date(tree: HtmlElement, ld: list[dict]) -> datetime.date | None:
    """The last-modified day from meta tags or JSON-LD."""
    return _first_date(_meta_dates(tree, MODIFIED_META) + [_ld_value(ld, "dateModified")])


def _date(tree: HtmlElement, ld: list[dict], urls: tuple[str | None, ...], title: str = "",
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
    labelled = _guarded(_labelled_date, None, tree)
    if labelled:
        return labelled
    published = _guarded(_published_date, None, tree, ld)
    found = published or _guarded(_metadata_date, None, tree, ld, urls)
    if found is None:
        headline = _guarded(_headline_date, None, tree, title)
        if headline:
            return headline
    guess = None if cheap else _guarded(_htmldate, None, tree, urls[0], found is None)
    if published is None:
        shown = _guarded(_time_date, None, tree)
        generic = _guarded(_generic_date, None, tree, ld)
        if shown and generic and shown != generic and guess in (generic, None):
            return shown
    if guess and (guess.month, guess.day) == (1, 1) and found != guess:
        guess = None
    found = guess or found or _guarded(_url_month_date, None, tree, urls)
    return found or _guarded(_modified_date, None, tree, ld)


def _year(tree: HtmlElement, found: datetime.date | None) -> int | None:
    """The year of the publication day, or a year-only published date from the metadata."""
    if found:
        return found.year
    for candidate in _meta_dates(tree, PUBLISHED_META):
        match = YEAR_RE.search(candidate)
        if match and MIN_YEAR <= int(match.group(1)) <= datetime.date.today().year:
            return int(match.group(1))
    return None


# --- putting it together -----------------------------------------------------------------------


def _guarded(step, default, *args):
    """Run one extraction step; a failure on a strange page gives ``default``, not an exception."""
    try:
        return step(*args)
    except Exception:  # noqa: BLE001 - one bad page must never stop an indexing run
        return default


def _canonical_url(tree: HtmlElement, url: str | None) -> str | None:
    """link rel=canonical or og:url (made absolute against ``url``), else ``url``."""
    links = tree.xpath("//link[@rel='canonical']/@href")
    for candidate in [_fold(link) for link in links] + [_meta(tree, "og:url")]:
        absolute = urljoin(url or "", candidate) if candidate else ""
        if absolute.startswith(("http://", "https://")):
            return absolute
    return url


def _to_text(data: bytes | str) -> str:
    """Decoded and size-guarded markup."""
    text = data if isinstance(data, str) else decode_html(bytes(data))
    return _shrink(text)


def extract_html(data: bytes | str, url: str | None = None) -> HtmlArticle:
    """Main text without navigation, teasers, related links or comments; title without ' | Site' suffixes; date from metadata."""
    text = _guarded(_to_text, "", data)
    tree = _guarded(_parse, None, text)
    if tree is None:
        return HtmlArticle(title="", body="", date=None, year=None, url=url)
    ld = _guarded(_json_ld, [], tree)
    page_url = _guarded(_canonical_url, url, tree, url)
    title = _guarded(_title, "", tree, page_url, ld)
    cheap = len(text) > LARGE_MARKUP
    found = _guarded(_date, None, tree, ld, (page_url, url), title, cheap)
    body = _guarded(_fallback_body, "", text) if cheap else _body(tree, text, page_url)
    return HtmlArticle(title=title, body=body, date=found, year=_guarded(_year, None, tree, found),
                       url=page_url)
