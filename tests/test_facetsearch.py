"""search.facetsearch on a literal in-memory index: finding figures of the results by what was typed."""

from literal import ARTICLES
from literal import ram_searcher
from search.facetsearch import figure_values
from search.facetsearch import name_matches
from search.request import SearchRequest


def values(found):
    return [(v["value"], v["count"]) for v in found["values"]]


def test_any_word_of_a_name_matches_its_beginning():
    assert name_matches("Igor Rudeni", "rud") and name_matches("Igor Rudeni", "igor r")
    assert not name_matches("Igor Rudeni", "udeni")


def test_values_come_from_the_results_with_their_counts():
    searcher = ram_searcher()
    assert values(figure_values(searcher, SearchRequest(), "rud")) == [("Igor Rudeni", 2)]
    assert values(figure_values(searcher, SearchRequest(q="delta"), "")) == [
        ("Valentina Matvienko", 2), ("Igor Rudeni", 1)]
    assert figure_values(searcher, SearchRequest(q="kilo"), "rud")["values"] == []


def test_case_and_accents_are_ignored():
    searcher = ram_searcher(ARTICLES + [{"id": "e", "title": "x", "body": "y", "figures": ["José Álvarez"]}])
    assert values(figure_values(searcher, SearchRequest(), "ALVA")) == [("José Álvarez", 1)]
    assert values(figure_values(searcher, SearchRequest(), "álv")) == [("José Álvarez", 1)]


def test_selected_limit_and_truncation():
    found = figure_values(ram_searcher(), SearchRequest(figures=("Igor Rudeni",)), "", limit=1)
    assert found["values"] == [{"value": "Igor Rudeni", "count": 2, "selected": True}]
    assert found["truncated"] is True and found["total"] == 2


def test_figures_are_found_under_their_canonical_name():
    searcher = ram_searcher(aliases={"Rudeni": "Igor Rudeni"},
                            records=ARTICLES + [{"id": "r", "title": "x", "body": "y", "figures": ["Rudeni"]}])
    assert values(figure_values(searcher, SearchRequest(), "rud")) == [("Igor Rudeni", 3)]
