"""Relevance ranking (BM25F) over the documents already known to match.

Whoosh's collector scores a query by walking its matcher tree one document at a time. The matching set
is already known here (see :mod:`search.matching`), so ranking only needs each query term's postings
with their weights, read a block at a time, and the BM25 formula with Whoosh's own statistics (idf,
average field length; title weights carry the field boost, as Whoosh stores them).
"""

import heapq

from whoosh import query as wq
from search.matching import expansion
from search.postings import weighted

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


def rank(searcher, query, segments, stop: int, group_of=None):
    """The ``stop`` best ``(global docnum, score)`` among the segments' final sets, best first.

    :param segments: objects with ``offset``, ``facets`` (for field lengths) and ``final`` (a set).
    :param group_of: ``{global docnum: cluster key}``; when given, only the best of each cluster counts.
    """
    leaves = {offset: reader for reader, offset in searcher.reader().leaf_readers()}
    terms = set(scoring_terms(query, searcher.reader()))
    scores = {}
    for field, text in terms:
        idf = searcher.idf(field, text)
        avg = searcher.avg_field_length(field) or 1.0
        for seg in segments:
            _add_scores(scores, leaves[seg.offset], seg, field, text, idf, avg)
    if group_of:
        best = {}
        for docnum, score in scores.items():
            key = group_of.get(docnum, docnum)
            if key not in best or (score, -docnum) > (best[key][1], -best[key][0]):
                best[key] = (docnum, score)
        scores = dict(best.values())
    best = heapq.nlargest(stop, scores.items(), key=lambda item: (item[1], -item[0]))
    if len(best) < stop:
        best += _unscored(segments, scores, stop - len(best), group_of or {})
    return best


def _add_scores(scores, reader, seg, field, text, idf, avg):
    final = seg.final
    if not final or not reader.doc_frequency(field, text):
        return
    lengths = seg.facets.field_lengths(reader, field)
    norm = K1 * (1 - B)
    slope = K1 * B / avg
    offset = seg.offset
    for docnum, tf in weighted(reader, field, text):
        if docnum in final:
            key = offset + docnum
            scores[key] = scores.get(key, 0.0) + idf * tf * (K1 + 1) / (tf + norm + slope * lengths[docnum])


def _unscored(segments, scores, n, group_of):
    """Matching documents no scoring term reached (e.g. ``NOT x`` alone), in index order, score 0."""
    extra, groups = [], {group_of[d] for d in scores if d in group_of}
    for seg in segments:
        for docnum in sorted(seg.final):
            key = group_of.get(seg.offset + docnum)
            if seg.offset + docnum in scores or key in groups:
                continue
            if key is not None:
                groups.add(key)
            extra.append((seg.offset + docnum, 0.0))
            if len(extra) == n:
                return extra
    return extra
