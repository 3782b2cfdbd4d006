"""Dates in searches: both date orders put undated articles last, a date range holds dated articles
only, undated articles are a value of the year facet, and the month and day facets follow whatever
narrows the dates to one year or one month (issue 15, items 1, 2, 4 and 13)."""

from test_search import ids
from test_search import run


def values(result, facet):
    return [(v["value"], v["count"], v["selected"]) for v in result.facets[facet]]


def test_undated_come_last_in_both_date_orders(service):
    assert ids(run(service, sort="newest")) == ["a4", "a2", "a1", "a3", "a5"]
    assert ids(run(service, sort="oldest")) == ["a3", "a1", "a2", "a4", "a5"]
    assert ids(run(service, q="kilo OR echo", sort="oldest")) == ["a2", "a4", "a5"]


def test_a_date_range_holds_only_dated_articles(service):
    assert ids(run(service, to="2020-12-31")) == ["a2", "a1", "a3"]
    assert ids(run(service, **{"from": "2019-01-01"})) == ["a4", "a2", "a1", "a3"]


def test_a_year_only_date_is_in_a_range_that_holds_the_whole_year(service):
    assert ids(run(service, **{"from": "2021-01-01", "to": "2021-12-31"})) == ["a4"]
    assert ids(run(service, **{"from": "2021-06-01"})) == []
    assert ids(run(service, to="2021-03-01")) == ["a2", "a1", "a3"]


def test_undated_articles_are_a_year_facet_value_and_can_be_chosen(service):
    result = run(service)
    assert values(result, "year")[-1] == ("undated", 1, False)
    assert sum(v["count"] for v in result.facets["year"]) == result.total
    chosen = run(service, year="undated")
    assert ids(chosen) == ["a5"]
    assert values(chosen, "year")[-1] == ("undated", 1, True)
    assert chosen.to_json()["query"]["year"] == ["undated"]
    assert ids(run(service, year=["undated", "2019"])) == ["a3", "a5"]


def test_a_day_without_its_month_is_counted_with_the_days_of_its_month(service):
    result = run(service, day="2020-01-30")
    assert ids(result) == ["a1"]
    assert values(result, "day") == [("2020-01-30", 1, True)]
    assert values(result, "month") == [("2020-01", 1, False), ("2020-03", 1, False)]


def test_a_month_without_its_year_lists_the_months_of_that_year(service):
    result = run(service, month="2020-03")
    assert ids(result) == ["a2"]
    assert values(result, "month") == [("2020-01", 1, False), ("2020-03", 1, True)]


def test_a_range_within_one_year_shows_its_months_and_ignores_itself_in_date_facets(service):
    result = run(service, **{"from": "2020-01-01", "to": "2020-01-31"})
    assert ids(result) == ["a1"]
    assert values(result, "month") == [("2020-01", 1, False), ("2020-03", 1, False)]
    assert values(result, "day") == [("2020-01-30", 1, False)]
    # the year facet counts as if the date selection were removed (alternatives keep their counts)
    assert [v["count"] for v in result.facets["year"]] == [1, 2, 1, 1]


def test_an_empty_query_is_labelled_newest_first(service):
    assert run(service).to_json()["query"]["sort"] == "newest"
    assert run(service, sort="oldest").to_json()["query"]["sort"] == "oldest"
    assert run(service, q="charlie").to_json()["query"]["sort"] == "relevance"
