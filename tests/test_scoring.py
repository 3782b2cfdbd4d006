"""search.scoring on a literal in-memory index: which terms score, and how hits are ordered."""

import numpy as np

from literal import ram_searcher
from search.engine import match
from search.query import parse_query
from search.request import SearchRequest
from search.scoring import rank
from search.scoring import scoring_terms
from search.scoring import top

DOCS = [
    {"id": "once", "title": "Harbour news", "body": "The grain ship left the harbour."},
    {"id": "twice", "title": "Grain prices", "body": "Grain exports rose; grain prices fell."},
    {"id": "title", "title": "Grain", "body": "Nothing else here."},
    {"id": "none", "title": "Weather", "body": "Rain again in the harbour."},
]


def ranked(searcher, q, stop=10, **options):
    matched = match(searcher, SearchRequest(q=q))
    docs = rank(searcher, matched.query, matched.segments, stop, **options)
    return [(searcher.stored_fields(d)["id"], score) for d, score in docs]


def test_top_breaks_ties_by_the_lower_id_best_first():
    ids = np.array([5, 3, 9, 1])
    values = np.array([1.0, 2.0, 2.0, 0.5])
    assert top(ids, values, 3) == [(3, 2.0), (9, 2.0), (5, 1.0)]
    assert top(ids, values, 10) == [(3, 2.0), (9, 2.0), (5, 1.0), (1, 0.5)]


def test_terms_under_a_not_do_not_score():
    searcher = ram_searcher(DOCS)
    query = parse_query("grain NOT harbour").query
    assert {text for _, text in scoring_terms(query, searcher.reader())} == {"grain"}


def test_wildcards_score_through_their_expansion():
    searcher = ram_searcher(DOCS)
    terms = set(scoring_terms(parse_query("harb*").query, searcher.reader()))
    assert ("body", b"harbour") in terms or ("body", "harbour") in terms


def test_only_matches_are_ranked_and_more_occurrences_rank_higher():
    found = ranked(ram_searcher(DOCS), "grain")
    # three occurrences; one in a short title (title words weigh double); one in a longer body
    assert [doc for doc, _ in found] == ["twice", "title", "once"]
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
    assert [doc for doc, _ in found] == ["twice", "title"]  # "once" is a lesser copy of "twice"
