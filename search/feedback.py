"""Pseudo-relevance feedback: a long query's best first hits tell which other words matter.

A question says what it is about in the reader's words; the articles that answer it say it in
theirs. After a first ranking, the words most typical of the best :attr:`Weighting.feedback_docs`
hits (frequent in them, rare in the index: length-normalised frequency times idf, each hit weighted by
its score) are added as extra scoring units, at most :attr:`Weighting.feedback_terms`, each weighted
``feedback × its share of the best word's weight``. They re-order the matches; they never add or
remove one (totals and facets are decided before ranking). This is the classic scheme of Rocchio
and of relevance models (RM3), reduced to what can be explained: ``interpreted_as`` lists the words.
"""

import collections

from search.matching import check_deadline
from search.query import analyze

#: Characters of an article read for feedback words (the beginning says what it is about).
READ_CHARS = 5_000
#: Fewest index documents a feedback word must be in (a word of one article says nothing general).
MIN_DF = 2
MIN_SEEN = 1
INCLUDE_ASKED = False


def feedback_units(searcher, ids, values, found, weighting) -> list:
    """Extra scoring units from the best hits of a first ranking (see the module docstring)."""
    from search.scoring import Unit
    from search.scoring import top

    best = top(ids, values, weighting.feedback_docs)
    if not best or best[0][1] <= 0:
        return []
    asked = {w for unit in found for _, words in unit.parts for w in words or ()} if not INCLUDE_ASKED else set()
    weights, seen = collections.Counter(), collections.Counter()
    for docnum, score in best:
        check_deadline()
        fields = searcher.stored_fields(docnum)
        text = ((fields.get("title") or "") + "\n" + (fields.get("body") or ""))[:READ_CHARS]
        tokens = analyze("body", text)
        if not tokens:
            continue
        share = score / best[0][1] / len(tokens)
        for token, count in collections.Counter(tokens).items():
            weights[token] += count * share
            seen[token] += 1
    n = searcher.doc_count() or 1
    ranked = []
    for token, weight in weights.items():
        if token in asked or len(token) < 3 or seen[token] < MIN_SEEN:
            continue
        df = searcher.doc_frequency("body", token)
        if df >= MIN_DF:
            ranked.append((weight * weighting.idf_of(df, n), token))
    ranked.sort(reverse=True)
    chosen = ranked[: weighting.feedback_terms]
    if not chosen:
        return []
    strongest = chosen[0][0]
    return [Unit((("title", (token,)), ("body", (token,))), weighting.feedback * weight / strongest)
            for weight, token in chosen]
