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
    """Documents holding the phrase's words next to each other, in order.

    Each word's occurrences are ``(document, position)`` arrays; an occurrence of the first word starts
    the phrase when, for every following word ``k``, ``(document, position + k)`` is an occurrence of
    that word. Only documents holding every word are looked at.
    """
    schema = leaf.reader.schema
    words = list(q.words)
    if len(words) < 2 or q.slop != 1 or q.fieldname not in schema \
            or not schema[q.fieldname].format.supports("positions"):
        return _walked(q, leaf, size)
    candidates = np.ones(size, dtype=bool)
    for word in words:
        candidates &= leaf.mask(q.fieldname, word)
    found = np.zeros(size, dtype=bool)
    if not candidates.any():
        return found
    check_deadline()
    width = np.int64(1 << 32)
    starts = None
    for k, word in enumerate(words):
        docs, positions = leaf.positions(q.fieldname, word)
        keep = candidates[docs]
        keys = docs[keep].astype(np.int64) * width + positions[keep] - k
        starts = keys if starts is None else starts[np.isin(starts, keys, assume_unique=False)]
        if not len(starts):
            return found
    found[(starts // width).astype(np.int64)] = True
    return found


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
