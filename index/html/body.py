"""The main text of a page: trafilatura, a standfirst put back in front, a BeautifulSoup fallback."""

from __future__ import annotations

from bs4 import BeautifulSoup
from lxml.html import HtmlElement

from index.html.markup import fold
from index.html.markup import guarded
from index.html.markup import meta

PRECISION_KEEP = 0.5
PRECISION_LONG = 2000
MIN_LEAD = 40
FALLBACK_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                 "iframe", "svg", "button", "select")
FALLBACK_MAIN = ("article", "main", "[role=main]", "[itemprop=articleBody]")
LEAD_SKIP_TAGS = {"nav", "header", "footer", "aside", "head", "form", "figure", "figcaption"}
LEAD_TAGS = ("p", "div", "span", "section", "h2", "strong", "b", "em")


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
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(FALLBACK_DROP):
        tag.decompose()
    root = next((found for css in FALLBACK_MAIN if (found := soup.select_one(css))), None)
    root = root or soup.body or soup
    blocks = [fold(block.get_text(" ")) for block in root.find_all(["p", "h2", "h3", "li", "pre"])]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) if blocks else fold(root.get_text(" "))


def _paragraphs(text: str) -> str:
    """One line per block from trafilatura → paragraphs separated by blank lines."""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def main_body(tree: HtmlElement, text: str, url: str | None) -> str:
    """Main text of the page, paragraphs separated by blank lines."""
    body = guarded(_main_text, "", tree, url)
    if body:
        lead = guarded(_standfirst, None, tree, body)
        return _paragraphs(f"{lead}\n{body}" if lead else body)
    return guarded(fallback_body, "", text)
