"""The main text of a page: candidate texts, chosen and cleaned.

Candidates (:func:`body_texts`): trafilatura in precision mode; its default mode when the precision
text is short; its recall mode when both are short; a BeautifulSoup heuristic when trafilatura finds
nothing. A visible standfirst that repeats the page description is put back in front of the
precision text. :func:`choose_body` cleans every candidate (:mod:`index.html.cleaning`) and picks
one by length ratios whose thresholds are fitted (:mod:`index.html.fitted`). A chosen text that
took what the page shows only in boxes and lost the paragraph under the headline gives way to the
fallback text when that one has it (a question page whose question trafilatura dropped).
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup
from bs4 import XMLParsedAsHTMLWarning
from lxml.html import HtmlElement

from index.html.fitted import BodyParams
from index.html.markup import fold
from index.html.markup import guarded
from index.html.markup import meta
from index.html.markup import squash

MIN_LEAD = 40
FALLBACK_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                 "iframe", "svg", "button", "select")
FALLBACK_MAIN = ("article", "main", "[role=main]", "[itemprop=articleBody]")
LEAD_SKIP_TAGS = {"nav", "header", "footer", "aside", "head", "form", "figure", "figcaption"}
LEAD_TAGS = ("p", "div", "span", "section", "h2", "strong", "b", "em")
#: The paragraph the headline heads: the first <p> after the page's <h1> at least this long.
HEADED_MIN = 60
#: ... found among this many <p> after the <h1>.
HEADED_REACH = 5
#: The fallback replaces a text that lost that paragraph only if it keeps this share of the text.
HEADED_KEEP = 0.5


def _trafilatura(tree: HtmlElement, url: str | None, **options) -> str:
    """Main text by trafilatura, without comments ('' when it finds none)."""
    import trafilatura

    return trafilatura.extract(tree, url=url, include_comments=False, **options) or ""


def _descriptions(tree: HtmlElement) -> list[str]:
    """Page descriptions long enough to be a standfirst."""
    texts = (meta(tree, key) for key in ("og:description", "description", "twitter:description"))
    return [text for text in texts if text and len(text) >= MIN_LEAD]


def _visible_lead(tree: HtmlElement, description: str) -> str | None:
    """The text of a visible element that shows the description (outside nav, header, footer …)."""
    stem = description.rstrip(".… ")
    for element in tree.iter(*LEAD_TAGS):
        text = fold(element.text_content())
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
    folded = fold(body)
    descriptions = _descriptions(tree)
    if any(description[:MIN_LEAD] in folded for description in descriptions):
        return None
    shown = fold(tree.text_content())
    descriptions = [description for description in descriptions if description[:MIN_LEAD] in shown]
    for description in descriptions:
        lead = _visible_lead(tree, description)
        if lead:
            return lead
    return None


def fallback_body(text: str) -> str:
    """BeautifulSoup heuristic: drop page furniture, prefer <article>/<main>, keep paragraph text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # an XHTML page read as HTML is fine
        soup = BeautifulSoup(text, "lxml")
    for tag in soup(FALLBACK_DROP):
        tag.decompose()
    root = next((found for css in FALLBACK_MAIN if (found := soup.select_one(css))), None)
    root = root or soup.body or soup
    blocks = [fold(block.get_text(" ")) for block in root.find_all(["p", "h2", "h3", "li", "pre"])]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) if blocks else fold(root.get_text(" "))


def paragraphs(text: str) -> list[str]:
    """One line per block from trafilatura → the list of non-empty paragraphs."""
    return [line for line in (line.strip() for line in text.splitlines()) if line]


class BodyCandidates:
    """The candidate texts of one page as paragraph lists, each computed when first asked for.

    ``precise`` (with the standfirst put back), ``default``, ``recall``: trafilatura's three modes;
    ``fallback``: the BeautifulSoup heuristic. An extraction asks only for those its choice needs;
    fitting, for those its choices under every params of its grid need.
    """

    def __init__(self, tree: HtmlElement, text: str, url: str | None, regions=None):
        self._page = (tree, text, url)
        self._texts: dict[str, list[str]] = {}
        self._regions = regions
        self._headed: str | None = None

    def get(self, mode: str) -> list[str]:
        if mode not in self._texts:
            self._texts[mode] = paragraphs(guarded(self._compute, "", mode))
        return self._texts[mode]

    def _compute(self, mode: str) -> str:
        tree, text, url = self._page
        if mode == "fallback":
            return fallback_body(text)
        if mode != "precise":
            return _trafilatura(tree, url, **({"favor_recall": True} if mode == "recall" else {}))
        precise = _trafilatura(tree, url, favor_precision=True)
        lead = guarded(_standfirst, None, tree, precise) if precise else None
        return f"{lead}\n{precise}" if lead else precise

    def headed(self) -> str:
        """The folded first paragraph under the page's headline ('' when there is none)."""
        if self._headed is None:
            self._headed = guarded(headed_paragraph, "", self._page[0], self._regions) if self._page[0] is not None \
                else ""
        return self._headed

    def release(self) -> None:
        """Let go of the page (its tree, text and regions): only the texts already worked out stay."""
        self._page = (None, "", None)
        self._regions = None


def headed_paragraph(tree: HtmlElement, regions) -> str:
    """The first long paragraph after the first <h1> outside chrome: what the headline heads
    (the article's first paragraph, a question's text on a Q&A page)."""
    after, seen = False, 0
    for element in tree.iter("h1", "p"):
        if element.tag == "h1":
            after = after or not (regions and element in regions)
            continue
        if not after or (regions and element in regions):
            continue
        text = fold(element.text_content())
        seen += 1
        if len(text) >= HEADED_MIN:
            return text
        if seen >= HEADED_REACH:
            break
    return ""


def no_boxes() -> frozenset[str]:
    """For a page read without its box layout: no text is known to be shown only in boxes."""
    return frozenset()


def choose_body(candidates: BodyCandidates, clean, params: BodyParams, boxed=no_boxes) -> list[str]:
    """The paragraphs of the main text: cleaned candidates chosen by their lengths.

    The precision text stands when it is long (``precision_long``) or keeps ``precision_keep`` of
    the default text; a chosen text shorter than ``recall_below`` gives way to a longer recall
    text; when trafilatura finds nothing the fallback heuristic is used.

    :param clean: paragraphs → paragraphs, the page's cleaning steps.
    :param boxed: () → the squashed texts the page shows only inside boxes (see :func:`_headed_body`).
    """
    precise = clean(candidates.get("precise"))
    body = precise
    if _length(candidates.get("precise")) < params.precision_long:
        default = clean(candidates.get("default"))
        if _length(precise) < params.precision_keep * _length(default):
            body = default
    if _length(body) < params.recall_below:
        recall = clean(candidates.get("recall"))
        if _length(recall) > _length(body):
            body = recall
    return _headed_body(candidates, body, clean, boxed) if body else clean(candidates.get("fallback"))


def _headed_body(candidates: BodyCandidates, body: list[str], clean, boxed=no_boxes) -> list[str]:
    """The fallback text instead of ``body`` when ``body`` took text the page shows only in boxes
    (a network bar, a pop-up) and lost the paragraph the headline heads, while the fallback has
    that paragraph and keeps most of ``body`` (trafilatura took a question page's chrome and answers
    for the article and dropped the question under the headline).

    :param boxed: () → the squashed texts the page shows only inside boxes (asked for only here).
    """
    headed = candidates.headed()
    if not headed or _holds(" ".join(body), headed):
        return body
    shown_in_boxes = boxed()
    if not any(squash(para) in shown_in_boxes for para in body):
        return body
    fallback = clean(candidates.get("fallback"))
    text = fold(" ".join(fallback))
    if headed not in text:
        return body
    kept = sum(len(para) for para in body if fold(para) in text)
    return fallback if kept >= HEADED_KEEP * _length(body) else body


def _holds(text: str, folded: str) -> bool:
    """``folded in fold(text)``, without folding ``text`` where it holds ``folded`` as it is: a folded
    text (single spaces between words, none at its ends) found in ``text`` is found in it folded."""
    return folded in text or folded in fold(text)


def _length(paras: list[str]) -> int:
    return sum(len(para) for para in paras)
