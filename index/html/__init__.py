"""Extract title, main body text and publication date from one scraped HTML page.

Extraction runs in two halves so that what is fitted can be measured on sites it was not fitted on:

- :func:`gather` reads the page once and collects the **evidence**: candidate body texts, candidate
  titles with their features, every day the date sources give. It fits nothing.
- :func:`decide` turns evidence into an article with the **fitted** values of
  :mod:`index.html.fitted` (or others: bench/quality_html.py refits them leave-one-site-out).

:func:`extract_html` is the two in a row. Every step is guarded on its own, so a broken page
yields empty fields (``""`` / ``None``) instead of an exception. The modules:

- :mod:`~index.html.decode`: bytes → text (BOM, declared charset, UTF-8, a cp1251/latin-1 guess),
  a size guard (markup over ``MAX_MARKUP`` loses scripts and blobs and is cut; over
  ``LARGE_MARKUP`` it takes the cheap path: heuristic body, no htmldate), one lxml parse;
- :mod:`~index.html.regions`: which elements are the site's chrome (nav, sidebars, comments …);
- :mod:`~index.html.site`: what a reindex learns from the other pages of the same site (its name
  in ``<title>``, its recurring chrome lines), passed in as a :class:`~index.html.site.SiteProfile`;
- :mod:`~index.html.body` and :mod:`~index.html.cleaning`: the main text;
- :mod:`~index.html.title`: the headline; :mod:`~index.html.dates`: the publication day (its
  labels and datelines shown in the text: :mod:`~index.html.datelines`);
- :mod:`~index.html.markup`: meta tags, JSON-LD and the canonical URL, for all of them.
"""

from __future__ import annotations

import dataclasses
import datetime

from index.html.body import BodyCandidates
from index.html.body import choose_body
from index.html.body import fallback_body
from index.html.body import paragraphs
from index.html.cleaning import clean
from index.html.dates import DateEvidence
from index.html.dates import choose_date
from index.html.dates import date_evidence
from index.html.decode import LARGE_MARKUP
from index.html.decode import decode_html
from index.html.decode import parse
from index.html.decode import shrink
from index.html.fitted import BODY
from index.html.fitted import DATE_WEIGHTS
from index.html.fitted import TITLE_WEIGHTS
from index.html.fitted import BodyParams
from index.html.markup import canonical_url
from index.html.markup import first_text
from index.html.markup import guarded
from index.html.markup import json_ld
from index.html.markup import ld_value
from index.html.markup import meta
from index.html.regions import Regions
from index.html.regions import chrome_blocks
from index.html.site import EMPTY
from index.html.site import SiteProfile
from index.html.title import TitleCandidate
from index.html.title import choose_title
from index.html.title import headline_keys
from index.html.title import title_candidates

__all__ = ["HtmlArticle", "SiteProfile", "decode_html", "decide", "decide_body", "extract_html", "gather"]


@dataclasses.dataclass(frozen=True)
class HtmlArticle:
    """What one page gives: its headline, main text, publication day (or year) and canonical URL.

    ``date_source`` names the date source that weighed most for the day (None without a day).
    """

    title: str
    body: str
    date: datetime.date | None
    year: int | None
    url: str | None
    date_source: str | None = None


@dataclasses.dataclass
class Evidence:
    """Everything :func:`decide` needs about one page; nothing in it depends on fitted values.

    The body candidates and the texts shown only in boxes are worked out when first needed, each
    body once per :class:`~index.html.fitted.BodyParams` (:func:`decide_body`); :meth:`settle`
    decides the bodies fitting asks for and lets go of the page's tree (fitting keeps many pages).
    """

    url: str | None
    body: BodyCandidates | None
    cheap_body: list[str]
    titles: list[TitleCandidate]
    dates: DateEvidence
    profile: SiteProfile
    page: tuple = ()
    boxed: frozenset[str] | None = None
    #: bodies decided, by params (:func:`decide_body`)
    bodies: dict = dataclasses.field(default_factory=dict, repr=False)
    #: paragraphs cleaned, by (paragraphs, cleaning switches): the params of a fitting grid share them
    cleaned: dict = dataclasses.field(default_factory=dict, repr=False)
    #: the page is let go of: no body can be decided under other params
    settled: bool = False

    def boxed_blocks(self) -> frozenset[str]:
        """Squashed texts the page shows only inside boxes (:func:`index.html.regions.chrome_blocks`)."""
        if self.boxed is None:
            self.boxed = guarded(chrome_blocks, frozenset(), *self.page) if self.page else frozenset()
        return self.boxed

    def settle(self, grid: list[BodyParams]) -> "Evidence":
        """Decide the body under each params of ``grid``, then let go of the page: only what those
        decisions needed is worked out (trafilatura's other modes and the fallback text are not run
        where no params asks for them), and :func:`decide_body` refuses any other params."""
        for params in grid:
            decide_body(self, params)
        if self.body is not None:
            self.body.release()
        self.page, self.settled = (), True
        return self


def _to_text(data: bytes | str) -> str:
    """Decoded and size-guarded markup."""
    text = data if isinstance(data, str) else decode_html(bytes(data))
    return shrink(text)


def gather(data: bytes | str, url: str | None = None, profile: SiteProfile = EMPTY,
           dates: bool = True) -> Evidence | None:
    """Read one page and collect its evidence (None when there is no page to read).

    :param url: where the page came from, if known (the canonical link or og:url wins).
    :param profile: what the other pages of its site say (:func:`index.html.site.learn_sites`).
    :param dates: False: no date evidence (the body and title do not read it; htmldate is slow).
    """
    text = guarded(_to_text, "", data)
    tree = guarded(parse, None, text)
    if tree is None:
        return None
    ld = guarded(json_ld, [], tree)
    page_url = guarded(canonical_url, url, tree, url)
    regions = guarded(Regions, None, tree) or Regions()
    cheap = len(text) > LARGE_MARKUP
    body = None if cheap else BodyCandidates(tree, text, page_url, regions)
    cheap_body = paragraphs(guarded(fallback_body, "", text)) if cheap else []
    first_lines = cheap_body if cheap else body.get("precise")
    titles = guarded(title_candidates, [], tree, page_url, ld, regions, first_lines, profile)
    metas = [meta(tree, "og:title"), ld_value(ld, "headline"), first_text(tree, "title")]
    days = guarded(date_evidence, DateEvidence(), tree, ld, (page_url, url), metas, regions, cheap) if dates \
        else DateEvidence()
    return Evidence(page_url, body, cheap_body, titles, days, profile, page=(tree, regions))


def decide_body(evidence: Evidence, params: BodyParams = BODY) -> str:
    """The main text the evidence gives under the body thresholds and switches ``params``."""
    if params not in evidence.bodies:
        if evidence.settled:
            raise ValueError(f"the page was let go of before a body was decided under {params}")
        evidence.bodies[params] = _decide_body(evidence, params)
    return evidence.bodies[params]


def _decide_body(evidence: Evidence, params: BodyParams) -> str:
    headlines = headline_keys(evidence.titles)
    boxed = evidence.boxed_blocks() if params.drop_chrome else frozenset()
    switches = params.cleaning()

    def cleaned(paras: list[str]) -> list[str]:
        key = (tuple(paras), switches)
        if key not in evidence.cleaned:
            evidence.cleaned[key] = clean(paras, headlines, boxed, evidence.profile, switches)
        return evidence.cleaned[key]

    if evidence.body is None:
        paras = cleaned(evidence.cheap_body) or evidence.cheap_body
    else:
        paras = guarded(choose_body, [], evidence.body, cleaned, params, evidence.boxed_blocks)
    return "\n\n".join(paras)


def decide(evidence: Evidence | None, body_params: BodyParams = BODY, title_weights: dict = TITLE_WEIGHTS,
           date_weights: dict = DATE_WEIGHTS, url: str | None = None) -> HtmlArticle:
    """The article the evidence gives under the fitted values (or the ones passed in)."""
    if evidence is None:
        return HtmlArticle(title="", body="", date=None, year=None, url=url)
    day, source = choose_date(evidence.dates, date_weights)
    return HtmlArticle(title=choose_title(evidence.titles, title_weights), body=decide_body(evidence, body_params),
                       date=day, year=day.year if day else evidence.dates.year, url=evidence.url,
                       date_source=source)


def extract_html(data: bytes | str, url: str | None = None, profile: SiteProfile = EMPTY) -> HtmlArticle:
    """Main text without navigation, teasers, related links or comments; title; publication day."""
    return decide(gather(data, url, profile), url=url)
