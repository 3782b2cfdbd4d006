"""Posting lists decoded into arrays: what a search reads of a term, once per segment.

Whoosh's matchers hand out one document number per Python call, and every block they read is a pickled
tuple holding the positions of each posting too. Here a term's list is taken once as numpy arrays of
document numbers and weights: a slice of the segment's posting arrays file where it has one
(:mod:`index.posting_arrays`), else decoded from Whoosh's blocks; positions are decoded from the
blocks only when a phrase needs them. Segments never change once written (deletions
only hide documents), so a decoded list stays true for the segment's life: the search service keeps
it in its cache (see :meth:`search.searcher.Leaf.postings`).
"""

import itertools

import numpy as np

from index.posting_arrays import EMPTY_IDS
from index.posting_arrays import decode_postings
from index.posting_arrays import term_matcher
from index.whoosh_compat.reading import is_block_matcher
from index.whoosh_compat.reading import position_gaps
from index.whoosh_compat.reading import posting_blocks


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

    def positions(self, reader, field: str, text, among=None):
        """``(documents, positions)``: two aligned arrays with one entry per occurrence of the term.

        Decoded on first use with ``reader``: the caller's own reader of this segment (readers are not
        shared between threads; this object is). With ``among`` (a boolean array over the segment's
        documents), only the occurrences in those documents, decoded for the caller alone unless the
        whole list is kept already: a phrase reads its words only where all of them are.
        """
        if self._positions is None and among is not None:
            return _decode_positions(reader, field, text, among) if self.positional else (EMPTY_IDS, EMPTY_IDS)
        if self._positions is None:
            if self.positional:
                self._positions = _decode_positions(reader, field, text)
            else:
                self._positions = (EMPTY_IDS, EMPTY_IDS)
        return self._positions


def decode(reader, field: str, text, arrays=None) -> Postings:
    """The term's postings in a single-segment reader (empty when the term is not there).

    :param arrays: the segment's :class:`~index.posting_arrays.SegmentArrays`, when it has them: a
        slice of them instead of Whoosh's blocks (the same arrays).
    """
    found = arrays.postings(field, text) if arrays is not None else None
    ids, weights = found if found is not None else decode_postings(reader, field, text)
    positional = reader.schema[field].format.supports("positions") if field in reader.schema else False
    return Postings(ids, weights, positional and len(ids) > 0)


def doc_mask(found: Postings, size: int) -> np.ndarray:
    """A boolean array over a segment's ``size`` documents: True where the postings are (deleted too)."""
    mask = np.zeros(size, dtype=bool)
    mask[found.ids] = True
    return mask


def _decode_positions(reader, field, text, among=None):
    matcher = term_matcher(reader, field, text)
    if matcher is None or not is_block_matcher(matcher):
        return EMPTY_IDS, EMPTY_IDS
    format_ = reader.schema[field].format
    docs, counts, gaps = [], [], []
    for block_ids, _, values in posting_blocks(matcher):
        ids = np.array(block_ids, dtype=np.int64)
        chosen = np.flatnonzero(among[ids]) if among is not None else np.arange(len(ids))
        if len(chosen):
            found = position_gaps(format_, values, chosen.tolist())
            docs.append(ids[chosen])
            counts.extend(map(len, found))
            gaps.extend(itertools.chain.from_iterable(found))
    return _added_up(np.concatenate(docs) if docs else EMPTY_IDS, counts, gaps)


def _added_up(docs: list, counts: list, gaps: list):
    """``(documents, positions)`` from each document's count of occurrences and the gaps between its
    positions: a running sum over all of them, less what the documents before each one added."""
    counts = np.array(counts, dtype=np.int64)
    running = np.cumsum(np.array(gaps, dtype=np.int64))
    before = np.concatenate([[0], running])[np.cumsum(counts) - counts]
    positions = running - np.repeat(before, counts)
    return np.repeat(np.asarray(docs, dtype=np.int32), counts), positions.astype(np.int32)
