"""The headline of a page, chosen among candidates by evidence that holds on any site.

Candidates are the metadata titles (og:title, twitter:title, JSON-LD headline, ``<title>``), every
stretch of their parts split at `` | ``, `` - ``, `` : `` …, the ``<h1>`` texts (whole, and their
kicker/headline children) and the first ``<h2>``/``<h3>``. Each candidate gets the evidence in
:data:`FEATURES`: where it is shown, how many metadata titles agree with it (whole or as a part),
whether what a title adds around it is the site's name (from og:site_name, JSON-LD, the host, and
the part of ``<title>`` that recurs on the site's other pages — :mod:`index.html.site`), whether it
is the site's name itself, how it overlaps the first lines of the body, and whether it sits in the
page's chrome. The candidate with the highest weighted sum wins; the weights are fitted
(:data:`~index.html.fitted.TITLE_WEIGHTS`) and measured leave-one-site-out by bench/quality_html.py.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from index.html.markup import ARCHIVED_URL_RE
from index.html.markup import TITLE_SEPARATOR_RE
from index.html.markup import first_text
from index.html.markup import fold
from index.html.markup import ld_value
from index.html.markup import meta
from index.html.markup import squash
from index.html.regions import Regions
from index.html.regions import shown_text
from index.html.site import SiteProfile

MAX_TITLE = 300
SITE_TYPES = ("WebSite", "Organization", "NewsMediaOrganization")
WORD_RE = re.compile(r"\w+")
TITLE_TRIM = " |-–—:·•/~"
SUBHEADINGS = 3
SHORT_WORD = 15
SUFFIX_WORDS = 3
SITE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|:|»|«|›|‹|·|•|/|~)\s+|\s*\|\s*")
HEADLINE_WORDS = frozenset({"title", "headline"})
CLASS_WORD_RE = re.compile(r"[a-z]+")
CLASSED_XPATH = ("(.//*[@class or @id])[contains(translate(concat(@class, ' ', @id), 'TITLEHADN', 'titleheadn'), 'title')"
                 " or contains(translate(concat(@class, ' ', @id), 'TITLEHADN', 'titleheadn'), 'headline')]")
CLASSED = 3
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
MAX_HEADINGS = 100
BODY_LINES = 3
BODY_WORDS = 60
FEATURES = (
    "h1",            # shown as an <h1> (1 / the number of <h1> outside chrome)
    "h1_own",        # the own text of an <h1> that also holds a child text ('<span>Kicker</span> Headline')
    "h1_part",       # shown as a child of an <h1> (kicker, headline span)
    "h1_stretch",    # a stretch of the parts of an <h1> ('Headline | Site' shown as the <h1>)
    "subheading",    # shown as one of the first <h2>/<h3>
    "classed",       # shown in one of the first elements whose class names a title or headline
    "shown",         # shown as it is, as a heading or an element classed as a title
    "meta",          # metadata titles equal to it (0–4)
    "meta_part",     # metadata titles that hold it as a stretch of their parts (0–4)
    "meta_stripped", # metadata titles that are it once the site's name is taken off (0–4)
    "site_rest",     # a metadata title is it plus the site's name
    "site",          # it is the site's name
    "has_site",      # its own first or last part is the site's name
    "body_line",     # one of the body's first lines is it
    "body_words",    # share of its words among the body's first words
    "similar",       # best word overlap with a metadata title without the site's name
    "short",         # a single short word
    "chrome",        # shown only in the page's chrome
)


@dataclasses.dataclass(frozen=True)
class TitleCandidate:
    """A possible title and its evidence, in :data:`FEATURES` order."""

    text: str
    features: tuple[float, ...]


def _site_names(tree: HtmlElement, url: str | None, ld: list[dict], profile: SiteProfile) -> list[str]:
    """Names the site goes by: og:site_name, application-name, JSON-LD WebSite, host name, and the
    title parts that recur on the site's other pages. A declared name that is the page's whole
    ``<title>`` names the page, not the site (an application-name set to each headline)."""
    whole = squash(first_text(tree, "title"))
    names = [meta(tree, "og:site_name"), meta(tree, "application-name")]
    names += [str(item.get("name") or "") for item in ld if item.get("@type") in SITE_TYPES]
    names = [name for name in names if squash(name) != whole] + list(profile.names)
    host = urlsplit(ARCHIVED_URL_RE.sub("", url or "")).hostname or ""
    names += [part for part in host.split(".") if len(part) > 3 and part != "www"]
    return [squash(name) for name in names if squash(name)]


def _is_site_name(part: str, sites: list[str]) -> bool:
    """Does a title part look like the site's name (it, or it with a few more letters: 'Gazette.com')?"""
    squashed = squash(part)
    return bool(squashed) and any(squashed in site or (site in squashed and len(squashed) <= 1.5 * len(site) + 4)
                                  for site in sites)


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


def _own_text(element: HtmlElement, regions: Regions) -> str:
    """Text directly inside an element, without that of its children (a kicker or date span)."""
    tails = [child.tail or "" for child in element]
    return fold(" ".join([element.text or ""] + tails)) if element not in regions.hidden else ""


def _h1_texts(h1: HtmlElement, regions: Regions) -> list[tuple[str, str]]:
    """``(feature, text)`` of an <h1>: its whole shown text, and with kicker or headline children
    (``<span>Kicker</span> Headline``) its own text and each child's."""
    whole = shown_text(h1, regions)
    children = [shown_text(child, regions) for child in h1 if isinstance(child.tag, str)]
    children = [text for text in children if text and text != whole]
    if not children:
        return [("h1", whole)]
    return [("h1", whole), ("h1_own", _own_text(h1, regions))] + [("h1_part", text) for text in children]


def _is_suffix(heading: str, titles: list[str]) -> bool:
    """Is the heading the short last part of a title ('Story | Blog' with the <h1> 'Blog'): the
    site's logo set as a heading? A 'Kicker: Headline' title does not count."""
    squashed = squash(heading)
    if len(_words(heading)) > SUFFIX_WORDS:
        return False
    for parts in (SITE_SEPARATOR_RE.split(title) for title in titles):
        rest = " ".join(parts[:-1])
        if rest and squash(parts[-1]) == squashed and len(_words(rest)) >= len(_words(heading)):
            return True
    return False


def clean_title(text: str) -> str:
    """Whitespace folded, separators trimmed from both ends."""
    return fold(text).strip(TITLE_TRIM)


def _without_site(title: str, sites: list[str]) -> str:
    """The title without leading and trailing parts that name the site."""
    parts = TITLE_SEPARATOR_RE.split(title)
    while len(parts) > 1 and _is_site_name(parts[-1], sites):
        parts.pop()
    while len(parts) > 1 and _is_site_name(parts[0], sites):
        parts.pop(0)
    return _rejoin(title, parts)


def _parts_stretches(title: str):
    """Yield ``(stretch, rest)`` for each run of consecutive parts of a split title (not the whole)."""
    parts = TITLE_SEPARATOR_RE.split(title)
    for first in range(len(parts)):
        for last in range(first, len(parts)):
            if (first, last) != (0, len(parts) - 1):
                yield _rejoin(title, parts[first:last + 1]), parts[:first] + parts[last + 1:]


class _Evidence:
    """Evidence gathered per candidate text while walking the sources."""

    def __init__(self):
        self.found: dict[str, dict[str, float]] = {}

    def add(self, text: str, feature: str, value: float = 1.0) -> None:
        text = clean_title(text)
        if text and len(text) <= MAX_TITLE:
            features = self.found.setdefault(text, {})
            features[feature] = max(features.get(feature, 0.0), value)


def _place(places: dict[str, bool], text: str, chrome: bool) -> None:
    """Note where a heading text is shown: ``places[text]`` stays True while only in chrome."""
    key = clean_title(text)
    places[key] = places.get(key, True) and chrome


def _classed(tree: HtmlElement, regions: Regions) -> list[HtmlElement]:
    """Elements outside chrome whose class or id names them a title or headline ("entry-title",
    "post__headline"), not <h1> (counted apart), in page order."""
    body = tree.find("body")
    found = []
    for element in (body if body is not None else tree).xpath(CLASSED_XPATH):
        if element.tag == "h1" or element in regions or element in regions.hidden or regions.elsewhere(element):
            continue
        words = set(CLASS_WORD_RE.findall(f"{element.get('class') or ''} {element.get('id') or ''}".lower()))
        if words & HEADLINE_WORDS:
            found.append(element)
    return found


def _heading_evidence(tree: HtmlElement, regions: Regions, sites: list[str], classed: list[HtmlElement],
                      evidence: _Evidence) -> None:
    """<h1> texts and parts, the first <h2>/<h3>, the first elements classed as a title; 'chrome'
    when a heading shows only in chrome. The <h1> weight is shared among the distinct shown <h1>
    texts outside chrome that are not the site's name (a logo set as an <h1> does not count)."""
    places: dict[str, bool] = {}
    h1s = {h1: _h1_texts(h1, regions) for h1 in tree.iter("h1") if h1 not in regions.hidden}
    distinct = {squash(texts[0][1]) for h1, texts in h1s.items() if h1 not in regions} - {""} - set(sites)
    weight = 1 / max(1, len(distinct))
    for h1, texts in h1s.items():
        for feature, text in texts:
            evidence.add(text, feature, weight if feature == "h1" else 1.0)
            _place(places, text, h1 in regions)
        for stretch, _ in _parts_stretches(texts[0][1]):
            evidence.add(stretch, "h1_stretch")
    for tag in ("h2", "h3"):
        for element in [element for element in tree.iter(tag) if element not in regions.hidden][:SUBHEADINGS]:
            text = shown_text(element, regions)
            evidence.add(text, "subheading")
            _place(places, text, element in regions)
    for element in classed:
        text = shown_text(element, regions)
        evidence.add(text, "classed")
        _place(places, text, False)
    for text, chrome in places.items():
        if chrome and text in evidence.found:
            evidence.found[text]["chrome"] = 1.0


def _shown_forms(tree: HtmlElement, regions: Regions, classed: list[HtmlElement]) -> dict[str, set[str]]:
    """The headings outside chrome as a reader sees them, by their squashed text: where a metadata
    title differs from the shown headline only in punctuation ("-" for "–", straight quotes),
    the shown form is the title."""
    forms: dict[str, set[str]] = {}
    headings = [element for element in tree.iter(*HEADING_TAGS) if element not in regions][:MAX_HEADINGS]
    texts = [shown_text(element, regions) for element in headings + classed]
    texts += [text for h1 in headings if h1.tag == "h1" for _, text in _h1_texts(h1, regions)[1:]]
    for text in map(clean_title, texts):
        if text and len(text) <= MAX_TITLE:
            forms.setdefault(squash(text), set()).add(text)
    return forms


def title_candidates(tree: HtmlElement, url: str | None, ld: list[dict], regions: Regions,
                     first_lines: list[str], profile: SiteProfile) -> list[TitleCandidate]:
    """Every candidate title of the page with its evidence (see :data:`FEATURES`)."""
    metas = [meta(tree, "og:title"), meta(tree, "twitter:title"), ld_value(ld, "headline"),
             first_text(tree, "title")]
    metas = [title for title in metas if title]
    sites = _site_names(tree, url, ld, profile)
    headings = [text for h1 in tree.iter("h1") for _, text in _h1_texts(h1, regions)]
    sites += [squash(heading) for heading in headings if _is_suffix(heading, metas)]
    evidence = _Evidence()
    for title in metas:
        evidence.add(title, "meta_source")
        for stretch, rest in _parts_stretches(title):
            evidence.add(stretch, "part_source")
            if all(_is_site_name(part, sites) for part in rest):
                evidence.add(stretch, "site_rest")
    classed = _classed(tree, regions)[:CLASSED]  # the first elements classed as a title, found once
    _heading_evidence(tree, regions, sites, classed, evidence)
    forms = _shown_forms(tree, regions, classed)
    for key in {squash(text) for text in evidence.found if "meta_source" in evidence.found[text]
                or "part_source" in evidence.found[text]} & forms.keys():
        for text in forms[key]:
            evidence.add(text, "shown")
    shown = set().union(*forms.values()) if forms else set()
    page = _PageContext(metas, sites, first_lines, shown)
    return [TitleCandidate(text, _features(text, found, page)) for text, found in evidence.found.items()]


class _PageContext:
    """What every candidate of one page is compared with, worked out once."""

    def __init__(self, metas: list[str], sites: list[str], first_lines: list[str], shown: set[str]):
        self.metas, self.sites, self.shown = metas, sites, shown
        self.stretches = [{squash(stretch) for stretch, _ in _parts_stretches(title)} for title in metas]
        self.stripped = [_without_site(title, sites) for title in metas]
        self.lines = {squash(line) for line in first_lines[:BODY_LINES]}
        self.body_words = _words(" ".join(" ".join(first_lines[:BODY_LINES]).split()[:BODY_WORDS]))


def _features(text: str, found: dict, page: _PageContext) -> tuple:
    key, words = squash(text), _words(text)
    metas, sites, stretches = page.metas, page.sites, page.stretches
    body_words = page.body_words
    values = dict(found)
    values["meta"] = sum(1 for title in metas if squash(title) == key)
    values["meta_part"] = sum(1 for parts in stretches if key in parts)
    values["meta_stripped"] = sum(1 for title in page.stripped if squash(title) == key)
    values["site"] = float(key in sites)
    parts = TITLE_SEPARATOR_RE.split(text)
    values["has_site"] = float(len(parts) > 1 and (_is_site_name(parts[0], sites) or _is_site_name(parts[-1], sites)))
    values["body_line"] = float(key in page.lines)
    values["body_words"] = len(words & body_words) / len(words) if words else 0.0
    values["similar"] = max((_similarity(text, title) for title in page.stripped), default=0.0)
    values["short"] = float(len(words) == 1 and len(key) < SHORT_WORD)
    values["shown"] = float(text in page.shown)
    return tuple(float(values.get(name, 0.0)) for name in FEATURES)


def choose_title(candidates: list[TitleCandidate], weights: dict[str, float]) -> str:
    """The candidate with the highest weighted evidence ('' when there is none); ties keep the first.

    The site's own name is never the title while there is another candidate.
    """
    vector = [weights.get(name, 0.0) for name in FEATURES]
    site = FEATURES.index("site")
    eligible = [candidate for candidate in candidates if not candidate.features[site]] or candidates
    best, best_score = "", None
    for candidate in eligible:
        score = sum(w * f for w, f in zip(vector, candidate.features))
        if best_score is None or score > best_score:
            best, best_score = candidate.text, score
    return best


def headline_keys(candidates: list[TitleCandidate]) -> frozenset[str]:
    """Squashed candidates shown as an <h1> or agreeing with a metadata title: what a body
    starting with the headline starts with."""
    strong = [FEATURES.index(name) for name in ("h1", "meta", "site_rest")]
    return frozenset(squash(candidate.text) for candidate in candidates
                     if any(candidate.features[index] for index in strong))
