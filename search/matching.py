"""Which documents of a segment match a query, computed as array algebra on posting lists.

Whoosh's matchers walk documents one at a time in Python; to find *all* matching documents (needed for
exact totals and facet counts) it is much faster to take each term's posting list whole (decoded once,
see :mod:`search.postings`) as a boolean array over the segment's documents and combine the arrays
with ``|``, ``&`` and ``~``, which numpy runs in C. Phrases compare the words' position arrays. Other
position-dependent queries are left to Whoosh's own matcher. Wildcard, prefix and fuzzy words expand to
at most :data:`MAX_EXPANSION` terms.
"""

import collections
import contextvars
import itertools
import threading
import time

import numpy as np
from whoosh import query as wq

from search.postings import doc_mask
from search.postings import term_positions
from search.query import BadQuery

#: How many index terms one wildcard, prefix or fuzzy word may expand to.
MAX_EXPANSION = 2000


def doc_set(q, subsearcher) -> np.ndarray:
    """A boolean array over the segment's documents: True where ``q`` matches.

    Deleted documents are not left out here: the caller ANDs the result with the live documents.
    """
    reader = subsearcher.reader()
    size = reader.doc_count_all()
    if isinstance(q, type(wq.NullQuery)):
        return np.zeros(size, dtype=bool)
    if isinstance(q, wq.Every):
        return np.ones(size, dtype=bool)
    if isinstance(q, wq.Term):
        check_deadline()
        return doc_mask(reader, q.fieldname, q.text, size)
    if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.TermRange):
        return _expanded(q, reader, size)
    if isinstance(q, AtLeast):
        return match_counts(q.subqueries, subsearcher, size) >= q.minmatch
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        found = np.zeros(size, dtype=bool)
        for child in q.children():
            found |= doc_set(child, subsearcher)
        return found
    if isinstance(q, wq.And):
        return _conjunction(q.children(), subsearcher, size)
    if isinstance(q, wq.AndNot):
        return doc_set(q.a, subsearcher) & ~doc_set(q.b, subsearcher)
    if isinstance(q, wq.AndMaybe):
        return doc_set(q.a, subsearcher)
    if isinstance(q, wq.Require):
        return doc_set(q.a, subsearcher) & doc_set(q.b, subsearcher)
    if isinstance(q, wq.Not):
        return ~doc_set(q.query, subsearcher)
    if isinstance(q, wq.Phrase):
        return _phrase(q, subsearcher, size)
    return _walked(q, subsearcher, size)


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


def match_counts(queries, subsearcher, size) -> np.ndarray:
    """How many of ``queries`` each document of the segment matches (an array of small counts)."""
    counts = np.zeros(size, dtype=np.uint8 if len(queries) < 256 else np.uint16)
    for q in queries:
        check_deadline()
        counts += doc_set(q, subsearcher)
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


def _walked(q, subsearcher, size) -> np.ndarray:
    """Documents of a query only Whoosh's matcher knows how to walk (e.g. sloppy phrases), time-limited."""
    found = np.zeros(size, dtype=bool)
    for i, docnum in enumerate(q.docs(subsearcher)):
        found[docnum] = True
        if not i % 512:
            check_deadline()
    return found


def _conjunction(children, subsearcher, size) -> np.ndarray:
    found = np.ones(size, dtype=bool)
    for child in children:
        if isinstance(child, wq.Not):
            found &= ~doc_set(child.query, subsearcher)
        else:
            found &= doc_set(child, subsearcher)
    return found


def _phrase(q, subsearcher, size) -> np.ndarray:
    """Documents holding the phrase's words next to each other, in order (see :func:`phrase_counts`)."""
    reader = subsearcher.reader()
    words = list(q.words)
    if len(words) < 2 or q.slop != 1 or not has_positions(reader, q.fieldname):
        return _walked(q, subsearcher, size)
    found = np.zeros(size, dtype=bool)
    found[phrase_counts(reader, q.fieldname, words, np.ones(size, dtype=bool))[0]] = True
    return found


def has_positions(reader, field: str) -> bool:
    return field in reader.schema and reader.schema[field].format.supports("positions")


def phrase_counts(reader, field: str, words, allowed: np.ndarray):
    """``(documents, occurrences)`` of a phrase among the ``allowed`` documents of a segment.

    A segment's answer for a phrase is kept (:data:`PHRASES`): matching and ranking both ask for it.
    """
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = (segment.segment_id(), field, tuple(words)) if segment is not None else None
    found = PHRASES.get(key) if key is not None else None
    if found is None:
        found = _phrase_counts(reader, field, words, np.ones(len(allowed), dtype=bool))
        if key is not None:
            PHRASES.put(key, found)
    docs, counts = found
    keep = allowed[docs]
    return docs[keep], counts[keep]


class _Kept:
    """A small thread-safe map that forgets its least recently used entries."""

    def __init__(self, size: int):
        self.size = size
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


#: Phrase answers of recent searches, by (segment, field, words).
PHRASES = _Kept(512)


def _phrase_counts(reader, field, words, allowed):
    """Each word's occurrences are ``(document, position)`` arrays; an occurrence of the first word
    starts the phrase when, for every following word ``k``, ``(document, position + k)`` is an
    occurrence of that word. Only documents holding every word are looked at."""
    empty = np.zeros(0, dtype=np.int64), np.zeros(0)
    if not has_positions(reader, field):
        return empty
    candidates = allowed.copy()
    for word in words:
        candidates &= doc_mask(reader, field, word, len(allowed))
    if not candidates.any():
        return empty
    check_deadline()
    width = np.int64(1 << 32)
    starts = None
    for k, word in enumerate(words):
        docs, positions = term_positions(reader, field, word)
        keep = candidates[docs]
        keys = docs[keep].astype(np.int64) * width + positions[keep] - k
        starts = keys if starts is None else starts[np.isin(starts, keys, assume_unique=False)]
        if not len(starts):
            return empty
    docs, counts = np.unique(starts // width, return_counts=True)
    return docs.astype(np.int64), counts.astype(np.float64)


def expansion(q, reader) -> list:
    """The index terms a wildcard, prefix or fuzzy query stands for.

    :raise BadQuery: when it would stand for more than :data:`MAX_EXPANSION` terms.
    """
    terms = list(itertools.islice(q._btexts(reader), MAX_EXPANSION + 1))
    if len(terms) > MAX_EXPANSION:
        raise BadQuery(f"'{q.text}' matches more than {MAX_EXPANSION:,} different words; "
                       "make it more specific")
    return terms


def _expanded(q, reader, size) -> np.ndarray:
    found = np.zeros(size, dtype=bool)
    for term in expansion(q, reader):
        check_deadline()
        found |= doc_mask(reader, q.fieldname, term, size)
    return found
