"""Which documents of a segment match a query, computed as set algebra on posting lists.

Whoosh's matchers walk documents one at a time in Python; to find *all* matching documents (needed for
exact totals and facet counts) it is much faster to read each term's posting list whole and combine the
sets with ``|``, ``&`` and ``-``, which run in C. Phrases and other position-dependent queries are left to
Whoosh's own matcher. Wildcard, prefix and fuzzy words expand to at most :data:`MAX_EXPANSION` terms.
"""

import contextvars
import itertools
import time

from whoosh import query as wq

from search.query import BadQuery

#: How many index terms one wildcard, prefix or fuzzy word may expand to.
MAX_EXPANSION = 2000


def doc_set(q, subsearcher) -> set:
    """The segment-local document numbers matching ``q`` (deleted documents excluded)."""
    reader = subsearcher.reader()
    if isinstance(q, type(wq.NullQuery)):
        return set()
    if isinstance(q, wq.Every):
        return set(reader.all_doc_ids())
    if isinstance(q, wq.Term):
        check_deadline()
        return _postings(reader, q.fieldname, q.text)
    if isinstance(q, wq.MultiTerm) and not isinstance(q, wq.TermRange):
        return _expanded(q, reader)
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        return set().union(*(doc_set(c, subsearcher) for c in q.children()))
    if isinstance(q, wq.And):
        return _conjunction(q.children(), subsearcher)
    if isinstance(q, wq.AndNot):
        return doc_set(q.a, subsearcher) - doc_set(q.b, subsearcher)
    if isinstance(q, (wq.AndMaybe, wq.Require)):
        return _conjunction([q.a], subsearcher) if isinstance(q, wq.AndMaybe) else \
            _conjunction([q.a, q.b], subsearcher)
    if isinstance(q, wq.Not):
        return set(reader.all_doc_ids()) - doc_set(q.query, subsearcher)
    return _walked(q, subsearcher)


class TimeUp(Exception):
    """The query ran past its time limit"""


#: When the running query must stop (a ``time.monotonic()`` value), or None for no limit.
DEADLINE = contextvars.ContextVar("deadline", default=None)


def check_deadline() -> None:
    """Raise :class:`TimeUp` when the running query is past its deadline."""
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeUp(TimeUp.__doc__)


def _walked(q, subsearcher) -> set:
    """Documents of a position-dependent query (phrases), walked with Whoosh's matcher, time-limited."""
    found = set()
    for i, docnum in enumerate(q.docs(subsearcher)):
        found.add(docnum)
        if not i % 512:
            check_deadline()
    return found


def _conjunction(children, subsearcher) -> set:
    children = list(children)
    positive = [c for c in children if not isinstance(c, wq.Not)]
    negative = [c.query for c in children if isinstance(c, wq.Not)]
    if positive:
        sets = sorted((doc_set(c, subsearcher) for c in positive), key=len)
        found = sets[0].intersection(*sets[1:])
    else:
        found = set(subsearcher.reader().all_doc_ids())
    for child in negative:
        if not found:
            break
        found -= doc_set(child, subsearcher)
    return found


def _postings(reader, fieldname, text) -> set:
    try:
        if not reader.doc_frequency(fieldname, text):
            return set()
        return set(reader.postings(fieldname, text).all_ids())
    except (KeyError, ValueError):
        return set()


def expansion(q, reader) -> list:
    """The index terms a wildcard, prefix or fuzzy query stands for.

    :raise BadQuery: when it would stand for more than :data:`MAX_EXPANSION` terms.
    """
    terms = list(itertools.islice(q._btexts(reader), MAX_EXPANSION + 1))
    if len(terms) > MAX_EXPANSION:
        raise BadQuery(f"'{q.text}' matches more than {MAX_EXPANSION:,} different words; "
                       "make it more specific")
    return terms


def _expanded(q, reader) -> set:
    found = set()
    for term in expansion(q, reader):
        check_deadline()
        found |= _postings(reader, q.fieldname, term)
    return found
