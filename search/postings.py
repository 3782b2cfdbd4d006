"""Posting lists decoded once per segment into arrays, and kept for the next searches.

Whoosh's matchers hand out one document number per Python call, and every block they read is a pickled
tuple holding the positions of each posting too. Here a term's list is decoded block by block, once,
into numpy arrays of document numbers and weights; positions are decoded only when a phrase needs them.
Segments never change once written (deletions only hide documents), so what was decoded stays true for
the segment's life. :data:`CACHE` keeps recently used lists, by segment, in a bounded amount of memory
shared by all threads of a process: a word searched again costs array operations, not decoding.
"""

import collections
import itertools
import pickle
import threading
import zlib

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

#: Memory the decoded posting lists of one process may take, in MB (``POSTINGS_CACHE_MB`` in config).
CACHE_MB = 96

EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


class Postings:
    """One term's postings in one segment: sorted document numbers and their weights.

    Deleted documents are included: callers leave them out with the segment's live-documents mask.
    """

    __slots__ = ("ids", "weights", "positional", "_positions")

    def __init__(self, ids, weights, positional=False):
        self.ids = ids
        self.weights = weights
        #: Whether the field records positions (phrases can be checked).
        self.positional = positional
        self._positions = None

    @property
    def nbytes(self) -> int:
        found = self.ids.nbytes + self.weights.nbytes
        if self._positions is not None:
            found += self._positions[0].nbytes + self._positions[1].nbytes
        return found

    def positions(self, reader, field: str, text):
        """``(documents, positions)``: two aligned arrays with one entry per occurrence of the term.

        Decoded on first use with ``reader``: the caller's own reader of this segment (readers are not
        shared between threads; this object is).
        """
        if self._positions is None:
            if self.positional:
                self._positions = _decode_positions(reader, field, text)
            else:
                self._positions = (EMPTY_IDS, EMPTY_IDS)
        return self._positions


class PostingCache:
    """Decoded posting lists by ``(segment id, field, term)``, least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()
        #: Lists decoded and lists found already decoded (tests and the benchmark read these).
        self.decoded = 0
        self.hits = 0

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return found

    def put(self, key, postings: Postings, size: int) -> None:
        with self._lock:
            self.decoded += 1
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (postings, size)
            self.bytes += size
            while self.bytes > self.max_bytes and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def grow(self, key, postings: Postings, size: int) -> None:
        """Account for memory a cached list took on later (its decoded positions)."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry[0] is postings:
                self.bytes += size - entry[1]
                self._items[key] = (postings, size)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0


CACHE = PostingCache(CACHE_MB * 1024 * 1024)


def configure(cache_mb: float) -> None:
    """Set how much memory decoded posting lists may take in this process."""
    CACHE.max_bytes = int(cache_mb * 1024 * 1024)


def postings(reader, field: str, text) -> Postings:
    """The term's postings in a single-segment reader (empty when the term is not there)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = (segment.segment_id(), field, text) if segment is not None else None
    if key is not None:
        found = CACHE.get(key)
        if found is not None:
            return found[0]
    found = _decode(reader, field, text)
    if key is not None:
        CACHE.put(key, found, found.nbytes + 200)
    return found


def term_positions(reader, field: str, text):
    """``(documents, positions)`` of every occurrence of the term in the segment (see :class:`Postings`)."""
    found = postings(reader, field, text)
    first = found._positions is None
    positions = found.positions(reader, field, text)
    segment = reader.segment() if first and hasattr(reader, "segment") else None
    if segment is not None:
        CACHE.grow((segment.segment_id(), field, text), found, found.nbytes + 200)
    return positions


def doc_mask(reader, field: str, text, size: int) -> np.ndarray:
    """A boolean array over the segment's documents: True where the term occurs (deleted ones too)."""
    mask = np.zeros(size, dtype=bool)
    mask[postings(reader, field, text).ids] = True
    return mask


def _matcher(reader, field, text):
    try:
        if not reader.doc_frequency(field, text):
            return None
        matcher = reader.postings(field, text)
    except (KeyError, ValueError):
        return None
    if isinstance(matcher, FilterMatcher):
        # Deleted documents are left out by the caller. The filter may have moved its child past some
        # (whole blocks are read from there on), and never past a live one.
        matcher = matcher.child
    return matcher


def _decode(reader, field, text) -> Postings:
    matcher = _matcher(reader, field, text)
    if matcher is None:
        return Postings(EMPTY_IDS, EMPTY_WEIGHTS)
    if not isinstance(matcher, W3LeafMatcher):
        pairs = list(matcher.items_as("weight"))
        return Postings(np.array([d for d, _ in pairs], dtype=np.int32),
                        np.array([w for _, w in pairs], dtype=np.float64))
    ids, weights = [], []
    for block_ids, block_weights, _ in _blocks(matcher):
        ids.append(np.asarray(block_ids, dtype=np.int32))
        weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:  # every posting was of a deleted document (the filter skipped them all)
        return Postings(EMPTY_IDS, EMPTY_WEIGHTS)
    positional = reader.schema[field].format.supports("positions") if field in reader.schema else False
    return Postings(np.concatenate(ids), np.concatenate(weights).astype(np.float64), positional)


def _blocks(matcher: W3LeafMatcher):
    """``(ids, weights, values)`` of each block of a Whoosh 3 posting list, read straight from disk."""
    postfile = matcher._postfile
    while matcher.is_active():
        data = postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            data = zlib.decompress(data)
        ids, weights, values = pickle.loads(data)[:3]
        if not matcher._byteids:
            ids = itertools.accumulate(ids)
        count = matcher._blocklength
        if weights is None:
            weights = itertools.repeat(1.0, count)
        elif isinstance(weights, float):
            weights = itertools.repeat(weights, count)
        yield list(ids), list(weights), values
        matcher._next_block()


def _decode_positions(reader, field, text):
    matcher = _matcher(reader, field, text)
    if matcher is None or not isinstance(matcher, W3LeafMatcher):
        return EMPTY_IDS, EMPTY_IDS
    loads, docs, positions = pickle.loads, [], []
    for block_ids, _, values in _blocks(matcher):
        for docnum, value in zip(block_ids, values):
            # Whoosh's Positions format: a 4-byte count, then the pickled list of position deltas.
            if not value.endswith(b"."):
                value += b"."
            found = list(itertools.accumulate(loads(value[4:])))
            positions.extend(found)
            docs.extend(itertools.repeat(docnum, len(found)))
    return np.array(docs, dtype=np.int32), np.array(positions, dtype=np.int32)
