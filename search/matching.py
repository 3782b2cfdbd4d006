"""Which documents of a segment match a query, computed as array algebra on posting lists.

Whoosh's matchers walk documents one at a time in Python; to find *all* matching documents (needed for
exact totals and facet counts) it is much faster to take each term's posting list whole (decoded once,
see :mod:`search.postings`) as a boolean array over the segment's documents and combine the arrays
with ``|``, ``&`` and ``~``, which numpy runs in C. Phrases compare the words' position arrays. Other
position-dependent queries are left to Whoosh's own matcher. Wildcard, prefix and fuzzy words expand to
at most :data:`MAX_EXPANSION` terms.
"""

import contextvars
import itertools
import time

import numpy as np
from whoosh import query as wq

from search.query import BadQuery

#: How many index terms one wildcard, prefix or fuzzy word may expand to.
MAX_EXPANSION = 2000


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


class TimeUp(Exception):
    """The query ran past its time limit"""


#: When the running query must stop (a ``time.monotonic()`` value), or None for no limit.
DEADLINE = contextvars.ContextVar("deadline", default=None)


def check_deadline() -> None:
    """Raise :class:`TimeUp` when the running query is past its deadline."""
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeUp(TimeUp.__doc__)


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
        docs, positions = leaf.positions(field, word)
        keep = candidates[docs]
        keys = docs[keep].astype(np.int64) * width + positions[keep] - k
        starts = keys if starts is None else starts[np.isin(starts, keys, assume_unique=False)]
        if not len(starts):
            return empty
    docs, counts = np.unique(starts // width, return_counts=True)
    return PhraseCounts(docs.astype(np.int64), counts.astype(np.float64))


def expansion(q, reader) -> list:
    """The index terms a wildcard, prefix or fuzzy query stands for.

    :raise BadQuery: when it would stand for more than :data:`MAX_EXPANSION` terms.
    """
    terms = [text for _, text in itertools.islice(q.expanded_terms(reader), MAX_EXPANSION + 1)]
    if len(terms) > MAX_EXPANSION:
        raise BadQuery(f"'{q.text}' matches more than {MAX_EXPANSION:,} different words; "
                       "make it more specific")
    return terms


def _expanded(q, leaf) -> np.ndarray:
    found = np.zeros(leaf.size, dtype=bool)
    for term in expansion(q, leaf.reader):
        check_deadline()
        found |= leaf.mask(q.fieldname, term)
    return found
