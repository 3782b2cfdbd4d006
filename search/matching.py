"""Which documents of a segment match a query, computed as array algebra on posting lists.

Whoosh's matchers walk documents one at a time in Python; to find *all* matching documents (needed for
exact totals and facet counts) it is much faster to take each term's posting list whole (decoded once,
see :mod:`search.postings`) as a boolean array over the segment's documents and combine the arrays
with ``|``, ``&`` and ``~``, which numpy runs in C. Phrases compare the words' position arrays. Other
position-dependent queries are left to Whoosh's own matcher. Wildcard, prefix and fuzzy words expand to
at most :data:`MAX_EXPANSION` terms, found by a walk over the index's words that checks the request's
deadline (:mod:`search.deadline`) as it goes, and kept per segment.
"""

import fnmatch
import re

import numpy as np
from whoosh import query as wq
from whoosh.support.levenshtein import levenshtein

from search.deadline import MAX_EXPANSION
from search.deadline import admit
from search.deadline import check_deadline
from search.query import BadQuery

#: Index words looked at between two checks of the deadline while a pattern is expanded.
CHECK_EVERY = 256


def doc_set(q, leaf) -> np.ndarray:
    """A boolean array over the documents of a segment (a :class:`~search.searcher.Leaf`): True where
    ``q`` matches.

    Deleted documents are not left out here: the caller ANDs the result with the live documents.
    """
    size = leaf.size
    if isinstance(q, type(wq.NullQuery)):
        return np.zeros(size, dtype=bool)
    if isinstance(q, wq.Every):
        return np.ones(size, dtype=bool)
    if isinstance(q, wq.Term):
        check_deadline()
        return leaf.mask(q.fieldname, q.text)
    if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.TermRange):
        return _expanded(q, leaf)
    if isinstance(q, AtLeast):
        return match_counts(q.subqueries, leaf) >= q.minmatch
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        found = np.zeros(size, dtype=bool)
        for child in q.children():
            found |= doc_set(child, leaf)
        return found
    if isinstance(q, wq.And):
        return _conjunction(q.children(), leaf, size)
    if isinstance(q, wq.AndNot):
        return doc_set(q.a, leaf) & ~doc_set(q.b, leaf)
    if isinstance(q, wq.AndMaybe):
        return doc_set(q.a, leaf)
    if isinstance(q, wq.Require):
        return doc_set(q.a, leaf) & doc_set(q.b, leaf)
    if isinstance(q, wq.Not):
        return ~doc_set(q.query, leaf)
    if isinstance(q, wq.Phrase):
        return _phrase(q, leaf, size)
    return _walked(q, leaf, size)


class AtLeast(wq.Or):
    """Documents matching at least ``minmatch`` of the subqueries (a minimum-should-match)."""

    def __init__(self, subqueries, boost=1.0, minmatch=1):
        super().__init__(subqueries, boost=boost, minmatch=minmatch)

    def __str__(self):
        return f"AT LEAST {self.minmatch} OF " + super().__str__().rsplit(">", 1)[0]

    def __eq__(self, other):
        return super().__eq__(other) and self.minmatch == other.minmatch

    def __hash__(self):
        return super().__hash__() ^ self.minmatch

    def apply(self, fn):
        return AtLeast([fn(q) for q in self.subqueries], boost=self.boost, minmatch=self.minmatch)


def match_counts(queries, leaf) -> np.ndarray:
    """How many of ``queries`` each document of the segment matches (an array of small counts)."""
    counts = np.zeros(leaf.size, dtype=np.uint8 if len(queries) < 256 else np.uint16)
    for q in queries:
        check_deadline()
        counts += doc_set(q, leaf)
    return counts


def _walked(q, leaf, size) -> np.ndarray:
    """Documents of a query only Whoosh's matcher knows how to walk (e.g. sloppy phrases), time-limited."""
    found = np.zeros(size, dtype=bool)
    for i, docnum in enumerate(q.docs(leaf.searcher)):
        found[docnum] = True
        if not i % 512:
            check_deadline()
    return found


def _conjunction(children, leaf, size) -> np.ndarray:
    found = np.ones(size, dtype=bool)
    for child in children:
        if isinstance(child, wq.Not):
            found &= ~doc_set(child.query, leaf)
        else:
            found &= doc_set(child, leaf)
    return found


def _phrase(q, leaf, size) -> np.ndarray:
    """Documents holding the phrase's words next to each other, in order (see :func:`phrase_counts`)."""
    words = list(q.words)
    if len(words) < 2 or q.slop != 1 or not has_positions(leaf.reader.schema, q.fieldname):
        return _walked(q, leaf, size)
    found = np.zeros(size, dtype=bool)
    found[phrase_counts(leaf, q.fieldname, words, np.ones(size, dtype=bool))[0]] = True
    return found


def has_positions(schema, field: str) -> bool:
    return field in schema and schema[field].format.supports("positions")


class PhraseCounts:
    """A phrase's occurrences in one segment: ``docs`` holding it and how many times (``counts``)."""

    __slots__ = ("docs", "counts")

    def __init__(self, docs: np.ndarray, counts: np.ndarray):
        self.docs, self.counts = docs, counts

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.counts.nbytes


def phrase_counts(leaf, field: str, words, allowed: np.ndarray):
    """``(documents, occurrences)`` of a phrase among the ``allowed`` documents of a segment.

    A segment's answer for a phrase is kept in the search cache: matching and ranking both ask for it,
    and it stays true for the segment's life (deleted documents are left out by ``allowed``).
    """
    found = leaf.kept("phrases", lambda: _phrase_counts(leaf, field, words), field, tuple(words))
    keep = allowed[found.docs]
    return found.docs[keep], found.counts[keep]


def _phrase_counts(leaf, field, words) -> PhraseCounts:
    """Each word's occurrences are ``(document, position)`` arrays; an occurrence of the first word
    starts the phrase when, for every following word ``k``, ``(document, position + k)`` is an
    occurrence of that word. Only documents holding every word are looked at."""
    empty = PhraseCounts(np.zeros(0, dtype=np.int64), np.zeros(0))
    if not has_positions(leaf.reader.schema, field):
        return empty
    candidates = np.ones(leaf.size, dtype=bool)
    for word in words:
        candidates &= leaf.mask(field, word)
    if not candidates.any():
        return empty
    check_deadline()
    width = np.int64(1 << 32)
    starts = None
    for k, word in enumerate(words):
        check_deadline()
        docs, positions = leaf.positions(field, word, among=candidates)
        keep = candidates[docs]
        keys = docs[keep].astype(np.int64) * width + positions[keep] - k
        starts = keys if starts is None else starts[np.isin(starts, keys, assume_unique=False)]
        if not len(starts):
            return empty
    docs, counts = np.unique(starts // width, return_counts=True)
    return PhraseCounts(docs.astype(np.int64), counts.astype(np.float64))


def expansion(q, reader, leaf=None) -> list:
    """The index terms a wildcard, prefix or fuzzy query stands for in ``reader``, within the running
    query's expansion budget (:mod:`search.deadline`).

    The walk over the index's words checks the deadline as it goes. With ``leaf`` (the segment whose
    reader it is), the full expansion is kept in the search cache for the segment's life, so the
    matching, the ranking and the snippets of a query, and later queries, walk the words once.

    :raise BadQuery: when it would stand for more than :data:`MAX_EXPANSION` terms.
    """
    key = (type(q).__name__, q.fieldname, q.text, getattr(q, "maxdist", 0), getattr(q, "prefixlength", 0))
    if leaf is not None:
        terms = leaf.kept("expansion", lambda: _expand(q, reader), *key)
    else:
        terms = _expand(q, reader)
    if len(terms) > MAX_EXPANSION:
        raise _too_many(q)
    return admit(q.fieldname, list(terms), _typed(q))


def expansion_in(q, where) -> list:
    """The index terms a wildcard, prefix or fuzzy query stands for in ``where``: a
    :class:`~search.searcher.Searcher` (every segment's cached expansion, in order) or a Whoosh reader.

    :raise BadQuery: when it would stand for more than :data:`MAX_EXPANSION` terms.
    """
    leaves = getattr(where, "leaves", None)
    if leaves is None:
        return expansion(q, where)
    found = {}
    for leaf in leaves:
        found.update(dict.fromkeys(expansion(q, leaf.reader, leaf)))
    if len(found) > MAX_EXPANSION:
        raise _too_many(q)
    return sorted(found)


def _too_many(q) -> BadQuery:
    return BadQuery(f"'{q.text}' matches more than {MAX_EXPANSION:,} different words; make it more specific")


def _typed(q) -> str:
    if isinstance(q, wq.FuzzyTerm):
        return f"{q.text}~{q.maxdist}"
    return f"{q.text}*" if isinstance(q, wq.Prefix) else q.text


def _expand(q, reader) -> tuple:
    """At most ``MAX_EXPANSION + 1`` terms of ``q`` in ``reader`` (one more says "too many")."""
    field = q.fieldname
    if field not in reader.schema:
        return ()
    if isinstance(q, wq.FuzzyTerm):
        accept, prefix = _near(q.text, q.maxdist), q.text[:q.prefixlength]
    elif isinstance(q, wq.Prefix):
        accept, prefix = None, q.text
    else:
        pattern = re.compile(fnmatch.translate(q.text))
        accept, prefix = pattern.match, re.split(r"[*?\[]", q.text, maxsplit=1)[0]
    candidates = reader.expand_prefix(field, prefix) if prefix else reader.lexicon(field)
    found = []
    from_bytes = reader.schema[field].from_bytes
    for i, btext in enumerate(candidates):
        if not i % CHECK_EVERY:
            check_deadline()
        word = from_bytes(btext)
        if accept is None or accept(word):
            found.append(word)
            if len(found) > MAX_EXPANSION:
                break
    return tuple(found)


def _near(text: str, maxdist: int):
    """A test for words at most ``maxdist`` edits (Levenshtein, as Whoosh's fuzzy automaton) from ``text``."""
    def accept(word):
        return abs(len(word) - len(text)) <= maxdist and levenshtein(word, text, maxdist) <= maxdist
    return accept


def _expanded(q, leaf) -> np.ndarray:
    found = np.zeros(leaf.size, dtype=bool)
    for term in expansion(q, leaf.reader, leaf):
        check_deadline()
        found |= leaf.mask(q.fieldname, term)
    return found
