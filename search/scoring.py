"""Relevance ranking over the documents already known to match: BM25F, and what it adds.

The matching set is known (:mod:`search.matching`), so ranking takes each scoring unit's postings
(decoded once, :mod:`search.postings`) and scores every matching document at once with numpy.

A **unit** is one thing the user asked for: a typed word looked for in several fields, a phrase, one
expansion of a prefix or fuzzy word, one near spelling of an unknown word. :class:`Weighting` says
how units are scored; every way it differs from Whoosh's own ``BM25F`` is one of its fields, and
:data:`WHOOSH` sets them all back (``tests/test_scoring.py`` checks that it then gives Whoosh's own
scores, to the last digit):

* ``combine_fields``: a word's occurrences in title, body and names are weighted (``fields``) and
  added *before* BM25's saturation, with one idf (Robertson, Zaragoza & Taylor, "Simple BM25 extension
  to multiple weighted fields", 2004), instead of adding up one BM25 per field: a word in both the
  title and the body counts more than in one, but not twice.
* ``idf``: ``ln(1 + (N - df + 0.5) / (df + 0.5))`` (Lucene, Tantivy), which goes to 0 for words in
  most documents; Whoosh's ``ln(N / (df + 1)) + 1`` never drops below 1, so "what" and "are" weigh
  nearly as much as any word. A word's df is its largest over the fields it is looked for in.
* ``phrase_as_term``: a phrase is scored by how often the phrase itself occurs (idf: the sum of its
  words'), where Whoosh adds up its words' scores wherever they occur.
* ``patterns_scored``: each word a prefix or wildcard stands for is scored like a typed word (times
  the query's boost); Whoosh gives every match of a pattern the same score.
* ``b``: length normalisation 0.65 where BM25 usually takes 0.75: long articles are penalised a
  little less (chosen with bench/relevance_tuning.py on the relevance collections, see README).
* ``feedback``: for long queries, words frequent in the best first-pass hits re-rank the matches
  (pseudo-relevance feedback, :mod:`search.feedback`); nothing in Whoosh.

Boosts are applied as Whoosh applies them: ``word^2`` doubles a word's score, and near spellings of
an unknown word (see :mod:`search.spelling`) weigh half a typed word. The query's plan
(:mod:`search.strategy`) sets two more: a word typed n times weighs ``n ** REPEAT_EXPONENT``, and
question words weigh ``FILLER_WEIGHT`` (nothing), or are left out once a query is relaxed. Only the
*order* of matches is decided here: which documents match, and so totals and facets, never depends
on it.
"""

import dataclasses
import functools
import itertools
import math

import numpy as np
from whoosh import query as wq

from index.languages import base_field
from search.duplicates import best_per_group
from search.languages import avg_field_length
from search.matching import check_deadline
from search.matching import expansion_in
from search.matching import phrase_counts
from search.query import AnyField

#: Term statistics kept per commit of the index (about 200 bytes each).
STATS_KEPT = 200_000


@dataclasses.dataclass(frozen=True)
class Weighting:
    """How matches are scored (see the module's docstring for each choice)."""

    k1: float = 1.2
    b: float = 0.75
    fields: tuple = (("title", 2.0), ("body", 1.0), ("figure_words", 1.0))
    idf: str = "bm25"
    combine_fields: bool = True
    phrase_as_term: bool = True
    patterns_scored: bool = True
    feedback: float = 0.0
    feedback_docs: int = 10
    feedback_terms: int = 30
    feedback_power: float = 1.0
    #: Fewest content words a query needs for feedback (keyword searches are left alone).
    feedback_min_words: int = 4

    def field_weight(self, field: str) -> float:
        """The weight of ``field``; a language's ``title_de`` weighs what ``title`` does."""
        return self._weights.get(base_field(field), 1.0)

    @functools.cached_property
    def _weights(self) -> dict:
        return dict(self.fields)


    def idf_of(self, df: int, n: int) -> float:
        if self.idf == "whoosh":
            return math.log(n / (df + 1)) + 1.0
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


#: Whoosh's own BM25F (its defaults; title weights as the schema's field boost stores them).
WHOOSH = Weighting(fields=(), idf="whoosh", combine_fields=False, phrase_as_term=False,
                   patterns_scored=False)
#: What newsearch ranks with: the setting of bench/relevance_tuning.py's grid that is best on all three
#: relevance collections (chosen on the worst of them; see README "Measuring").
DEFAULT = Weighting(b=0.65, fields=(("title", 4.0), ("body", 1.0), ("figure_words", 1.0)),
                    feedback=2.0, feedback_docs=20, feedback_power=1.0)


@dataclasses.dataclass(frozen=True)
class Unit:
    """One scored thing: ``parts`` are ``(field, words)`` (one word for a term), ``boost`` its weight."""

    parts: tuple
    boost: float = 1.0
    #: Every match scores 1, whatever its frequencies (Whoosh's patterns; see ``patterns_scored``).
    constant: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.parts[0][1]) > 1


def units(query, reader, weighting: Weighting = DEFAULT, boost: float = 1.0) -> list:
    """The scoring units of ``query`` (nothing under a NOT); ``reader`` is a Searcher or a Whoosh reader
    (see :func:`search.matching.expansion_in`)."""
    if isinstance(query, (wq.Not, type(wq.NullQuery))):
        return []
    boost *= query.boost if hasattr(query, "boost") else 1.0
    if isinstance(query, wq.AndNot):
        return units(query.a, reader, weighting, boost)
    if isinstance(query, AnyField) and weighting.combine_fields:
        return _any_field(query, reader, weighting, boost)
    if isinstance(query, wq.Term):
        return [Unit(((query.fieldname, (query.text,)),), boost)]
    if isinstance(query, wq.Phrase):
        if weighting.phrase_as_term:
            return [Unit(((query.fieldname, tuple(query.words)),), boost)]
        return [Unit(((query.fieldname, (w,)),), boost) for w in query.words]
    if isinstance(query, wq.MultiTerm) and not isinstance(query, wq.TermRange):
        return _expansions(query, reader, weighting, boost)
    if query.is_leaf():
        return []
    return [u for child in query.children() for u in units(child, reader, weighting, boost)]


def _any_field(query, reader, weighting, boost) -> list:
    """A word or phrase in every default field: one unit of its typed forms, the rest on their own."""
    typed, rest = [], []
    for child in query.children():
        if isinstance(child, wq.Or) and child.subqueries and type(child.subqueries[0]) is wq.Term:
            typed_child, *near = child.subqueries  # a word widened to near spellings
            child = typed_child
            rest.extend(near)
        if type(child) is wq.Term and child.boost == 1.0:
            typed.append((child.fieldname, (child.text,)))
        elif type(child) is wq.Phrase and child.boost == 1.0:
            typed.append((child.fieldname, tuple(child.words)))
        else:
            rest.append(child)
    found = [Unit(tuple(typed), boost)] if typed else []
    if typed and len({len(words) for _, words in typed}) > 1:  # a term in one field, a phrase in another
        # (or a phrase of other lengths: a stop word of one language is a word of another)
        found = [Unit((part,), boost) for part in typed]
    return found + [u for child in rest for u in units(child, reader, weighting, boost)]


def _expansions(query, reader, weighting, boost) -> list:
    if not weighting.patterns_scored and isinstance(query, wq.PatternQuery):
        terms = tuple((query.fieldname, (text,)) for text in expansion_in(query, reader))
        return [Unit(terms, 1.0, constant=True)] if terms else []
    return [Unit(((query.fieldname, (text,)),), boost) for text in expansion_in(query, reader)]


def rank(searcher, query, segments, stop: int, group_of=None, extra: int = 0,
         weighting: Weighting = None, content_words: int = 0, explain: list | None = None):
    """The ``stop`` best ``(global docnum, score)`` among the segments' final sets, best first.

    Scores are computed for every matching document at once (numpy, one pass per unit); ties go
    to the lower document number. Matching documents no unit reached (e.g. ``NOT x`` alone) score 0
    and come last, in index order.

    :param segments: objects with ``offset``, ``leaf`` (a :class:`~search.searcher.Leaf`) and ``final``
        (a boolean array).
    :param group_of: ``{global docnum: cluster key}``; when given, only the best of each cluster counts.
    :param extra: how many of the matches may be dropped as lesser members of a cluster (ranking
        ``stop + extra`` before grouping keeps the result exact).
    :param content_words: how many content words the query has (feedback needs enough of them).
    :param explain: a list to which what ranking added is appended, as text (feedback words).
    """
    weighting = weighting or DEFAULT
    found = unit_list(searcher, query, weighting)
    ids, values = score_all(searcher, segments, found, weighting)
    if weighting.feedback and content_words >= weighting.feedback_min_words and len(ids):
        from search.feedback import feedback_units

        more = feedback_units(searcher, ids, values, weighting)
        if more and explain is not None:
            explain.append("FEEDBACK (" + " ".join(f"{u.parts[-1][1][0]}^{u.boost:.2g}" for u in more) + ")")
        if more:  # scores add up: only the new units are scored, in the same document order
            values = values + score_all(searcher, segments, more, weighting)[1]
    if not len(ids):
        return []
    if not group_of:
        return top(ids, values, stop)
    return grouped_top(ids, values, stop, extra, group_of)


def grouped_top(ids, values, stop: int, extra: int, group_of) -> list:
    """The ``stop`` best pairs, one per cluster: the same as grouping the ``stop + extra`` best, but
    only as many of them are sorted as it takes (a common word's matches may all have company)."""
    most = min(len(ids), stop + extra)
    size = min(most, max(8 * stop, 64))
    while True:
        best = list(itertools.islice(best_per_group(top(ids, values, size), group_of), stop))
        if len(best) == stop or size >= most:
            return best
        size = min(most, size * 8)


def unit_list(searcher, query, weighting) -> list:
    """The query's units, the same one counted once (boosts added)."""
    found = {}
    for unit in units(query, searcher, weighting):
        key = (unit.parts, unit.constant)
        found[key] = found.get(key, 0.0) + unit.boost
    return [Unit(parts, boost, constant) for (parts, constant), boost in found.items() if boost]


def score_all(searcher, segments, found, weighting):
    """Every final document of every segment with its score: two aligned arrays."""
    n = searcher.doc_count() or 1
    stats = [(unit, _idf(searcher, unit, weighting, n)) for unit in found]
    avg = {f: avg_field_length(searcher, f) or 1.0 for u in found for f, _ in u.parts}
    ids, values = [], []
    for seg in segments:
        docs = np.flatnonzero(seg.final)
        if not len(docs):
            continue
        scores = np.zeros(seg.leaf.size, dtype=np.float64)
        for unit, idf in stats:
            check_deadline()
            _add_unit(scores, seg, docs, unit, idf, avg, weighting)
        ids.append(docs + seg.offset)
        values.append(scores[docs])
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(values)


def _idf(searcher, unit, weighting, n) -> float:
    """A word's idf from its largest document frequency over the unit's fields; a phrase's is the sum
    of its words' (as Lucene's)."""
    width = len(unit.parts[0][1])
    return sum(weighting.idf_of(max(term_stats(searcher, f, w[i])[0] for f, w in unit.parts), n)
               for i in range(width))


class TermStats(dict):
    """``{(field, text): (documents, occurrences)}`` of the terms asked about, for one commit."""

    @property
    def nbytes(self) -> int:
        return 200 * len(self)


def term_stats(searcher, field: str, text: str) -> tuple:
    """``(documents holding the term, its occurrences)`` in the index, kept for the commit (its terms
    never change) in the search cache: looking a term up costs a search of every segment's term
    table."""
    kept = searcher.shared("term_stats", TermStats)
    found = kept.get((field, text))
    if found is None:
        found = searcher.term_stats(field, text)
        if len(kept) < STATS_KEPT:
            kept[(field, text)] = found
            searcher.grown("term_stats", kept)
    return found


def _add_unit(scores, seg, final, unit, idf, avg, weighting):
    """Add one unit's BM25(F) score to the matching documents' ``scores``."""
    k1 = weighting.k1
    if unit.constant:  # a document matching several expansions still scores once
        matched = np.zeros(seg.leaf.size, dtype=bool)
        for field, words in unit.parts:
            matched[_frequencies(seg, final, field, words)[0]] = True
        scores[matched] += unit.boost
        return
    combined = []
    for field, words in unit.parts:
        docs, tf = _frequencies(seg, final, field, words)
        if not len(docs):
            continue
        lengths = seg.leaf.field_lengths(field)[docs]
        b = weighting.b
        norm = (1 - b) + b * lengths / avg[field]
        if weighting.combine_fields:
            weight = weighting.field_weight(field) / _stored_boost(seg, field)
            combined.append((docs, weight * tf / norm))
        else:
            scores[docs] += unit.boost * idf * tf * (k1 + 1) / (tf + k1 * norm)
    if combined:
        docs, tf = _summed(combined)
        scores[docs] += unit.boost * idf * tf * (k1 + 1) / (tf + k1)


def _summed(parts):
    """``(documents, each one's sum of the parts' values)``, added in the parts' order."""
    if len(parts) == 1:
        return parts[0]
    docs, inverse = np.unique(np.concatenate([d for d, _ in parts]), return_inverse=True)
    return docs, np.bincount(inverse, weights=np.concatenate([v for _, v in parts]))


def _frequencies(seg, final, field, words):
    """``(documents, frequency)`` of a word or phrase among the segment's ``final`` documents (their
    sorted numbers). When they are far fewer than the word's postings (a relaxed long query, a common
    word), each is looked up in the postings instead of the postings being filtered."""
    if len(words) > 1:
        return phrase_counts(seg.leaf, field, words, seg.final)
    found = seg.leaf.postings(field, words[0])
    if len(final) * 16 < len(found.ids):
        at = np.searchsorted(found.ids, final)
        at[at == len(found.ids)] = 0
        hit = found.ids[at] == final
        return final[hit], found.weights[at[hit]]
    inside = seg.final[found.ids]
    return found.ids[inside], found.weights[inside]


def _stored_boost(seg, field) -> float:
    """The schema's field boost, which Whoosh multiplies into every stored weight of the field."""
    schema = seg.leaf.reader.schema
    return schema[field].format.field_boost if field in schema else 1.0


def top(ids: np.ndarray, values: np.ndarray, n: int) -> list:
    """The ``n`` pairs ``(id, value)`` with the highest values, ties to the lower id, best first."""
    if len(values) > n:
        cut = np.partition(values, len(values) - n)[len(values) - n]
        keep = values >= cut
        ids, values = ids[keep], values[keep]
    order = np.lexsort((ids, -values))[:n]
    return list(zip(ids[order].tolist(), values[order].tolist()))
