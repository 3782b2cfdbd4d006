"""Posting lists read a block at a time, and remembered for the length of one search.

Whoosh's matchers hand out one document number per Python call. Matching all documents (for exact
totals and facets) and then scoring them would decode each posting list twice that way. Here a term's
list is decoded block by block (``W3LeafMatcher``'s own block arrays) into a list, once per search:
:func:`request_memo` scopes the memory of what was read to one search.
"""

import contextlib
import contextvars

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

_MEMO = contextvars.ContextVar("postings_memo", default=None)


@contextlib.contextmanager
def request_memo():
    """Remember posting lists read inside the block (one search)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def doc_ids(reader, field: str, text) -> set:
    """The live documents of a segment that contain the term."""
    ids, _ = _read(reader, field, text, weights=False)
    found = set(ids)
    deleted = getattr(reader, "deleted_docs_set", None)
    if deleted and found:
        found -= set(deleted)
    return found


def weighted(reader, field: str, text):
    """``(docnum, weight)`` for every posting of the term (deleted documents included)."""
    ids, weights = _read(reader, field, text, weights=True)
    return zip(ids, weights)


def _read(reader, field, text, weights):
    memo = _MEMO.get()
    key = (id(reader), field, text)
    if memo is not None:
        found = memo.get(key)
        if found is not None and (found[1] is not None or not weights):
            return found
    found = _decode(reader, field, text, weights)
    if memo is not None:
        memo[key] = found
    return found


def _decode(reader, field, text, weights):
    try:
        if not reader.doc_frequency(field, text):
            return [], [] if weights else None
        matcher = reader.postings(field, text)
    except (KeyError, ValueError):
        return [], [] if weights else None
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # callers leave deleted documents out themselves
    if not isinstance(matcher, W3LeafMatcher):
        pairs = list(matcher.items_as("weight"))
        return [d for d, _ in pairs], [w for _, w in pairs]
    ids, found_weights = [], [] if weights else None
    while matcher.is_active():
        matcher._read_ids()
        ids.extend(matcher._ids)
        if weights:
            matcher._read_weights()
            found_weights.extend(matcher._weights)
        matcher._next_block()
    return ids, found_weights
