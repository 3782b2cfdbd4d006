import pytest

from search import BadRequest
from search import SearchRequest
from search import search


def run(service, **params):
    params = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return search(service, SearchRequest.from_params(params))


def ids(result):
    return [hit["id"] for hit in result.hits]


def counts(result, facet):
    return {v["value"]: v["count"] for v in result.facets[facet]}


def test_word_finds_title_and_body(service):
    assert sorted(ids(run(service, q="charlie"))) == ["a1", "a2"]


def test_stemming_matches_word_forms(service):
    assert ids(run(service, q="ideas")) == ["a3"]
    assert ids(run(service, q="idea")) == ["a3"]


def test_title_weighs_more_than_body(service):
    assert ids(run(service, q="delta")) == ["a3", "a1"]


def test_figure_words_are_searchable(service):
    assert sorted(ids(run(service, q="matvienko"))) == ["a1", "a3"]


def test_phrase(service):
    assert ids(run(service, q='"upstream release"')) == ["a2"]


def test_boolean_operators(service):
    assert ids(run(service, q="charlie NOT echo")) == ["a1"]
    assert sorted(ids(run(service, q="golf OR india"))) == ["a3", "a4"]


def test_empty_query_lists_newest_first(service):
    assert ids(run(service)) == ["a4", "a2", "a1", "a3", "a5"]


def test_sort_oldest_lists_undated_last(service):
    assert ids(run(service, sort="oldest")) == ["a3", "a1", "a2", "a4", "a5"]


def test_facet_counts_exact(service):
    result = run(service)
    assert result.total == 5
    assert result.facets["figures"] == [
        {"value": "Igor Rudeni", "count": 2, "selected": False},
        {"value": "Valentina Matvienko", "count": 2, "selected": False},
        {"value": "Grigory Rapota", "count": 1, "selected": False},
    ]
    assert [(v["value"], v["count"]) for v in result.facets["year"]] == [
        (2019, 1), (2020, 2), (2021, 1), ("undated", 1)]


def test_figures_filter_means_all_of_them(service):
    assert sorted(ids(run(service, figure="Igor Rudeni"))) == ["a1", "a2"]
    result = run(service, figure=["Igor Rudeni", "Valentina Matvienko"])
    assert ids(result) == ["a1"]
    assert counts(result, "figures") == {"Igor Rudeni": 1, "Valentina Matvienko": 1}


def test_years_mean_any_and_keep_alternatives(service):
    result = run(service, year=["2019", "2021"])
    assert ids(result) == ["a4", "a3"]
    assert [(v["value"], v["count"], v["selected"]) for v in result.facets["year"]] == [
        (2019, 1, True), (2020, 2, False), (2021, 1, True), ("undated", 1, False)]


def test_month_facet_for_one_year(service):
    result = run(service, year="2020")
    assert [(v["value"], v["count"]) for v in result.facets["month"]] == [("2020-01", 1), ("2020-03", 1)]
    assert ids(run(service, year="2020", month="2020-03")) == ["a2"]


def test_day_facet_for_one_month(service):
    result = run(service, year="2020", month="2020-01")
    assert [(v["value"], v["count"]) for v in result.facets["day"]] == [("2020-01-30", 1)]
    assert ids(run(service, year="2020", month="2020-01", day="2020-01-30")) == ["a1"]
    assert run(service, year="2020").facets["day"] == []


def test_date_range_inclusive(service):
    assert ids(run(service, **{"from": "2020-01-30", "to": "2020-03-02"})) == ["a2", "a1"]


def test_selected_figure_without_hits_stays_listed(service):
    result = run(service, q="golf", figure="Igor Rudeni")
    assert result.total == 0
    assert result.facets["figures"] == [{"value": "Igor Rudeni", "count": 0, "selected": True}]


def test_snippet_marks_phrase_as_one_unit(service):
    result = run(service, q='"upstream release"')
    assert result.hits[0]["snippet"] == (
        "Charlie echo foxtrot. The new <mark>upstream release</mark> was discussed by Igor Rudeni.")


def test_snippet_is_escaped(service):
    result = run(service, q="kilo")
    assert result.hits[0]["snippet"] == (
        "<mark>Kilo</mark> lima &lt;script&gt;alert(1)&lt;/script&gt; mike &amp; november.")
    assert result.hits[0]["title_html"] == "Undated <mark>kilo</mark>"


def test_hit_shape(service):
    hit = run(service, q="golf").hits[0]
    assert hit["id"] == "a3" and hit["date"] == "2019-07-14" and hit["year"] == 2019
    assert hit["figures"] == ["Valentina Matvienko"] and hit["url"] == "https://example.org/delta"
    assert hit["source"] == "articles" and hit["score"] > 0


def test_year_only_article_has_no_day(service):
    hit = run(service, q="india").hits[0]
    assert (hit["date"], hit["year"]) == (None, 2021)


def test_paging_and_past_the_end(service):
    assert ids(run(service, per_page="2", page="3")) == ["a5"]
    with pytest.raises(BadRequest, match="past the last page"):
        run(service, per_page="2", page="4")


def test_unknown_word_is_matched_fuzzily_and_said_so(service):
    result = run(service, q="charlee")
    assert sorted(ids(result)) == ["a1", "a2"]
    assert result.fuzzy == ({"word": "charlee", "matched": ["charlie"]},)
    assert result.warnings == ("'charlee' is not in the index; also matched near spellings: charlie",)
    assert result.suggestion == "charlie"
    assert "<mark>Charlie</mark>" in result.hits[0]["title_html"] + result.hits[1]["title_html"]


def test_known_word_is_not_widened(service):
    result = run(service, q="charlie")
    assert result.fuzzy == () and result.suggestion is None


def test_long_words_allow_two_edits(service):
    assert sorted(ids(run(service, q="matvyenkko"))) == ["a1", "a3"]
    assert run(service, q="zzzzzz").total == 0 and run(service, q="zzzzzz").suggestion is None


@pytest.mark.parametrize("phrase", ['"upstream release"', '"new upstream release"', '"new ideas"',
                                    '"release followed"', '"delta golf"', '"golf delta"'])
def test_phrase_matching_equals_whoosh_span_matcher(service, phrase):
    from whoosh import query as wq

    from search.matching import _phrase
    from search.matching import _walked
    from search.query import parse_query

    leaf = service.searcher().leaves[0]
    phrases = [q for q in parse_query(phrase).query.leaves() if isinstance(q, wq.Phrase)] or \
        [parse_query(phrase).query]
    size = leaf.size
    anywhere = False
    for q in phrases:
        found = _phrase(q, leaf, size)
        assert found.tolist() == _walked(q, leaf, size).tolist(), q
        anywhere |= bool(found.any())
    assert anywhere == (phrase != '"golf delta"')
