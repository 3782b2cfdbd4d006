"""search.scoring on literal in-memory indexes: which units score and how hits are ordered; against
Whoosh's own BM25F, the same documents always, with ``scoring.WHOOSH`` the same scores, and every
difference of the default ranking a named, documented choice."""

import dataclasses

import numpy as np
import pytest
from whoosh import query as wq

from literal import ram_searcher
from search import scoring
from search.engine import match
from search.matching import doc_set
from search.query import AnyField
from search.query import parse_query
from search.request import SearchRequest
from search.scoring import rank
from search.scoring import top
from search.scoring import units

DOCS = [
    {"id": "once", "title": "Harbour news", "body": "The grain ship left the harbour."},
    {"id": "twice", "title": "Grain prices", "body": "Grain exports rose; grain prices fell."},
    {"id": "title", "title": "Grain", "body": "Nothing else here."},
    {"id": "none", "title": "Weather", "body": "Rain again in the harbour."},
]

#: Articles whose words recur in several fields and forms, to compare scores with Whoosh's.
ARTICLES = [
    {"id": "d1", "title": "Chart of charms", "body": "chart chart charter charm the market rally"},
    {"id": "d2", "title": "Market report", "body": "charter flights and charm offensive in the market, market rally rally"},
    {"id": "d3", "title": "Charter", "body": "nothing here about charts but a long body of words words words market"},
    {"id": "d4", "title": "Rally", "body": "the rally of the market: a market rally, then a charter"},
]

#: Query kinds, as Whoosh query objects (multi-expansion prefix and fuzzy words, so Whoosh's boost is applied).
CASES = {
    "term": wq.Term("body", "market"),
    "title term": wq.Term("title", "charter"),
    "boosted term": wq.Term("body", "charm", boost=2.0),
    "several terms": wq.Or([wq.Term("body", "market"), wq.Term("body", "ralli"), wq.Term("title", "ralli")]),
    "all of several terms": wq.And([wq.Term("body", "market"), wq.Term("body", "charter")]),
    "a word in every field": AnyField([wq.Term("title", "market"), wq.Term("body", "market")]),
    "prefix": wq.Prefix("body", "char"),
    "fuzzy with boost": wq.FuzzyTerm("body", "chart", boost=2.0, maxdist=1),
    "phrase": wq.Phrase("body", ["market", "ralli"]),
    "phrase and word": wq.And([wq.Phrase("body", ["market", "ralli"]), wq.Term("body", "charter")]),
}


@pytest.fixture(scope="module")
def searcher():
    return ram_searcher(ARTICLES)


@dataclasses.dataclass
class _Seg:
    offset: int
    leaf: object
    final: np.ndarray


def ours(searcher, q, weighting) -> dict:
    segments = [_Seg(leaf.offset, leaf, leaf.live & doc_set(q, leaf)) for leaf in searcher.leaves]
    ids, values = scoring.score_all(searcher, segments, scoring.unit_list(searcher, q, weighting), weighting)
    return {searcher.stored_fields(int(d))["id"]: v for d, v in zip(ids, values)}


def whoosh(searcher, q) -> dict:
    return {hit["id"]: hit.score for hit in searcher.whoosh.search(q, limit=None, scored=True)}


def ranked(searcher, q, stop=10, **options):
    matched = match(searcher, SearchRequest(q=q))
    docs = rank(searcher, matched.query, matched.segments, stop, **options)
    return [(searcher.stored_fields(d)["id"], score) for d, score in docs]


def words(query, searcher) -> set:
    return {text for unit in units(query, searcher.reader()) for _, words in unit.parts for text in words}


def test_top_breaks_ties_by_the_lower_id_best_first():
    ids = np.array([5, 3, 9, 1])
    values = np.array([1.0, 2.0, 2.0, 0.5])
    assert top(ids, values, 3) == [(3, 2.0), (9, 2.0), (5, 1.0)]
    assert top(ids, values, 10) == [(3, 2.0), (9, 2.0), (5, 1.0), (1, 0.5)]


def test_terms_under_a_not_do_not_score():
    assert words(parse_query("grain NOT harbour").query, ram_searcher(DOCS)) == {"grain"}


def test_wildcards_score_through_their_expansion():
    found = words(parse_query("harb*").query, ram_searcher(DOCS))
    assert "harbour" in found or b"harbour" in found


def test_only_matches_are_ranked_and_more_occurrences_rank_higher():
    found = ranked(ram_searcher(DOCS), "grain")
    # a one-word title (title words weigh 4); three occurrences, one in a title; one in a longer body
    assert [doc for doc, _ in found] == ["title", "twice", "once"]
    assert all(a > b > 0 for (_, a), (_, b) in zip(found, found[1:]))


def test_a_match_no_scoring_term_reached_scores_zero_and_comes_last():
    found = ranked(ram_searcher(DOCS), "NOT grain")
    assert found == [("none", 0.0)]


def test_stop_cuts_the_ranking():
    assert len(ranked(ram_searcher(DOCS), "grain", stop=2)) == 2


def test_only_the_best_of_a_cluster_is_ranked():
    searcher = ram_searcher(DOCS)
    docs = {searcher.stored_fields(n)["id"]: n for n in range(len(DOCS))}
    group_of = {docs["once"]: "twice", docs["twice"]: "twice"}
    found = ranked(searcher, "grain", group_of=group_of, extra=1)
    assert [doc for doc, _ in found] == ["title", "twice"]  # "once" is a lesser copy of "twice"


@pytest.mark.parametrize("kind", CASES)
def test_same_documents_as_whoosh(searcher, kind):
    assert set(ours(searcher, CASES[kind], scoring.DEFAULT)) == set(whoosh(searcher, CASES[kind]))


@pytest.mark.parametrize("kind", CASES)
def test_whoosh_weighting_gives_whoosh_scores(searcher, kind):
    expected = whoosh(searcher, CASES[kind])
    got = ours(searcher, CASES[kind], scoring.WHOOSH)
    assert got == pytest.approx(expected, rel=1e-6)


def test_every_difference_from_whoosh_is_documented():
    defaults, whoosh_ = dataclasses.asdict(scoring.DEFAULT), dataclasses.asdict(scoring.WHOOSH)
    differences = {name for name in defaults if defaults[name] != whoosh_[name]}
    doc = scoring.__doc__
    assert differences, "the default ranking is Whoosh's"
    for name in differences - {"fields", "feedback_docs", "feedback_terms", "feedback_min_words"}:
        assert f"``{name}``" in doc, name


@pytest.mark.parametrize("change", [
    {"idf": "bm25"}, {"combine_fields": True, "fields": scoring.DEFAULT.fields}, {"phrase_as_term": True},
    {"patterns_scored": True},
])
def test_each_choice_changes_some_score(searcher, change):
    chosen = dataclasses.replace(scoring.WHOOSH, **change)
    assert any(ours(searcher, q, chosen) != pytest.approx(ours(searcher, q, scoring.WHOOSH), rel=1e-6)
               for q in CASES.values())


def test_a_phrase_scores_by_its_own_frequency(searcher):
    """d1 and d2 hold "market rally" once each; d2 also has "market" and "rally" alone, which Whoosh
    counts for the phrase. Here the shorter d1 wins."""
    phrase, theirs = ours(searcher, CASES["phrase"], scoring.DEFAULT), whoosh(searcher, CASES["phrase"])
    assert theirs["d2"] > theirs["d1"] and phrase["d1"] > phrase["d2"]


def test_idf_of_a_word_in_most_documents_is_near_zero():
    assert scoring.DEFAULT.idf_of(99, 100) < 0.02 < scoring.WHOOSH.idf_of(99, 100) - 0.9


def test_a_word_in_title_and_body_counts_more_than_in_one_but_less_than_twice(searcher):
    scores = ours(searcher, CASES["a word in every field"], scoring.DEFAULT)
    body_only = ours(searcher, wq.Term("body", "market"), scoring.DEFAULT)
    assert body_only["d2"] < scores["d2"] < 2 * body_only["d2"]


def test_typed_words_weigh_more_than_near_spellings(searcher):
    widened = AnyField([wq.Or([wq.Term("body", "charm"), wq.Term("body", "chart", boost=0.5)])])
    scores = ours(searcher, widened, scoring.DEFAULT)
    charm = ours(searcher, wq.Term("body", "charm"), scoring.DEFAULT)
    chart = ours(searcher, wq.Term("body", "chart"), scoring.DEFAULT)
    assert scores["d3"] == pytest.approx(0.5 * chart["d3"])  # d3 has only the near spelling
    assert scores["d2"] == pytest.approx(charm["d2"])
