"""Each segment's posting lists of the searched text fields as flat arrays, in a file beside it.

Whoosh stores a posting list as pickled blocks of 128 postings, each posting with its positions, so
reading one costs about a microsecond per posting in Python (the positions are unpickled too), and
finding a term costs a walk through its on-disk hash table. The first search of a pasted paragraph
reads some hundred lists and spent most of its time there. A segment never changes once written
(deletions only hide documents), so after each commit every segment of the index gets, once, a file
``<segment id>.arrays`` holding for :data:`FIELDS`:

* per field, its terms (sorted, fixed width: found with one binary search) and where each term's
  postings start;
* all postings' document numbers (``int32``) and weights (``float32``, as Whoosh stores them),
  deleted documents included (readers leave them out with the segment's live-documents mask).

Reading a list is then a slice of a memory-mapped file (the operating system's page cache holds it
once for every process). The file is named like the segment's own files, so Whoosh removes it when
the segment is merged away. Without it (an index written before, a segment between its commit and
its file, a damaged file) readers decode Whoosh's blocks as before (:func:`decode_postings`): the
arrays are the same. The file is written through a temporary name; the next reindex writes again
one that is missing or cannot be read.
"""

import array
import json
import math
import os
from pathlib import Path

import numpy as np
from whoosh.matching.wrappers import FilterMatcher

from index.schema import WORDS_FIELDS
from index.whoosh_compat.reading import is_block_matcher
from index.whoosh_compat.reading import posting_blocks
from index.whoosh_compat.reading import term_postings

#: The fields whose postings the file holds (those a plain query word is looked up in).
FIELDS = WORDS_FIELDS + ("figure_words",)
SUFFIX = "arrays"
MAGIC = b"NSPA1\n"
#: Longest term (UTF-8 bytes) kept in the file; a longer one is read from Whoosh's blocks.
MAX_KEY = 64
_ALIGN = 16

EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


def decode_postings(reader, field: str, text) -> tuple:
    """``(ids, weights)`` of a term in a single-segment reader, from Whoosh's blocks (empty arrays
    when the term is not there). Deleted documents may be included: callers leave them out."""
    matcher = term_matcher(reader, field, text)
    return _arrays_of(matcher) if matcher is not None else (EMPTY_IDS, EMPTY_WEIGHTS)


def _arrays_of(matcher) -> tuple:
    if not is_block_matcher(matcher):
        pairs = list(matcher.items_as("weight"))
        return (np.array([d for d, _ in pairs], dtype=np.int32),
                np.array([w for _, w in pairs], dtype=np.float64))
    ids, weights = [], []
    for block_ids, block_weights, _ in posting_blocks(matcher):
        ids.append(np.asarray(block_ids, dtype=np.int32))
        weights.append(np.asarray(block_weights, dtype=np.float32))
    if not ids:  # every posting was of a deleted document (the filter skipped them all)
        return EMPTY_IDS, EMPTY_WEIGHTS
    return np.concatenate(ids), np.concatenate(weights).astype(np.float64)


def term_matcher(reader, field: str, text):
    """Whoosh's matcher of a term's postings in a single-segment reader (None when it has none),
    without the filter of deleted documents."""
    try:
        if not reader.doc_frequency(field, text):
            return None
        matcher = reader.postings(field, text)
    except (KeyError, ValueError):
        return None
    if isinstance(matcher, FilterMatcher):
        # Deleted documents are left out by the caller. The filter may have moved its child past
        # some (whole blocks are read from there on), and never past a live one.
        matcher = matcher.child
    return matcher


# Reading ------------------------------------------------------------------------------------------


class SegmentArrays:
    """The arrays file of one segment, memory-mapped (see the module docstring)."""

    def __init__(self, path: Path):
        self._map = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(self._map[: len(MAGIC)]) != MAGIC:
            raise ValueError(f"{path} is not a posting arrays file")
        size = int(self._map[len(MAGIC): len(MAGIC) + 8].view("<u8")[0])
        header = json.loads(bytes(self._map[len(MAGIC) + 8: len(MAGIC) + 8 + size]))
        self.ids = self._array(header["ids"], "<i4")
        self.weights = self._array(header["weights"], "<f4")
        self._fields = {name: (self._array(part["keys"], f"S{part['width']}"),
                               self._array(part["spans"], "<i8").reshape(-1, 2),
                               self._array(part["totals"], "<f8"), part["width"])
                        for name, part in header["fields"].items()}

    @property
    def nbytes(self) -> int:
        """Memory of its own (the mapped file is the page cache's): the header's few objects."""
        return 2000

    def find(self, field: str, text):
        """The term's row in the field's table, -1 when the segment lacks it, or None when the file
        cannot say (a field or term it does not hold: ask Whoosh)."""
        part = self._fields.get(field)
        key = text if isinstance(text, bytes) else text.encode("utf-8")
        if part is None or len(key) > MAX_KEY:
            return None
        keys, width = part[0], part[3]
        if len(key) > width:
            return -1
        at = int(np.searchsorted(keys, key))
        return at if at < len(keys) and keys[at] == key else -1

    def postings(self, field: str, text):
        """``(ids, weights)`` of a term (new arrays), or None when the file cannot say."""
        at = self.find(field, text)
        if at is None:
            return None
        if at < 0:
            return EMPTY_IDS, EMPTY_WEIGHTS
        start, stop = self._fields[field][1][at].tolist()
        return np.array(self.ids[start:stop]), self.weights[start:stop].astype(np.float64)

    def stats(self, field: str, text):
        """``(documents, total weight)`` of a term, or None when the file cannot say."""
        at = self.find(field, text)
        if at is None or at < 0:
            return None if at is None else (0, 0.0)
        _, spans, totals, _ = self._fields[field]
        start, stop = spans[at].tolist()
        return stop - start, float(totals[at])

    def _array(self, where, dtype):
        offset, count = where
        return np.frombuffer(self._map, dtype=dtype, count=count, offset=offset)


def arrays_path(folder, segment_id: str) -> Path:
    return Path(folder) / f"{segment_id}.{SUFFIX}"


def open_arrays(folder, segment_id: str):
    """The segment's :class:`SegmentArrays`, or None when it has no readable file."""
    path = arrays_path(folder, segment_id)
    try:
        return SegmentArrays(path) if path.is_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


# Writing ------------------------------------------------------------------------------------------


def write_missing(ix, folder) -> int:
    """Write the arrays file of every segment of ``ix``'s latest commit that has no readable one
    (new segments, an index written before, a damaged file); how many were written."""
    written = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is not None and open_arrays(folder, segment.segment_id()) is None:
                write_segment(leaf, arrays_path(folder, segment.segment_id()))
                written += 1
    return written


def write_new_segment(storage, schema, segment, built=None) -> None:
    """Write the arrays file of a segment just finished and not yet committed (by the process that
    wrote it, while other processes write theirs: at a million articles the parent spent minutes on
    the files alone after the commit). A commit that never comes leaves it to be removed with the
    segment's other files (:func:`index.store.clean_debris`).

    :param built: an :class:`ArraysBuilder` told the segment's postings as they were written (see
        :func:`index.whoosh_compat.segments.finish_segment`); without one, or when it was not told them all,
        the segment is read back."""
    path = arrays_path(storage.folder, segment.segment_id())
    if built is not None and built.complete:
        built.write(path)
        return
    from whoosh.reading import SegmentReader

    reader = SegmentReader(storage, schema, segment)
    try:
        write_segment(reader, path)
    finally:
        reader.close()


def write_segment(reader, path: Path) -> None:
    """Write the arrays file of a single-segment reader at ``path`` (through a temporary name)."""
    built = ArraysBuilder(reader.schema)
    for field in built.fields:
        for term, matcher in term_postings(reader, field):
            if len(term) <= MAX_KEY:
                ids, weights = [], []
                for block_ids, block_weights in _blocks(matcher):
                    ids += block_ids
                    weights += block_weights
                built.add_term(field, term, ids, weights)
    built.write(path)


class ArraysBuilder:
    """The postings of :data:`FIELDS`, told term by term in each field's order, and the file they make.

    The postings are gathered in typed arrays (4 + 8 bytes a posting): in lists of Python numbers they
    took ~64 bytes, 3.3 GB in each writing process of a million-article build. ``complete`` is set by
    whoever told it every term of the segment.
    """

    def __init__(self, schema):
        self.fields = {field: ([], array.array("i"), array.array("d")) for field in FIELDS if field in schema}
        self.complete = False

    def add_term(self, field: str, term: bytes, ids, weights) -> None:
        """Add a term's postings (document numbers, weights as stored: float32 values)."""
        if len(term) > MAX_KEY:
            return
        rows, all_ids, all_weights = self.fields[field]
        start = len(all_ids)
        all_ids.fromlist(list(ids))
        all_weights.fromlist(list(weights))
        rows.append((term, start, len(all_ids), math.fsum(all_weights[start:])))

    def write(self, path: Path) -> None:
        """Write the file: the fields' postings one after the other, in :data:`FIELDS` order."""
        tables, base = {}, 0
        for field, (rows, field_ids, _) in self.fields.items():
            tables[field] = _table([(term, start + base, stop + base, total) for term, start, stop, total in rows])
            base += len(field_ids)
        parts = self.fields.values()
        ids = np.concatenate([np.frombuffer(i, dtype=np.int32) for _, i, _ in parts] or [EMPTY_IDS])
        weights = np.concatenate([np.frombuffer(w, dtype=np.float64) for _, _, w in parts] or [EMPTY_WEIGHTS])
        _write_file(path, ids.astype("<i4", copy=False), weights.astype("<f4"), tables)


def _table(rows) -> tuple:
    """A field's terms (sorted), where each one's postings start and stop, their total weights, and
    the key width."""
    rows.sort()
    width = max((len(row[0]) for row in rows), default=1)
    return (np.array([row[0] for row in rows], dtype=f"S{width}"),
            np.array([row[1:3] for row in rows], dtype="<i8").reshape(-1, 2),
            np.array([row[3] for row in rows], dtype="<f8"), width)


def _blocks(matcher):
    if not is_block_matcher(matcher):
        pairs = list(matcher.items_as("weight"))
        yield [d for d, _ in pairs], [w for _, w in pairs]
        return
    for block_ids, block_weights, _ in posting_blocks(matcher):
        yield block_ids, block_weights


def _write_file(path, ids, weights, fields) -> None:
    arrays, header = [], {"fields": {}}
    for name, (keys, spans, totals, width) in fields.items():
        header["fields"][name] = {"width": width, "keys": keys, "spans": spans, "totals": totals}
        arrays += [keys, spans, totals]
    header["ids"], header["weights"] = ids, weights
    arrays += [ids, weights]
    # Offsets depend on the header's length, which depends on the offsets: reserve room for them.
    start = _aligned(len(MAGIC) + 8 + 200 * len(arrays) + 200)
    placed, at = {}, start
    for a in arrays:
        placed[id(a)] = (at, a.size)
        at = _aligned(at + a.nbytes)
    text = json.dumps(_placed(header, placed)).encode()
    assert len(MAGIC) + 8 + len(text) <= start, "header room"
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(MAGIC + np.array([len(text)], dtype="<u8").tobytes() + text)
        for a in arrays:
            out.seek(placed[id(a)][0])
            out.write(a.tobytes())
        out.truncate(at)
    os.replace(temporary, path)


def _placed(value, placed):
    if isinstance(value, np.ndarray):
        return list(placed[id(value)])
    if isinstance(value, dict):
        return {k: _placed(v, placed) for k, v in value.items()}
    return value


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN
