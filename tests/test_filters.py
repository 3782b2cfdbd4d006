"""Filter values the index does not hold are matched or reported, never silently 0 hits (issue 15, item 9)."""

from literal import ram_searcher
from search import SearchRequest
from search.engine import run_search
from search.filters import resolve
from search.request import unknown_params
from test_search import run

BAKERS = [
    {"id": "b1", "title": "Treasury", "date": "1987-03-01", "body": "James Baker spoke.", "figures": ["James Baker"]},
    {"id": "b2", "title": "Senate", "date": "1987-03-02", "body": "Howard Baker spoke.", "figures": ["Howard Baker"]},
    {"id": "b3", "title": "Dollar", "date": "1987-03-03", "body": "Baker said so.", "figures": ["Baker"]},
    {"id": "b4", "title": "Café", "date": "1987-03-04", "body": "José Núñez spoke.", "figures": ["José Núñez"]},
]


def ids(result):
    return sorted(hit["id"] for hit in result.hits)


def test_figure_in_another_case_is_matched_and_said(service):
    result = run(service, figure="igor rudeni")
    assert ids(result) == ["a1", "a2"]
    assert result.to_json()["query"]["figure"] == ["Igor Rudeni"]
    assert "figure 'igor rudeni' taken as 'Igor Rudeni' (case and accents ignored)" in result.warnings
    assert [v["selected"] for v in result.facets["figures"] if v["value"] == "Igor Rudeni"] == [True]


def test_a_surname_only_one_figure_has_is_taken_as_that_figure(service):
    result = run(service, figure="Rudeni")
    assert ids(result) == ["a1", "a2"]
    assert "figure 'Rudeni' taken as 'Igor Rudeni' (the only figure with that surname)" in result.warnings


def test_unknown_figure_and_source_are_reported(service):
    result = run(service, figure="Nobody Atall", source="nope")
    assert result.total == 0
    assert "no article has the figure 'Nobody Atall'" in result.warnings
    assert "no article has the source 'nope'" in result.warnings


def test_a_source_in_another_case_is_matched(service):
    result = run(service, source="ARTICLES")
    assert result.total == 5
    assert result.to_json()["query"]["source"] == ["articles"]


def test_exact_values_give_no_warning(service):
    assert run(service, figure="Igor Rudeni", source="articles").warnings == ()


def test_accents_are_ignored():
    searcher = ram_searcher(BAKERS)
    resolved = resolve(searcher, SearchRequest(figures=("jose nunez",)))
    assert resolved.request.figures == ("José Núñez",)
    assert resolved.warnings == ("figure 'jose nunez' taken as 'José Núñez' (case and accents ignored)",)


def test_a_surname_several_figures_share_is_not_silently_one_of_them():
    searcher = ram_searcher(BAKERS)
    resolved = resolve(searcher, SearchRequest(figures=("baker",)))
    assert resolved.request.figures == ("Baker",)
    assert resolved.warnings == ("figure 'baker' taken as 'Baker' (case and accents ignored); "
                                 "other figures named baker: Howard Baker, James Baker",)
    aliased = ram_searcher(BAKERS, aliases={"Baker": "James Baker"})
    resolved = resolve(aliased, SearchRequest(figures=("Baker",)))
    assert resolved.request.figures == ("James Baker",)
    assert resolved.warnings == ("figure 'Baker' taken as 'James Baker' (the index counts them as one "
                                 "figure); other figures named Baker: Howard Baker",)


def test_an_ambiguous_surname_no_figure_bears_alone_matches_nothing_and_lists_the_choices():
    searcher = ram_searcher([r for r in BAKERS if r["id"] != "b3"])
    req = SearchRequest(figures=("Baker",))
    resolved = resolve(searcher, req)
    assert resolved.warnings == ("figure 'Baker' is ambiguous: it could be Howard Baker, James Baker; choose one",)
    assert run_search(searcher, resolved.request).total == 0


def test_unknown_parameters_are_named():
    assert unknown_params(["q", "figure", "colour", "q"]) == [
        "unknown parameter 'colour' ignored (parameters: q, figure, year, month, day, source, language, from, to, "
        "sort, page, per_page, collapse, cluster, syntax)"]
    assert unknown_params(["prefix"], also=["prefix"]) == []


def test_every_parameter_a_search_reads_is_listed():
    from search.request import PARAMS

    assert set(PARAMS) == set(SearchRequest().echo())
