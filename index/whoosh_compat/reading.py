"""Reading below Whoosh's public API: posting lists a block at a time, whole columns at once, and
per-document lengths read once (the read side's part of :mod:`index.whoosh_compat`; it loads nothing of
the writers)."""

import io
import itertools
import pickle
import struct
import zlib

import numpy as np
from whoosh import columns
from whoosh import formats
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length


# Reading posting lists ---------------------------------------------------------------------------


def is_block_matcher(matcher) -> bool:
    """True for a posting list of Whoosh's own codec, which :func:`posting_blocks` can read."""
    return isinstance(matcher, whoosh3.W3LeafMatcher)


def posting_blocks(matcher):
    """``(ids, weights, values)`` lists of each block of a posting list from the current one on.

    A block is read straight from the postings file and unpickled whole, instead of Whoosh's one
    Python call per posting; ``values`` are the encoded per-posting values (positions for a
    positional field), to be read with the field format's ``decode_positions``.
    """
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


def position_gaps(format_, values: list, chosen) -> list:
    """For each posting numbered in ``chosen`` (indexes into a block's ``values``, a field of
    ``format_``), the gaps between its positions (the first from 0).

    Whoosh's ``Positions`` value is a 4-byte count and the pickled list of those gaps;
    ``decode_positions`` unpickles one posting and adds up its gaps in a Python loop. Here the chosen
    postings' pickles are read as the items of one tuple, a single C call for the block, and the
    caller adds up the gaps for a whole posting list at once.
    """
    if type(format_) is not formats.Positions:
        return [_gaps(format_.decode_positions(values[i])) for i in chosen]
    body = b"".join(_without_stop(values[i])[4:] for i in chosen)
    return pickle.loads(b"\x80\x02(" + body + b"t.")


def _without_stop(value: bytes) -> bytes:
    return value[:-1] if value.endswith(b".") else value


def _gaps(positions: list) -> list:
    return [b - a for a, b in zip([0] + positions[:-1], positions)]


def term_postings(reader, field: str):
    """``(term, matcher)`` for every term of ``field`` in a single-segment reader, in the term
    table's order: the table is walked once, where a look-up per term walks its hash table each
    time. The matchers do not leave deleted documents out."""
    codec, postfile = reader.codec(), reader._terms._postfile
    format_ = reader.schema[field].format
    for text, terminfo in reader.iter_field(field):
        yield text, codec.postings_reader(postfile, terminfo, format_)



def is_block_reader(reader) -> bool:
    """True for a single-segment reader of Whoosh's own codec, which :func:`term_documents` can read."""
    return isinstance(reader.codec(), whoosh3.W3Codec) and hasattr(reader, "_terms")


def term_documents(reader, field: str):
    """``(term, [document numbers])`` for every term of ``field`` in a single-segment reader of
    Whoosh's codec, deleted documents included. Each term's postings are read with one read of the
    file and parsed here (block by block), where a matcher costs a seek and an unpickled header per
    term before its first posting: on a field of many short lists (figures) that is most of the time."""
    postfile = reader._terms._postfile
    for text, terminfo in reader.iter_field(field):
        if terminfo.is_inlined():
            yield text, list(terminfo.inlined_postings()[0])
        else:
            offset, length = terminfo.extent()
            # A term info read back from disk holds its length as a 1-tuple (Whoosh's unpack_int).
            length = length[0] if isinstance(length, tuple) else length
            yield text, _block_ids(postfile.get(offset, length))


def _block_ids(data: bytes) -> list:
    """The document numbers of a posting list as :class:`whoosh3.W3PostingsWriter` writes it: a tag,
    then blocks of (signed length, pickled info, pickled or zlib'd ``(id deltas, weights, values)``).

    :raise pickle.UnpicklingError: for bytes that are not such a list (a damaged file), whatever
        unpickling them raised.
    """
    try:
        return _parsed_ids(data)
    except (EOFError, struct.error, zlib.error, pickle.UnpicklingError):
        raise
    except Exception as error:  # noqa: BLE001  (garbage unpickles into any error)
        raise pickle.UnpicklingError(f"a damaged posting list: {type(error).__name__}: {error}") from error


def _parsed_ids(data: bytes) -> list:
    found, at = [], len(whoosh3.WHOOSH3_HEADER_MAGIC)
    while at < len(data):
        length = whoosh3.unpack_int(data[at:at + whoosh3._INT_SIZE])[0]
        at += whoosh3._INT_SIZE
        block = io.BytesIO(data[at:at + abs(length)])
        info = pickle.load(block)
        body = block.read()
        ids = pickle.loads(zlib.decompress(body) if info[3] else body)[0]
        found.extend(itertools.accumulate(ids))
        at += abs(length)
        if length < 0:
            break
    return found


# Reading whole columns (the read side's start) -------------------------------------------------------
# Whoosh's column readers answer one document per Python call (a seek, a read, an unpack): at a
# million articles the search service's first search spent most of its time there. These read a
# segment's column in one slice of its file; None where the column is of another kind (callers then
# iterate Whoosh's reader: the same values).


def numeric_column(reader, field: str):
    """A sortable NUMERIC field of unsigned integers, one value per document of a single-segment
    reader (deleted ones included), as an ``int64`` array; None for any other kind of column."""
    fieldobj = reader.schema[field] if field in reader.schema else None
    if fieldobj is None or getattr(fieldobj, "numtype", None) is not int or fieldobj.signed \
            or fieldobj.decimal_places:
        return None
    column = reader.column_reader(field, translate=False)
    if isinstance(column, columns.EmptyColumnReader):
        return np.full(reader.doc_count_all(), column._default, dtype=np.int64)
    if type(column) is not columns.NumericColumn.Reader:
        return None
    return _fixed_values(column, reader.doc_count_all(), ">" + column._typecode, column._default)


def bytes_column(reader, field: str):
    """A sortable ID field's raw values, one ``bytes`` per document of a single-segment reader
    (deleted ones included); None for any other kind of column."""
    column = reader.column_reader(field, translate=False)
    if type(column) is not columns.VarBytesColumn.Reader or len(column._lengths) != column._doccount:
        return None
    data = column._dbfile.get(column._basepos, sum(column._lengths))
    lengths = np.frombuffer(column._lengths, dtype=column._lengths.typecode)
    ends = np.cumsum(lengths, dtype=np.int64)
    starts = (ends - lengths).tolist()
    return [data[s:e] for s, e in zip(starts, ends.tolist())]


#: ``byte_to_length`` as an array: the length a field-length byte stands for.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def field_lengths(reader, field: str):
    """Each document's length in ``field`` (what ``doc_field_length`` answers, 0 for none) for a
    single-segment reader of Whoosh's codec, as a ``float64`` array; None for another codec."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader):
        return None
    size = reader.doc_count_all()
    column = perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return np.zeros(size, dtype=np.float64)
    return LENGTH_OF_BYTE[_fixed_values(column, size, "u1", 0)]


def _fixed_values(column, size: int, dtype: str, default) -> np.ndarray:
    """A fixed-width column's values (``dtype``), those past its end ``default``."""
    count = min(column._count, size)
    found = np.full(size, default, dtype=np.int64)
    width = np.dtype(dtype).itemsize
    found[:count] = np.frombuffer(column._dbfile.get(column._basepos, count * width), dtype=dtype)
    return found


# Per-document lengths read once (a speed fix) --------------------------------------------------------


class LengthsReadOnce(whoosh3.W3PerDocReader):
    """Whoosh's per-document reader with each field's lengths column read into memory once.

    Writing a segment asks for a document's field length once per posting; Whoosh answers each call
    with a one-byte read through a file seek, and for a field without a lengths column (ID and
    KEYWORD fields) with a ``stat()`` of the missing file every time: on 3,000 Reuters articles that
    was 97,000 ``stat`` calls and a fifth of the writer's time (bench/profile.md). Results are the
    same (tests/test_whoosh_compat.py compares), except that a zero length answers ``default`` where
    Whoosh fell through to None.
    """

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self.length_bytes = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        lengths = self._lengths(fieldname)
        if lengths is None or docnum >= len(lengths):
            return default
        lbyte = lengths[docnum]
        return byte_to_length(lbyte) if lbyte else default

    def _lengths(self, fieldname):
        if fieldname not in self.length_bytes:
            column = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            found = bytes(column[i] for i in range(self._doccount)) if column is not None else None
            self.length_bytes[fieldname] = found
        return self.length_bytes[fieldname]


def _per_document_reader(codec, storage, segment):
    return LengthsReadOnce(storage, segment)


def apply_read_patches() -> None:
    """Make Whoosh's codec read per-document lengths with :class:`LengthsReadOnce` (idempotent).

    Called where the search service starts, and by :func:`index.whoosh_compat.writer.apply_write_patches`.
    """
    whoosh3.W3Codec.per_document_reader = _per_document_reader
