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

from search.postings import doc_ids
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
    if isinstance(q, wq.Phrase):
        return _phrase(q, subsearcher)
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
    return doc_ids(reader, fieldname, text)


def _phrase(q, subsearcher) -> set:
    """Documents holding the phrase's words next to each other, in order.

    Candidates are the documents holding every word (set intersection); only those are checked, by
    reading the words' positions a candidate at a time.
    """
    reader = subsearcher.reader()
    words = list(q.words)
    if len(words) < 2 or q.slop != 1 or q.fieldname not in reader.schema:
        return _walked(q, subsearcher)
    sets = sorted((doc_ids(reader, q.fieldname, w) for w in words), key=len)
    candidates = sets[0].intersection(*sets[1:])
    if not candidates:
        return set()
    matchers = [reader.postings(q.fieldname, w) for w in words]
    found = set()
    for i, docnum in enumerate(sorted(candidates)):
        if not i % 256:
            check_deadline()
        if _adjacent(matchers, docnum):
            found.add(docnum)
    return found


def _adjacent(matchers, docnum) -> bool:
    """True when the matchers' words stand at consecutive positions in ``docnum``."""
    positions = []
    for matcher in matchers:
        matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            return False
        positions.append(set(matcher.value_as("positions")))
    return any(all(p + k in positions[k] for k in range(1, len(positions))) for p in positions[0])


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
