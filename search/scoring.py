"""Relevance ranking (BM25F) over the documents already known to match.

Whoosh's collector scores a query by walking its matcher tree one document at a time. The matching set
is already known here (see :mod:`search.matching`), so ranking only needs each query term's postings
with their weights (decoded once, :mod:`search.postings`) and the BM25 formula with Whoosh's own
statistics (idf, average field length; title weights carry the field boost, as Whoosh stores them),
applied to all matching documents at once as numpy array arithmetic.
"""

import itertools

import numpy as np
from whoosh import query as wq

from search.duplicates import best_per_group
from search.matching import expansion

K1 = 1.2
B = 0.75


def scoring_terms(query, reader):
    """``(field, text)`` for every term that adds to a document's score (nothing under a NOT)."""
    if isinstance(query, (wq.Not, type(wq.NullQuery))):
        return
    if isinstance(query, wq.AndNot):
        yield from scoring_terms(query.a, reader)
    elif isinstance(query, wq.Term):
        yield query.fieldname, query.text
    elif isinstance(query, wq.Phrase):
        for word in query.words:
            yield query.fieldname, word
    elif isinstance(query, wq.MultiTerm) and not isinstance(query, wq.TermRange):
        for text in expansion(query, reader):
            yield query.fieldname, text
    elif not query.is_leaf():
        for child in query.children():
            yield from scoring_terms(child, reader)


def rank(searcher, query, segments, stop: int, group_of=None, extra: int = 0):
    """The ``stop`` best ``(global docnum, score)`` among the segments' final sets, best first.

    Scores are computed for every matching document at once (numpy, one pass per query term); ties go
    to the lower document number. Matching documents no scoring term reached (e.g. ``NOT x`` alone)
    score 0 and come last, in index order.

    :param segments: objects with ``offset``, ``leaf`` (a :class:`~search.searcher.Leaf`) and ``final``
        (a boolean array).
    :param group_of: ``{global docnum: cluster key}``; when given, only the best of each cluster counts.
    :param extra: how many of the matches may be dropped as lesser members of a cluster (ranking
        ``stop + extra`` before grouping keeps the result exact).
    """
    terms = set(scoring_terms(query, searcher.reader()))
    stats = [(field, text, searcher.idf(field, text), searcher.avg_field_length(field) or 1.0)
             for field, text in terms]
    ids, values = [], []
    for seg in segments:
        docs = np.flatnonzero(seg.final)
        if not len(docs):
            continue
        scores = np.zeros(seg.leaf.size, dtype=np.float64)
        for field, text, idf, avg in stats:
            _add_scores(scores, seg, field, text, idf, avg)
        ids.append(docs + seg.offset)
        values.append(scores[docs])
    if not ids:
        return []
    ids, values = np.concatenate(ids), np.concatenate(values)
    best = top(ids, values, stop + extra if group_of else stop)
    if group_of:
        best = list(itertools.islice(best_per_group(best, group_of), stop))
    return best


def top(ids: np.ndarray, values: np.ndarray, n: int) -> list:
    """The ``n`` pairs ``(id, value)`` with the highest values, ties to the lower id, best first."""
    if len(values) > n:
        cut = np.partition(values, len(values) - n)[len(values) - n]
        keep = values >= cut
        ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values))[:n]
    return list(zip(ids[order].tolist(), values[order].tolist()))


def _add_scores(scores, seg, field, text, idf, avg):
    found = seg.leaf.postings(field, text)
    if not len(found.ids):
        return
    inside = seg.final[found.ids]
    docs, tf = found.ids[inside], found.weights[inside]
    lengths = seg.leaf.field_lengths(field)[docs]
    scores[docs] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B) + K1 * B / avg * lengths)
