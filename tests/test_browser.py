"""End to end: the real CLI indexes sample/, the real server serves it, Chromium drives it."""

import re

import pytest

from browsing import browser  # noqa: F401 (a fixture)
from browsing import cli_reindex
from browsing import own_page  # noqa: F401 (a fixture)
from browsing import page  # noqa: F401 (a fixture)
from browsing import pages  # noqa: F401 (a fixture)
from servers import REPO
from servers import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.cost(12)]

SAMPLE = REPO / "sample"
RZHEV = "Rzhev Memorial"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The URL of a real ``newsearch serve`` of sample/, indexed by ``newsearch reindex``."""
    ix = tmp_path_factory.mktemp("browser") / "ix"
    assert "2 added" in cli_reindex(SAMPLE, ix)
    with serving(ix, tmp_path_factory.mktemp("server") / "server.log", threads=2) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """Where the screenshots go (kept in pytest's tmp folder for a look)."""
    return tmp_path_factory.mktemp("screenshots")


def search_for(page, words: str) -> None:
    page.goto("/")
    box = page.get_by_label("Search articles")
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")


def hit_titles(page) -> list[str]:
    return page.locator("ol.hits li.hit h2.hit-title").all_inner_texts()


def test_search_box_query_shows_highlighted_snippet(page, shots):
    search_for(page, "memorial")
    assert page.locator("#summary").inner_text().startswith("2 articles for")
    assert page.locator("#summary q").inner_text() == "memorial"
    titles = hit_titles(page)
    assert len(titles) == 2 and any(RZHEV in t for t in titles)
    marks = page.locator("ol.hits p.snippet mark").all_inner_texts()
    assert marks and "memorial" in {m.lower() for m in marks}
    page.screenshot(path=shots / "desktop_results.png", full_page=True)


def test_clicking_a_figure_facet_narrows_hits(page):
    search_for(page, "memorial")
    facets = page.locator("section.facet", has=page.get_by_role("heading", name="Named figures"))
    facets.locator("a.facet-value", has_text="Igor Rudeni").click()
    page.wait_for_url(re.compile(r"[?&]figure=Igor\+Rudeni(&|$)"))
    assert "q=memorial" in page.url
    assert page.locator("#summary").inner_text().startswith("1 article for")
    titles = hit_titles(page)
    assert len(titles) == 1 and RZHEV in titles[0]
    selected = facets.locator("a.facet-value", has_text="Igor Rudeni")
    assert selected.get_attribute("aria-current") == "true"
    chip = page.get_by_role("list", name="Active filters").get_by_role("link")
    assert chip.all_inner_texts() == ["Igor Rudeni ×"]
    chip.click()
    page.wait_for_url(lambda url: "figure=" not in url)
    assert page.locator("#summary strong").inner_text() == "2"
    assert len(hit_titles(page)) == 2


def test_article_page_highlights_query(page, shots):
    search_for(page, "memorial")
    first = page.locator("ol.hits li.hit h2.hit-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/articles/sample/.+\?q=memorial&hit=1$"))
    assert page.locator("article h1").inner_text() == title
    marks = page.locator("article .article-body mark").all_inner_texts()
    assert marks and all(m.lower().startswith("memori") for m in marks)
    assert page.locator("article .article-body p").count() >= 2
    chips = page.locator("article ul.figures a.chip")
    names = chips.all_inner_texts()
    assert names
    hrefs = [chips.nth(i).get_attribute("href") for i in range(len(names))]
    assert hrefs == ["/?figure=" + n.replace(" ", "+") for n in names]
    page.screenshot(path=shots / "article.png", full_page=True)
    chips.first.click()
    page.wait_for_url(re.compile(r"/\?figure="))
    selected = page.locator("a.facet-value.selected", has_text=names[0])
    assert selected.get_attribute("aria-current") == "true"


def test_no_script_runs_and_no_console_errors(own_page):
    page = own_page
    dialogs, errors, console_errors = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    statuses = []
    # The second has an unclosed double quote: it is searched as plain words and shown back, as the others.
    attacks = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
               "'><img src=x onerror=alert(1)>"]
    for attack in attacks:
        box = page.get_by_label("Search articles")
        box.fill(attack)
        with page.expect_navigation() as navigation:
            box.press("Enter")
        statuses.append(navigation.value.status)
        assert "script-src 'self'" in navigation.value.headers["content-security-policy"]
        assert page.locator("img[src=x]").count() == 0
        assert page.locator("main script").count() == 0
        if navigation.value.status == 200:
            assert page.locator("#summary q").inner_text() == attack
            assert page.get_by_label("Search articles").input_value() == attack
        else:
            heading = page.get_by_role("alert").get_by_role("heading")
            assert heading.inner_text() == "Cannot search that"
    page.wait_for_timeout(200)  # an onerror handler would have fired by now
    assert statuses == [200, 200, 200]
    assert dialogs == [] and errors == []
    # Chromium logs the 400 of the refused query as a failed load; nothing else may be logged.
    assert [m for m in console_errors if "status of 400" not in m] == []


@pytest.fixture
def phone(pages, base_url):  # noqa: F811
    """A page 390 CSS pixels wide (not ``is_mobile``: it widens the layout to fit overflow)."""
    return pages.get(base_url, width=390, height=844, device_scale_factor=2, has_touch=True)


def test_page_works_at_phone_width(phone, shots):
    search_for(phone, "memorial")
    assert phone.locator("#summary").inner_text().startswith("2 articles for")
    assert phone.locator("ol.hits li.hit").count() == 2
    shot = shots / "phone_results.png"
    phone.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0


@pytest.mark.parametrize("path", ["/?q=memorial", "/help",
                                  "/articles/sample/002_7824e3bba50f0235.txt?q=memorial"])
def test_no_horizontal_scroll_at_phone_width(phone, path):
    phone.goto(path)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= phone.evaluate("window.innerWidth") + 1


def facet_counts(page, heading):
    section = page.locator("section.facet", has=page.get_by_role("heading", name=heading))
    values = {}
    for link in section.locator("ul.facet-values a.facet-value").all():
        values[link.locator(".label").inner_text()] = int(link.locator(".count").inner_text().replace(",", ""))
    return values


def api_json(page, path):
    response = page.request.get(path)
    assert response.ok
    return response.json()


def test_two_figures_narrow_to_articles_naming_both_and_counts_match_json(page):
    page.goto("/?q=")
    figures = page.locator("section.facet", has=page.get_by_role("heading", name="Named figures"))
    figures.locator("a.facet-value", has_text="Igor Rudeni").click()
    page.wait_for_url(re.compile(r"figure=Igor\+Rudeni"))
    figures.locator("a.facet-value", has_text="Grigory Rapota").click()
    page.wait_for_url(re.compile(r"figure=Grigory\+Rapota"))
    assert page.locator("#summary strong").inner_text() == "1"
    shown = facet_counts(page, "Named figures")
    data = api_json(page, "/api/search?figure=Igor+Rudeni&figure=Grigory+Rapota")
    assert shown == {v["value"]: v["count"] for v in data["facets"]["figures"]}
    assert data["total"] == 1 and shown["Igor Rudeni"] == 1 and shown["Grigory Rapota"] == 1
    assert [a.get_attribute("aria-current") for a in figures.locator("a.facet-value.selected").all()] \
        == ["true", "true"]


def test_year_drills_into_months_and_days(page):
    page.goto("/?q=")
    years = page.locator("section.facet", has=page.get_by_role("heading", name="Year"))
    years.locator("a.facet-value", has_text="2020").click()
    page.wait_for_url(re.compile(r"year=2020"))
    assert facet_counts(page, "Months of 2020") == {"2020-01": 1}
    data = api_json(page, "/api/search?year=2020")
    assert [(v["value"], v["count"]) for v in data["facets"]["month"]] == [("2020-01", 1)]
    months = page.locator("section.facet", has=page.get_by_role("heading", name="Months of 2020"))
    months.locator("a.facet-value").first.click()
    page.wait_for_url(re.compile(r"month=2020-01"))
    assert facet_counts(page, "Days of 2020-01") == {"2020-01-30": 1}
    assert len(hit_titles(page)) == 1


def test_article_more_like_this_leads_to_a_neighbour(page):
    search_for(page, "memorial")
    page.locator("ol.hits h2 a").first.click()
    first_title = page.locator("article h1").inner_text()
    related = page.get_by_role("region", name="More like this")
    related.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() != first_title


def test_autocomplete_offers_figures_and_chooses_with_the_keyboard(page):
    page.goto("/")
    box = page.get_by_label("Search articles")
    box.press_sequentially("rude", delay=30)
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Igor Rudeni" in option.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"figure=Igor\+Rudeni"))
    assert page.locator("#summary strong").inner_text() == "1"


def test_figure_facet_search_box_filters_in_place(page):
    page.goto("/?q=")
    page.get_by_label("Find a figure in these results").press_sequentially("rud", delay=30)
    figures = page.locator("#figure-values a.facet-value")
    from playwright.sync_api import expect

    expect(figures).to_have_count(1)
    assert figures.first.locator(".label").inner_text() == "Igor Rudeni"


def test_figure_chip_opens_the_figure_page(page):
    search_for(page, "memorial")
    hit = page.locator("ol.hits li.hit", has_text=RZHEV)
    hit.get_by_role("link", name="Profile of Igor Rudeni").click()
    page.wait_for_url(re.compile(r"/figures/Igor"))
    assert page.locator("h1").inner_text().startswith("Igor Rudeni")
    data = api_json(page, "/api/figures/Igor%20Rudeni")
    assert data["articles"] == 1 and data["first"] == data["last"] == "2020-01-30"
    text = page.locator("main").inner_text()
    assert "Articles\n1\nFirst mention\n2020-01-30" in text


def test_long_question_shows_the_relaxed_match_notice(page, shots):
    search_for(page, "which articles describe the rzhev memorial installation at the opera house in bananas")
    notice = page.locator("p.warning.relaxed")
    assert notice.inner_text().startswith("No article has all ")
    assert "showing articles with at least" in notice.inner_text()
    assert "(which, articles, describe not counted)" in notice.inner_text()
    assert hit_titles(page)[0].startswith("The final stage of the installation")
    page.screenshot(path=str(shots / "relaxed.png"), full_page=True)
    with page.expect_navigation():
        notice.get_by_role("link", name="why?").click()
    assert page.locator("#long-queries").is_visible()
