"""Posting lists decoded into arrays: what a search reads of a term, once per segment.

Whoosh's matchers hand out one document number per Python call, and every block they read is a pickled
tuple holding the positions of each posting too. Here a term's list is decoded block by block, once,
into numpy arrays of document numbers and weights (the block reader is in :mod:`index.whoosh_compat`);
positions are decoded only when a phrase needs them. Segments never change once written (deletions
only hide documents), so a decoded list stays true for the segment's life: the search service keeps
it in its cache (see :meth:`search.searcher.Leaf.postings`).
"""

import itertools

import numpy as np
from whoosh.matching.wrappers import FilterMatcher

from index.whoosh_compat import is_block_matcher
from index.whoosh_compat import posting_blocks

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


def decode(reader, field: str, text) -> Postings:
    """The term's postings in a single-segment reader (empty when the term is not there)."""
    matcher = _matcher(reader, field, text)
    if matcher is None:
        return Postings(EMPTY_IDS, EMPTY_WEIGHTS)
    if not is_block_matcher(matcher):
        pairs = list(matcher.items_as("weight"))
        return Postings(np.array([d for d, _ in pairs], dtype=np.int32),
                        np.array([w for _, w in pairs], dtype=np.float64))
    ids, weights = [], []
    for block_ids, block_weights, _ in posting_blocks(matcher):
        ids.append(np.asarray(block_ids, dtype=np.int32))
        weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:  # every posting was of a deleted document (the filter skipped them all)
        return Postings(EMPTY_IDS, EMPTY_WEIGHTS)
    positional = reader.schema[field].format.supports("positions") if field in reader.schema else False
    return Postings(np.concatenate(ids), np.concatenate(weights).astype(np.float64), positional)


def doc_mask(found: Postings, size: int) -> np.ndarray:
    """A boolean array over a segment's ``size`` documents: True where the postings are (deleted too)."""
    mask = np.zeros(size, dtype=bool)
    mask[found.ids] = True
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


def _decode_positions(reader, field, text):
    matcher = _matcher(reader, field, text)
    if matcher is None or not is_block_matcher(matcher):
        return EMPTY_IDS, EMPTY_IDS
    decode = reader.schema[field].format.decode_positions
    docs, positions = [], []
    for block_ids, _, values in posting_blocks(matcher):
        for docnum, value in zip(block_ids, values):
            found = decode(value)
            positions.extend(found)
            docs.extend(itertools.repeat(docnum, len(found)))
    return np.array(docs, dtype=np.int32), np.array(positions, dtype=np.int32)
