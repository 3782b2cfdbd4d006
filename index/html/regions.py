"""Where on the page a piece of text sits: the article itself, or the site's chrome around it.

Chrome is what a site wraps around every article: navigation, sidebars, related links, comments,
footers, pop-ups and newsletter boxes. A paragraph or a heading found only there is not the
article's; a date found in the parts that speak of *other* pages (links, menus, comments, related
articles: "foreign") is another page's date. :class:`Regions` marks both once per page (see
:func:`kind_of` for the rules). The class words are web conventions shared by the common CMSs and
themes, fixed in advance, not fitted on the evaluation pages.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from index.html.markup import fold

CHROME_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "sidebar", "widget", "widgets",
    "footer", "related", "comment", "comments", "share", "sharing", "social", "newsletter", "subscribe",
    "subscription", "popup", "modal", "dialog", "cookie", "cookies", "banner", "topbar", "promo",
    "recommended", "popular", "trending",
})
#: Boxes laid over or around the article: pop-ups, newsletter and cookie boxes, the site's bars.
BOX_WORDS = frozenset({
    "popup", "modal", "dialog", "newsletter", "subscribe", "subscription", "cookie", "cookies", "banner",
    "topbar", "promo",
})
#: Chrome that speaks of other pages: what is dated there is another article, a comment, a menu.
FOREIGN_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "related", "comment", "comments",
    "recommended", "popular", "trending",
})
ARTICLE_TAGS = frozenset({"article", "main"})
BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "dt", "blockquote",
              "figcaption", "pre", "div", "span", "a")
MAX_BLOCK = 2000
MAX_BOX = 1500
CLASS_WORD_RE = re.compile(r"[a-z]+")
ANY_CHROME_WORD_RE = re.compile("|".join(sorted(CHROME_WORDS | BOX_WORDS | FOREIGN_WORDS, key=len, reverse=True)))
LINK_WORD_RE = re.compile(r"[^\W\d_]{3,}")
TEASER_WORDS = 2
#: Class names that hide an element from sight (kept for screen readers or toggled by scripts): a
#: reader never sees "Headline:" in ``<span class="visuallyhidden">Headline:</span>``.
HIDDEN_CLASSES = frozenset({
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screen-reader-only", "screenreader",
    "element-invisible", "hidden", "hide", "d-none", "is-hidden", "u-hidden", "offscreen", "assistive-text",
})
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _class_words(element: HtmlElement) -> set[str]:
    """The lower-case words of an element's class and id ("related_posts js-box" → related, posts, js,
    box) — only when one of them may be a chrome word (most elements have none: no set is built)."""
    value = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    if not ANY_CHROME_WORD_RE.search(value):
        return set()
    return set(CLASS_WORD_RE.findall(value))


def is_hidden(element: HtmlElement) -> bool:
    """Is this element hidden from sight by its class, its style or the ``hidden`` attribute?"""
    classes = element.get("class")
    if classes and HIDDEN_CLASSES.intersection(classes.lower().split()):
        return True
    style = element.get("style")
    return element.get("hidden") is not None or bool(style and HIDDEN_STYLE_RE.search(style))


def _is_article_container(element: HtmlElement) -> bool:
    return element.tag in ARTICLE_TAGS or element.get("itemprop") == "articleBody"


def _has_headline(element: HtmlElement) -> bool:
    return element.find(".//h1") is not None


def kind_of(element: HtmlElement, inside_article: bool = False, words: set[str] | None = None) -> tuple[bool, bool]:
    """``(chrome, foreign)`` of this one element, not counting its ancestors.

    Chrome: ``<nav>``; ``<footer>``, ``<aside>`` and a ``<header>`` without ``<h1>`` outside an
    article (inside one they are the article's own byline box or footer); a class or id word of
    :data:`CHROME_WORDS` on an element that does not hold the headline (a wrapper such as
    "dialog-off-canvas-main-canvas" holds the whole page). Foreign: navigation, a site footer, and
    the :data:`FOREIGN_WORDS` regions (comments, related links, menus).
    """
    tag = element.tag
    if not isinstance(tag, str):
        return False, False
    if tag == "nav":
        return True, True
    if tag == "footer":
        return not inside_article, not inside_article
    if tag == "aside" or (tag == "header" and not _has_headline(element)):
        return not inside_article, False
    words = _class_words(element) if words is None else words
    if words & CHROME_WORDS and not _has_headline(element):
        return True, bool(words & FOREIGN_WORDS)
    return False, False


def _is_box(element: HtmlElement, inside_article: bool, words: set[str]) -> bool:
    """A pop-up, newsletter or cookie box, navigation, or the site's own header or footer; not an
    element holding the headline or more text than a box does (some sites wrap the article in one)."""
    tag = element.tag
    marked = tag == "nav" or (tag in ("header", "footer") and not inside_article)
    if not (marked or words & BOX_WORDS) or _has_headline(element):
        return False
    return len(element.text_content()) <= MAX_BOX


def _is_teaser_link(element: HtmlElement) -> bool:
    """A link that names another page in words ("Das MagenMorgazin am 01.07.17"), not a bare date
    or a "more" link: a date in it is that page's. A permalink on the article's own date is not."""
    if element.tag != "a" or not element.get("href"):
        return False
    from index.dates import MONTHS

    words = [word for word in LINK_WORD_RE.findall(element.text_content()) if word.lower() not in MONTHS]
    return len(words) >= TEASER_WORDS


class Regions:
    """Which elements of one page are chrome, which speak of other pages (foreign) and which are
    hidden from sight, worked out once top-down; a link that names another page in words is
    foreign too."""

    def __init__(self, tree: HtmlElement | None = None):
        self.chrome: set = set()
        self.foreign: set = set()
        self.boxes: set = set()
        self.hidden: set = set()
        self._links: dict = {}
        if tree is not None:
            body = tree.find("body")
            self._mark(body if body is not None else tree)

    def _mark(self, root: HtmlElement) -> None:
        stack = [(root, False, False, False, False, False)]
        while stack:
            element, chrome, foreign, box, hidden, inside_article = stack.pop()
            if not isinstance(element.tag, str):
                continue
            hidden = hidden or is_hidden(element)
            if _is_article_container(element) and not chrome:
                inside_article = True  # its own classes ("comments-open") are not read
            elif not foreign:
                words = _class_words(element)
                own_chrome, foreign = kind_of(element, inside_article, words)
                chrome = chrome or own_chrome
                box = box or _is_box(element, inside_article, words)
            for flag, marked in ((chrome, self.chrome), (foreign, self.foreign), (box, self.boxes),
                                 (hidden, self.hidden)):
                if flag:
                    marked.add(element)
            stack.extend((child, chrome, foreign, box, hidden, inside_article) for child in element)

    def __contains__(self, element: HtmlElement) -> bool:
        return element in self.chrome

    def elsewhere(self, element: HtmlElement) -> bool:
        """Does the element speak of another page (a link naming it, a menu, comments, related
        articles)? Links are looked at only when asked: few elements are."""
        if element in self.foreign:
            return True
        for node in (element, *element.iterancestors("a")):
            if node not in self._links:
                self._links[node] = _is_teaser_link(node)
            if self._links[node]:
                return True
        return False


def shown_text(element: HtmlElement, regions: Regions) -> str:
    """The folded text a reader sees in an element: without hidden parts and ruby readings."""
    if not regions.hidden:
        return fold("".join(element.xpath(".//text()[not(ancestor::rt or ancestor::rp)]")))
    if element in regions.hidden:
        return ""
    parts = []
    for node in element.xpath(".//text()[not(ancestor::rt or ancestor::rp)]"):
        owner = node.getparent()
        owner = owner.getparent() if node.is_tail and owner is not element else owner
        if owner is None or owner not in regions.hidden:
            parts.append(node)
    return fold("".join(parts))


def block_texts(tree: HtmlElement):
    """Yield ``(element, text)`` for the page's text blocks (paragraphs, list items, headings, divs …)."""
    body = tree.find("body")
    for element in (body if body is not None else tree).iter(*BLOCK_TAGS):
        text = element.text_content()
        if text and len(text) < MAX_BLOCK:
            yield element, text


def chrome_blocks(tree: HtmlElement, regions: Regions) -> frozenset[str]:
    """Squashed texts of the blocks the page shows only inside boxes (pop-ups, newsletter boxes,
    navigation, the site's header and footer)."""
    from index.html.markup import squash

    places: dict[str, bool] = {}
    for element, text in block_texts(tree):
        key = squash(text)
        if key:
            places[key] = places.get(key, True) and element in regions.boxes
    return frozenset(key for key, chrome in places.items() if chrome)
