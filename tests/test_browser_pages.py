"""End to end on a generated corpus (53 articles over five years and undated, 25 figures): the filter drawer at
390 px, the date-range control with and without JavaScript, "matched in", page numbers, previous/next
on the article page, the compact list, the CSS fixes of issue 15 and axe-core on every kind of page."""

import re

import pytest

from browsing import axe_violations
from browsing import browser  # noqa: F401 (a fixture)
from browsing import build_harbour_index
from browsing import own_page  # noqa: F401 (a fixture)
from browsing import page  # noqa: F401 (a fixture)
from browsing import pages  # noqa: F401 (a fixture)
from servers import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.cost(16)]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    ix = build_harbour_index(tmp_path_factory.mktemp("harbour"))
    with serving(ix, tmp_path_factory.mktemp("server") / "server.log", threads=2) as url:
        yield url


@pytest.fixture
def no_script(pages, base_url):  # noqa: F811
    return pages.get(base_url, java_script_enabled=False)


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def phone(pages, base_url, request):  # noqa: F811
    return pages.get(base_url, width=390, height=844, java_script_enabled=request.param)


def summary_total(page) -> int:
    return int(page.locator("#summary strong").inner_text().replace(",", ""))


def api(page, path) -> dict:
    response = page.request.get(path)
    assert response.ok, path
    return response.json()


def test_filters_are_a_drawer_at_phone_width_with_the_active_count(phone):
    from playwright.sync_api import expect  # imported where used: collecting stays light

    phone.goto("/?q=harbour&year=2020&figure=Ada+Archer")
    button = phone.locator(".filters-button")
    assert " ".join(button.text_content().split()) == "Filters 2 active"
    facets = phone.locator("#filters")
    expect(facets).to_be_hidden()
    top = button.bounding_box()["y"]
    assert top < 400, "the Filters button is near the top of the page"
    button.click()
    expect(facets).to_be_visible()
    expect(facets.get_by_role("heading", name="Named figures")).to_be_visible()
    assert facets.bounding_box()["width"] <= 390
    source = facets.locator("section.facet", has=phone.get_by_role("heading", name="Source"))
    assert source.count() == 0, "one source: no source facet"
    facets.locator("#facet-year ~ ul a.facet-value:not([aria-current])").first.click()
    phone.wait_for_url(re.compile(r"year=2020&year=|year=\d+&year=2020"))
    assert " ".join(phone.locator(".filters-button").text_content().split()) == "Filters 3 active"
    phone.locator(".filters-button").click()
    phone.locator(".drawer-close").click()
    expect(phone.locator("#filters")).to_be_hidden()


def bar(page, label):
    return page.locator(".histogram a.bar[data-label='%s']" % label).first


def test_date_bars_choose_and_widen_a_range_without_javascript(no_script):
    page = no_script
    page.goto("/?q=harbour")
    labels = page.locator(".histogram.years .bar-label").all_inner_texts()
    assert labels == ["2017", "2018", "2019", "2020", "2021"], "bars in date order"
    assert page.locator(".histogram").count() == 1
    counts = page.locator(".histogram.years .bar-count").all_inner_texts()
    assert counts == ["1", "2", "3", "40", "4"], "counts written on the bars"
    heights = [bar(page, str(y)).locator(".bar-fill").bounding_box()["height"] for y in (2017, 2020)]
    assert heights[0] >= 0.15 * heights[1], "a year with 1 article is visible beside one with 40"
    bar(page, "2018").click()
    page.wait_for_url(re.compile(r"from=2018-01-01&to=2018-12-31"))
    assert summary_total(page) == 2
    assert page.locator(".histogram.months .bar").count() == 12, "the months of the chosen year"
    bar(page, "2021").click()
    page.wait_for_url(re.compile(r"from=2018-01-01&to=2021-12-31"))
    assert summary_total(page) == api(page, "/api/search?q=harbour&from=2018-01-01&to=2021-12-31")["total"] == 49
    page.get_by_label("From", exact=True).fill("2020-01-01")
    page.get_by_label("To", exact=True).fill("2020-06-30")
    page.get_by_role("button", name="Apply dates").click()
    page.wait_for_url(re.compile(r"from=2020-01-01&to=2020-06-30"))
    assert summary_total(page) == api(page, "/api/search?q=harbour&from=2020-01-01&to=2020-06-30")["total"]
    assert page.locator("#facet-dates").count() == 1
    assert page.locator(".histogram-caption").all_inner_texts()[1] == "Articles per month, 2020"


def test_date_bars_are_brushed_with_javascript(page):
    page.goto("/?q=harbour")
    bar(page, "2017").scroll_into_view_if_needed()
    start = bar(page, "2017").bounding_box()
    end = bar(page, "2019").bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] - 5)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 5, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    assert "from=2017-01-01&to=2019-12-31" in page.url
    assert summary_total(page) == 6


def test_hits_say_where_they_matched(page):
    page.goto("/?q=harbour+ada&per_page=5")
    data = api(page, "/api/search?q=harbour+ada&per_page=5")
    where = {"title": "headline", "body": "body", "figures": "figure"}
    shown = page.locator("ol.hits .matched-in").all_inner_texts()
    assert shown == ["matched in: " + " · ".join(where[w] for w in hit["matched_in"]) for hit in data["hits"]]
    assert any("figure" in text for text in shown) and all("headline" in text for text in shown)


def test_selected_figures_are_marked_in_snippets(page):
    page.goto("/?figure=Ben+Baird")
    marks = page.locator("ol.hits p.snippet mark.figure")
    assert marks.count() == 0 or set(marks.all_inner_texts()) <= {"Ben Baird", "Baird"}
    page.goto("/?q=harbour&figure=Ada+Archer")
    assert page.locator("ol.hits li.hit").count() > 0


def test_page_numbers_first_last_and_a_window(page):
    page.goto("/?q=harbour&per_page=2")
    pager = page.get_by_role("navigation", name="Pages")
    numbers = pager.locator(".page-numbers li").all_inner_texts()
    assert numbers == ["1", "2", "3", "…", "27"]
    assert pager.locator("a[aria-current=page]").inner_text() == "1"
    pager.get_by_role("link", name="Page 27 (last)").click()
    page.wait_for_url(re.compile(r"page=27"))
    assert page.get_by_role("navigation", name="Pages").locator(".page-numbers li").all_inner_texts() == \
        ["1", "…", "25", "26", "27"]
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 26").click()
    page.wait_for_url(re.compile(r"page=26"))
    assert page.locator("ol.hits").get_attribute("start") == "51"


def test_article_page_steps_to_the_previous_and_next_hit(page):
    page.goto("/?q=harbour&sort=oldest&per_page=3")
    titles = page.locator("ol.hits h2 a").all_inner_texts()
    page.locator("ol.hits h2 a").nth(1).click()
    steps = page.get_by_role("navigation", name="This search")
    assert "Hit 2 of 53" in steps.inner_text()
    assert page.locator("article h1").inner_text() == titles[1]
    steps.get_by_role("link", name="Next hit →").click()
    assert page.locator("article h1").inner_text() == titles[2]
    page.get_by_role("navigation", name="This search").get_by_role("link", name="Next hit →").click()
    assert "Hit 4 of 53" in page.get_by_role("navigation", name="This search").inner_text()
    page.get_by_role("navigation", name="This search").get_by_role("link", name="← Back to results").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "sort=oldest" in page.url and "per_page=3" in page.url
    page.locator("ol.hits h2 a").first.click()
    page.get_by_role("link", name="← Previous hit").click()
    assert page.locator("article h1").inner_text() == titles[2]
    page.get_by_role("link", name="Jump to the first match").click()
    assert page.url.endswith("#first-match")
    assert page.locator("#first-match").inner_text().lower() == "harbour"


def test_compact_list_keeps_its_view_across_filters(page):
    page.goto("/?q=harbour")
    page.get_by_role("navigation", name="List view").get_by_role("link", name="Compact").click()
    page.wait_for_url(re.compile(r"view=compact"))
    assert page.locator("ol.hits p.snippet").count() == 0
    assert page.locator("ol.hits li.hit").count() == 10
    page.locator("#facet-year ~ ul a.facet-value", has_text="2019").click()
    page.wait_for_url(re.compile(r"year=2019"))
    assert "view=compact" in page.url and page.locator("ol.hits p.snippet").count() == 0


def test_did_you_mean_is_a_line_and_show_more_hides_when_filtering(page):
    from playwright.sync_api import expect  # imported where used: collecting stays light

    page.goto("/?q=harbur")
    suggestion = page.locator(".did-you-mean")
    assert suggestion.evaluate("e => getComputedStyle(e).display") == "block"
    assert suggestion.locator("a").inner_text() == "harbour"
    page.goto("/?q=harbour")
    more = page.locator(".show-more")
    expect(more).to_be_visible()
    page.get_by_label("Find a figure in these results").press_sequentially("ada", delay=30)
    expect(page.locator("#figure-values a.facet-value")).to_have_count(1)
    expect(more).to_be_hidden()


def test_no_request_fails_and_the_page_has_an_icon(own_page):
    page = own_page
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto("/?q=harbour")
    page.goto("/articles/h001")
    page.wait_for_timeout(300)
    assert failed == []
    assert page.request.get("/favicon.ico").ok


@pytest.mark.parametrize("path", [
    "/?q=harbour", "/?q=harbour&year=2020&figure=Ada+Archer&view=compact", "/?q=zzzz&year=2019",
    "/?q=harbour+(", "/articles/h002?q=harbour&hit=2", "/figures/Ada%20Archer", "/help",
])
@pytest.mark.parametrize("width", [1366, 390])
def test_axe_finds_no_serious_violation(pages, base_url, path, width):  # noqa: F811
    page = pages.get(base_url, width=width, height=900, bypass_csp=True)
    page.goto(path)
    if width == 390 and page.locator(".filters-button").count():
        page.locator(".filters-button").click()
    assert axe_violations(page) == []
