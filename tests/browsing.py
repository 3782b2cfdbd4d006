"""Shared by the browser tests: headless Chromium (Debian's), pages at desktop and phone width, axe-core,
and a generated corpus large enough for paging, date ranges and facets with many values."""

import json
import os
import random
import shutil

import pytest

from servers import REPO
from servers import cli_here

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 10_000
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def skip_or_fail(message: str):
    """Skip with ``message``, except in CI, where whatever the tests need must be installed."""
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, base_url, width=1280, height=900, **options):
    """A page in a new context (``java_script_enabled=False`` for the no-script tests)."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


class Pages:
    """A module's pages, one of each kind (server, size, script on or off, CSP bypassed), opened on first
    use and reused by every test that asks for that kind, each time on a blank document.

    Opening a page costs Chromium's browser process ~0.2 CPU-s and starts a cold renderer: reusing them
    saves a quarter of test_browser_pages' CPU. The app keeps nothing in the browser (no cookies, no
    storage) and every test starts by navigating, so a reused page is as fresh as a new one. Tests that
    listen to a page's events open their own (:func:`new_page`), so no listener outlives its test.
    """

    def __init__(self, browser):
        self.browser = browser
        self.opened = {}

    def get(self, base_url, width=1280, height=900, **options):
        key = (base_url, width, height, tuple(sorted(options.items())))
        if key not in self.opened:
            self.opened[key] = new_page(self.browser, base_url, width, height, **options)
        page = self.opened[key]
        page.goto("about:blank")
        return page

    def close(self):
        for page in self.opened.values():
            page.context.close()


@pytest.fixture(scope="module")
def pages(browser):
    """The module's reused pages (:class:`Pages`)."""
    shared = Pages(browser)
    yield shared
    shared.close()


@pytest.fixture
def page(pages, base_url):
    """A desktop page of the module's server (``base_url``, a fixture of the module), reused."""
    return pages.get(base_url)


@pytest.fixture
def own_page(browser, base_url):
    """A desktop page of its own, for a test that listens to its events."""
    page = new_page(browser, base_url)
    yield page
    page.context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list:
    """axe-core's violations of ``impacts`` on the page as it is now: ``[(rule, impact, [targets])]``.

    The page's context must be made with ``bypass_csp=True`` (axe is added as a script).
    """
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed ({AXE} is missing: run `npm ci` in the repository)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            if v["impact"] in impacts]


#: Figures of the generated corpus: more than a facet lists (20), so "Show more figures" appears.
FIGURES = [f"{first} {last}" for first, last in zip(
    ["Ada", "Ben", "Cora", "Dan", "Eva", "Finn", "Gia", "Hal", "Ida", "Jon", "Kim", "Leo", "Mia", "Ned",
     "Ola", "Pia", "Quin", "Rex", "Sia", "Tom", "Uma", "Vic", "Wes", "Xia", "Yan"],
    ["Archer", "Baird", "Cole", "Doyle", "Eames", "Frost", "Grant", "Hale", "Irwin", "Joyce", "Kerr",
     "Lowe", "Moss", "Nash", "Orr", "Pike", "Quay", "Reid", "Shaw", "Todd", "Upton", "Vance", "Wade",
     "Yates", "Zane"])]
#: Articles per year: one year dominates (the histogram must still show the others).
YEARS = {2017: 1, 2018: 2, 2019: 3, 2020: 40, 2021: 4}


#: Words the generated articles are made of (each article its own mix, so none is a near-duplicate).
WORDS = ("ship boat quay tide crane cargo fish net rope sail wind storm pier dock buoy lamp gull crew "
         "deck hull keel mast oar port bay cove reef wave salt sand rock cliff shore beach town road "
         "market bridge river canal lock gate wall tower bell clock square inn").split()


def _body(n: int) -> str:
    words = random.Random(n).choices(WORDS, k=60)
    return f"The harbour of town {n} opened a new quay. " + " ".join(words) + \
        f". Later the harbour master spoke about tides number {n}."


def harbour_articles() -> list:
    """A generated corpus: every article about a harbour, dated over five years, some undated."""
    articles, n = [], 0
    for year, count in YEARS.items():
        for i in range(count):
            n += 1
            articles.append({
                "id": f"h{n:03d}", "title": f"Harbour report {n}", "date": f"{year}-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                "body": _body(n),
                "figures": [FIGURES[n % len(FIGURES)], FIGURES[(n * 7) % len(FIGURES)]]})
    for i in range(3):
        articles.append({"id": f"u{i}", "title": f"Undated harbour note {i}", "date": None,
                         "body": f"An undated note {i} about the harbour. " + _body(100 + i), "figures": []})
    return articles


def build_harbour_index(folder) -> str:
    """``newsearch reindex`` of :func:`harbour_articles` (as JSON Lines) into ``folder/ix``."""
    source = folder / "harbour.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in harbour_articles()))
    ix = folder / "ix"
    cli_reindex(source, ix)
    return ix


def cli_reindex(source, ix) -> str:
    """``newsearch reindex SOURCE --index IX`` in this process, without extraction processes (a fixture's
    index, not what is tested); return its output."""
    return cli_here("reindex", source, "--index", ix, "--workers", "0")
