"""End to end: a reader narrows a search in several languages to one, in Chromium."""

import re

import pytest

from browsing import browser  # noqa: F401 (a fixture)
from browsing import page  # noqa: F401 (a fixture: a desktop page on this module's base_url)
from browsing import pages  # noqa: F401 (a fixture)
from literal import index_folder
from servers import serving
from test_languages import EVERY

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """A real ``newsearch serve`` of the literal articles of every language of ``test_languages``."""
    ix = index_folder(tmp_path_factory.mktemp("languages") / "ix", EVERY)
    with serving(ix, tmp_path_factory.mktemp("server") / "server.log", threads=2) as url:
        yield url


def test_the_language_facet_narrows_hits_to_one_language(page):
    page.goto("/?q=election")
    assert page.locator("#summary").inner_text().startswith("3 articles for")
    facet = page.locator("section.facet", has=page.get_by_role("heading", name="Language"))
    facet.locator("a.facet-value", has_text="French").click()
    page.wait_for_url(re.compile(r"[?&]language=fr(&|$)"))
    assert page.locator("#summary").inner_text().startswith("2 articles for")
    langs = page.locator("ol.hits li.hit h2.hit-title").evaluate_all("els => els.map(e => e.lang)")
    assert langs == ["fr", "fr"]
    assert facet.locator("a.facet-value", has_text="French").get_attribute("aria-current") == "true"
    assert "2" in facet.locator("a.facet-value", has_text="French").inner_text()
    assert "1" in facet.locator("a.facet-value", has_text="English").inner_text()  # still offered, with its count
    chip = page.get_by_role("list", name="Active filters").get_by_role("link", name="Remove language French")
    with page.expect_navigation():
        chip.click()
    assert "language=" not in page.url
    assert page.locator("#summary").inner_text().startswith("3 articles for")


def test_the_article_page_says_its_language(page):
    page.goto("/?q=Förderungen")
    with page.expect_navigation():
        page.locator("ol.hits li.hit h2.hit-title a").first.click()
    assert page.locator("div.article-body").get_attribute("lang") == "de"
    assert page.locator("h1").get_attribute("lang") == "de"
    assert page.locator("div.article-body mark").first.inner_text().startswith("Förderung")
