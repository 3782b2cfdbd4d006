"""The HTML pages through the Flask test client (issue 15: chips, headings, the feed link, labels,
warnings, the feed's errors, the favicon, zero-hit and error pages, stepping through hits)."""

import re
from html import unescape

import pytest

from web.pages import page_numbers


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_day_filter_shows_as_a_chip_and_a_facet_heading(client):
    html = page(client, "/?day=2020-01-30")
    assert 'aria-label="Remove day 2020-01-30"' in html
    assert '<h2 id="facet-day">Days of 2020-01</h2>' in html
    assert "Days of </h2>" not in html


def test_a_month_without_its_year_has_a_proper_heading(client):
    assert '<h2 id="facet-month">Months of 2020</h2>' in page(client, "/?month=2020-03")


def test_the_feed_link_keeps_day_and_cluster(client):
    html = page(client, "/?q=alfa&day=2020-01-30&cluster=a1&sort=oldest")
    feed = unescape(re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)[1])
    assert feed == "/feed?q=alfa&day=2020-01-30&cluster=a1"
    assert 'href="/feed?q=alfa&amp;day=2020-01-30&amp;cluster=a1">Atom feed' in html


def test_the_feed_answers_a_bad_query_as_json(client):
    response = client.get("/feed?q=title:(foo+AND")
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "bad_query"


def test_an_empty_query_is_listed_and_labelled_newest(client):
    html = page(client, "/")
    assert '<strong aria-current="true">Newest</strong>' in html
    assert ">Relevance<" not in html


def test_warnings_name_unknown_values_and_parameters(client):
    html = text(page(client, "/?figure=igor+rudeni&source=nope&colour=red"))
    assert "unknown parameter 'colour' ignored" in html
    assert "figure 'igor rudeni' taken as 'Igor Rudeni' (case and accents ignored)" in html
    assert "no article has the source 'nope'" in html
    data = client.get("/api/search?source=nope&colour=red").get_json()
    assert data["total"] == 0 and len(data["warnings"]) == 2


def test_the_favicon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in page(client, "/help")


def test_undated_articles_are_a_year_value_on_the_page(client):
    html = page(client, "/")
    assert re.search(r'href="/\?year=undated"[^>]*>\s*<span class="label">undated</span> <span class="count">1</span>', html)
    chosen = page(client, "/?year=undated")
    assert 'aria-label="Remove year undated"' in chosen and "Undated kilo" in chosen


def test_a_page_without_hits_offers_ways_out_and_no_empty_facets(client):
    html = page(client, "/?q=charlie&figure=Grigory+Rapota&year=2019")
    assert 'id="filters"' not in html and "facet-values" not in html
    found = text(html)
    assert "Without every filter : 2 articles." in found
    assert "Without figure Grigory Rapota" not in found  # still nothing without it
    assert "Without the dates" not in found


def test_a_bad_query_page_marks_the_error_and_offers_plain_words(client):
    html = page(client, "/?q=title:(foo+AND&year=2020", status=400)
    assert '<code>title:<mark class="error-at" title="here">(</mark>foo AND</code>' in html
    assert 'href="/?q=foo&amp;year=2020">Search as plain words: <q>foo</q>' in html


def test_page_numbers_have_the_first_the_last_and_a_window():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 28) == [1, 2, 3, None, 28]
    assert page_numbers(10, 28) == [1, None, 8, 9, 10, 11, 12, None, 28]
    assert page_numbers(4, 28) == [1, 2, 3, 4, 5, 6, None, 28]


@pytest.mark.parametrize("hit,previous,next_", [(1, None, "a2"), (2, "a4", "a1"), (5, "a3", None)])
def test_the_article_page_steps_through_its_search(client, hit, previous, next_):
    ids = [h["id"] for h in client.get("/api/search?per_page=10").get_json()["hits"]]
    assert ids == ["a4", "a2", "a1", "a3", "a5"]
    html = page(client, f"/articles/{ids[hit - 1]}?hit={hit}")
    assert f"Hit {hit} of 5" in text(html)
    for rel, expected in (("prev", previous), ("next", next_)):
        link = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
        assert (link and unescape(link[1])) == (expected and f"/articles/{expected}?hit={hit + (1 if rel == 'next' else -1)}")


def test_a_stale_hit_number_shows_no_steps(client):
    html = page(client, "/articles/a1?hit=1")  # a1 is hit 3, not 1
    assert "Hit 1 of" not in html and 'rel="next"' not in html
