"""Every use of Whoosh's private internals, in one place, checked against the one version they were written for.

newsearch is fast because it reads below Whoosh's public API in a few places: posting lists are read
block by block (a block is a pickled tuple), several processes write segments that one TOC commits
together, and a writer's per-document lengths are read once instead of once per posting. Those
internals can change in any Whoosh release, so:

* importing this module checks the installed Whoosh version and refuses any other than
  :data:`SUPPORTED_VERSION` with a clear message (at start, not in the middle of a search);
* no other module of newsearch touches a private Whoosh name (``tests/test_whoosh_compat.py`` greps
  the tree for them);
* the speed fix to Whoosh (:func:`apply_patches`) is installed explicitly where a writer and the
  search service start, never as a side effect of an import.

Upgrading Whoosh means re-reading this module against the new sources and running its tests.
"""

import array
import heapq
import io
import itertools
import marshal
import os
import pickle
import struct
import zlib

import numpy as np
import whoosh
import whoosh.writing
from whoosh import columns
from whoosh import formats
from whoosh.analysis import CompositeAnalyzer
from whoosh.analysis import IDTokenizer
from whoosh.analysis import RegexTokenizer
from whoosh.analysis import StripFilter
from whoosh.codec import whoosh3
from whoosh.system import pack_int
from whoosh.system import pack_long
from whoosh.system import pack_uint
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte
from whoosh.writing import PostingPool
from whoosh.writing import SegmentWriter

#: The Whoosh release (``whoosh-reloaded``, pinned in pyproject.toml) these internals were read in.
SUPPORTED_VERSION = (2, 7, 5)
#: The name Whoosh gives an index's files (``MAIN_<segment>.seg``, ``_MAIN_<n>.toc``, ``MAIN.tmp``).
INDEX_NAME = "MAIN"


class UnsupportedWhoosh(ImportError):
    """newsearch reads Whoosh internals that change between releases; install the pinned version"""


def check_version(found=whoosh.__version__) -> None:
    """Raise :class:`UnsupportedWhoosh` unless ``found`` is :data:`SUPPORTED_VERSION`."""
    if tuple(found) != SUPPORTED_VERSION:
        wanted = ".".join(map(str, SUPPORTED_VERSION))
        raise UnsupportedWhoosh(
            f"{UnsupportedWhoosh.__doc__}: found Whoosh {'.'.join(map(str, found))}, newsearch needs "
            f"{wanted} (pip install whoosh-reloaded=={wanted}, or reinstall newsearch)")


check_version()

#: Whoosh's own methods, used where the fast paths below do not apply.
_WHOOSH_ADD_DOCUMENT = SegmentWriter.add_document
_WHOOSH_FLUSH_SEGMENT = SegmentWriter._flush_segment


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


# Writing one index from several processes ----------------------------------------------------------


def segment_writer(ix, parent, limitmb: int) -> SegmentWriter:
    """A writer of one more segment of ``ix`` while ``parent`` (the locked writer) holds the lock.

    It takes no lock, and its posting runs go into the parent's temporary folder, which the parent
    removes at its end (also after a crash: the next writer of the index reuses, then removes it).
    """
    writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
    writer._tempstorage = writer.pool.tempstore = parent._tempstorage
    return writer


def finish_segment(writer, collector=None):
    """Finish the segment a :func:`segment_writer` wrote and return it (None when it holds nothing).

    :param collector: told the postings of its ``fields`` as they are written (``add_term``), and
        ``complete`` set once it was told them all (see :class:`_PostingsWriter`).
    """
    if writer._added:
        writer.pool.collector = collector
        return writer._finalize_segment()
    writer._close_segment()
    return None


def abandon_segment(writer) -> None:
    """Close a :func:`segment_writer`'s files; its segment is named in no TOC and cleaned up later."""
    writer._close_segment()


def commit_with_segments(writer, mergetype, segments) -> None:
    """``writer.commit(mergetype=...)`` with ``segments`` written by other processes in the same TOC.

    This is ``SegmentWriter.commit`` with the other segments appended before the TOC is written (as
    ``whoosh.multiproc.MpWriter`` does), so the commit of every segment stays one atomic step.
    """
    final = writer._merge_segments(mergetype, False, True)
    own = finish_segment(writer)
    writer._commit_toc(final + ([own] if own is not None else []) + list(segments))
    writer._finish()


def unused_files(folder) -> list[str]:
    """Names of what no commit of the index in ``folder`` uses: what a writer that died left.

    That is the files Whoosh's own commit deletes (segments the latest TOC does not name, older
    TOCs), half-written TOCs (``_MAIN_<n>.toc.<time>``) and writers' temporary folders
    (``MAIN.tmp``: posting runs). Whoosh names them after the index (``MAIN``).
    :raise whoosh.index.EmptyIndexError: when there is no commit (nothing can be judged unused).
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(folder), supports_mmap=False), INDEX_NAME)
    live = {segment.segment_id() for segment in toc.segments}
    tocs, segments = TOC._pattern(INDEX_NAME), TOC._segment_pattern(INDEX_NAME)
    unused = []
    for name in sorted(os.listdir(folder)):
        toc_match, segment_match = tocs.match(name), segments.match(name)
        if toc_match:
            gone = int(toc_match.group(1)) != toc.generation
        elif segment_match:
            gone = segment_match.group(1) not in live
        else:
            gone = name == f"{INDEX_NAME}.tmp" or (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name)
        if gone:
            unused.append(name)
    return unused


def close_files_left_open(error: BaseException) -> None:
    """Close the index files Whoosh opened in the calls ``error`` went through and left open.

    When a segment cannot be read, Whoosh's reader raises with the file it opened still open (a
    ``StructFile`` in a local variable of its frame), to be closed whenever the garbage collector
    gets to it. A server answering every request on a damaged index would pile them up.
    """
    from whoosh.filedb.structfile import StructFile

    tb = error.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, (StructFile, io.IOBase)) and getattr(value, "closed", False) is not True:
                try:
                    value.close()
                except Exception:  # noqa: BLE001  (a damaged file: closing may fail too)
                    pass
        tb = tb.tb_next


# Postings grouped by term, sort runs written in compressed chunks (a speed and disk fix) -------------

#: Postings per chunk of a sort run: one ``marshal`` call and one ``zlib`` call each. While the runs are
#: merged, one chunk of every run is in memory (~1.5 MB each).
RUN_CHUNK = 8192
#: zlib level of the chunks: 1 packs the runs' repeated field names and terms ~5× for little CPU.
RUN_LEVEL = 1
#: Bytes a posting (``(docnum, weight, values)`` in its term's list) and a new term are counted for
#: against the writer's ``limitmb`` (what the Python objects take, about as Whoosh counts a posting).
POSTING_BYTES = 150
TERM_BYTES = 250


class CompactPostingPool(PostingPool):
    """Whoosh's posting pool with postings grouped by term in memory and its sort runs written in
    compressed chunks.

    Whoosh sorts every posting as a tuple ``(field, term, document, weight, values)`` up to the
    writer's ``limitmb``, spills the sorted list to a run file one ``marshal.dump`` per posting, and
    at the end merges the runs posting by posting. Here a posting is appended to its term's list
    (documents are added in increasing numbers, so a list is already in order), only the terms are
    sorted, a run holds ``(field, term) → postings`` entries in chunks, and the merge goes term by term
    (a term's postings from the runs in the order they were written). On the ×5 Reuters build Whoosh's
    pool was a fifth of the writing processes' time; its runs took 12 GB at a million articles
    (bench/perf.py ``--size 1m``). The postings, and their order, are the same as Whoosh's
    (``tests/test_whoosh_compat.py``); a term whose postings came out of order is sorted.
    """

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        #: ``{field: {term bytes: [(document, weight, value)]}}``
        self.grouped = {}
        #: Told each written term's postings (see :class:`_PostingsWriter`), when set.
        self.collector = None

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.grouped.get(fieldname)
        if terms is None:
            terms = self.grouped[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(tbytes)
        if postings is None:
            terms[tbytes] = postings = []
            self.currentsize += TERM_BYTES + len(tbytes)
        postings.append((docnum, weight, vbytes))
        self.currentsize += POSTING_BYTES
        if self.currentsize > self.limit:
            self.save()

    def save(self):
        if self.grouped:
            path, f = self._new_run()
            self._write_run(f, self._sorted_entries())
            self._add_run(path)
        self.currentsize = 0

    def _sorted_entries(self):
        """The pool's ``((field, term), postings)`` in order (each list sorted: a no-op when added in
        order); the pool is emptied."""
        grouped, self.grouped = self.grouped, {}
        entries = []
        for fieldname in sorted(grouped):
            terms = grouped[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                if len(postings) > 1:
                    postings.sort()
                entries.append(((fieldname, tbytes), postings))
        return entries

    def add_terms(self, fieldname, docnum, items, fieldboost) -> int:
        """Add a document's postings in one field, Whoosh's ``(term bytes, frequency, weight, value)``
        items of ``field.index``, each weight times ``fieldboost``; return the frequencies' sum.

        What ``SegmentWriter.add_document`` does with :meth:`add` a posting at a time, in one call; the
        pool is spilled (when full) after the field instead of after a posting, which changes where
        runs end, not the postings."""
        if not items:
            return 0
        terms = self.grouped.get(fieldname)
        if terms is None:
            terms = self.grouped[fieldname] = {}
            self.fieldnames.add(fieldname)
        total = added = new = 0
        for tbytes, freq, weight, vbytes in items:
            total += freq
            added += 1
            postings = terms.get(tbytes)
            if postings is None:
                terms[tbytes] = [(docnum, weight * fieldboost, vbytes)]
                new += TERM_BYTES + len(tbytes)
            else:
                postings.append((docnum, weight * fieldboost, vbytes))
        self.currentsize += POSTING_BYTES * added + new
        if self.currentsize > self.limit:
            self.save()
        return total

    def items(self, maxfiles=128):
        return _flattened(self.entries(maxfiles))

    def entries(self, maxfiles=128):
        """The pool's ``((field, term bytes), [(document, weight, value)])`` in order, each term once."""
        if not self.runs:
            return self._sorted_entries()
        self.save()
        if maxfiles < len(self.runs):
            self.reduce_to(maxfiles, maxfiles)
        runs, self.runs = self.runs, []
        return self._merge_runs(runs)

    def _merge_runs(self, paths):
        """The runs' entries merged term by term; a term in several runs gets their postings joined in
        run order (sorted when that is not already the order). The parts are joined once: joining them
        run by run copied a common term's list again for each run (at a million articles, tens of runs)."""
        merged = heapq.merge(*[self._read_run(path) for path in paths], key=_entry_key)
        for key, group in itertools.groupby(merged, key=_entry_key):
            _, postings = next(group)
            parts = None
            for _, more in group:
                if parts is None:
                    parts = [postings]
                parts.append(more)
            if parts is not None:
                postings = list(itertools.chain.from_iterable(parts))
                if any(later[0] < earlier[-1] for earlier, later in zip(parts, parts[1:])):
                    postings.sort()
            yield key, postings

    def _write_run(self, f, entries):
        try:
            chunk, size = [], 0
            for entry in entries:
                chunk.append(entry)
                size += len(entry[1])
                if size >= RUN_CHUNK:
                    _write_chunk(f, chunk)
                    chunk, size = [], 0
            if chunk:
                _write_chunk(f, chunk)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                head = f.read(8)
                if not head:
                    return
                yield from marshal.loads(zlib.decompress(f.read(int.from_bytes(head, "little"))))
        finally:
            f.close()
            self._remove_run(path)


def _entry_key(entry):
    return entry[0]


def _write_chunk(f, chunk) -> None:
    data = zlib.compress(marshal.dumps(chunk), RUN_LEVEL)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)


def _flattened(entries):
    """Whoosh's posting tuples ``(field, term, document, weight, values)`` of ``(key, postings)`` entries."""
    for (fieldname, tbytes), postings in entries:
        for docnum, weight, vbytes in postings:
            yield fieldname, tbytes, docnum, weight, vbytes


# Documents added and posting lists written without Whoosh's per-posting calls (a speed fix) ------------
# At a million articles the writing processes spent a third of their time adding documents (a
# generator stack and a pool call per term) and a quarter writing the posting lists at the segment's
# end (five method calls, a type check and a field-length look-up per posting, objects per term).
# Here the same values are computed per field and per block; the index is the same
# (``python -m bench.same_index``; tests/test_whoosh_compat.py compares with Whoosh's own writer).

#: ``field.index`` of some fields, computed without Whoosh's token stream, by the field's id (kept with
#: the field, so the id stays its own); None for the others.
_FAST_INDEX = {}


def _fast_index(field):
    """A function ``(field, value) -> items`` giving what ``field.index(value)`` gives, for a positional
    field whose analyzer gives ``term_positions(text) -> {term: [positions]}`` and for an ID field;
    else None."""
    found = _FAST_INDEX.get(id(field))
    if found is None:
        fast = None
        if type(field.format) is formats.Positions and not field.vector \
                and hasattr(field.analyzer, "term_positions"):
            fast = _positional_items
        elif type(field.format) is formats.Existence and type(field.analyzer) is IDTokenizer:
            fast = _id_items
        elif type(field.format) is formats.Frequency and _keyword_pattern(field.analyzer) is not None:
            fast = _keyword_items
        found = _FAST_INDEX[id(field)] = (field, fast)
    return found[1]


def field_items(field, value):
    """What ``field.index(value)`` gives (``(term bytes, frequency, weight, encoded value)`` per term),
    computed without Whoosh's token stream where :func:`_fast_index` can."""
    fast = _fast_index(field)
    if fast is None or not isinstance(value, str):
        return field.index(value)
    return fast(field, value)


def _positional_items(field, value) -> list:
    boost = field.format.field_boost
    return [(term.encode("utf-8"), len(poslist), float(len(poslist)) * boost, encoded_positions(poslist))
            for term, poslist in field.analyzer.term_positions(value).items()]


def _keyword_pattern(analyzer):
    """``(pattern, strip)`` of a KEYWORD field's analyzer: a ``RegexTokenizer`` matching words (no
    groups, no gaps), alone or followed by a ``StripFilter`` (``commas=True``); None for another."""
    parts = analyzer.items if type(analyzer) is CompositeAnalyzer else [analyzer]
    if not parts or type(parts[0]) is not RegexTokenizer or parts[0].gaps or parts[0].expression.groups:
        return None
    if len(parts) == 1 or (len(parts) == 2 and type(parts[1]) is StripFilter):
        return parts[0].expression, len(parts) == 2
    return None


def _keyword_items(field, value) -> list:
    """``Frequency.word_values`` of the words (each counted, weighted by its count)."""
    pattern, strip = _keyword_pattern(field.analyzer)
    counts = {}
    for word in pattern.findall(value):
        word = word.strip() if strip else word
        counts[word] = counts.get(word, 0) + 1
    boost = field.format.field_boost
    return [(word.encode("utf-8"), n, float(n) * boost, pack_uint(n)) for word, n in counts.items()]


def _id_items(field, value) -> list:
    """The whole value, one term (``Existence.word_values`` of ``IDTokenizer``'s one token)."""
    return [(value.encode("utf-8"), 1, field.format.field_boost, b"")]


#: ``Positions.encode`` of one-position lists (most postings), by position.
_ONE_POSITION = [formats.Positions().encode([p]) for p in range(256)]


def encoded_positions(poslist) -> bytes:
    """``Positions.encode(poslist)``: a 4-byte count and the pickled gaps (the first from 0)."""
    if len(poslist) == 1 and poslist[0] < len(_ONE_POSITION):
        return _ONE_POSITION[poslist[0]]
    gaps = [b - a for a, b in zip([0] + poslist[:-1], poslist)]
    return pack_uint(len(gaps)) + pickle.dumps(gaps, 2)


def _add_document(self, **fields):
    """``SegmentWriter.add_document`` for a writer with a :class:`CompactPostingPool` and fields
    without spelling words: a field's postings computed by :func:`field_items` and added at once."""
    schema, pool = self.schema, self.pool
    if type(pool) is not CompactPostingPool or _spelling(schema):
        return _WHOOSH_ADD_DOCUMENT(self, **fields)
    self._check_state()
    perdocwriter, docnum = self.perdocwriter, self.docnum
    docboost = self._doc_boost(fields)
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    self._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                freq = pool.add_terms(fieldname, docnum, field_items(field, value), boost)
                length = freq if field.scorable else 0
            stored = fields.get("_stored_%s" % fieldname, value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            column = field.column_type
            if column and stored is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(stored))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


_SPELLING = {}


def _spelling(schema) -> bool:
    """Whether a field of ``schema`` adds spelling words or term vectors (left to Whoosh's own path)."""
    found = _SPELLING.get(id(schema))
    if found is None:
        fields = [schema[name] for name in schema.names()]
        found = _SPELLING[id(schema)] = (schema, any(f.separate_spelling() or f.vector for f in fields))
    return found[1]


def _flush_segment(self):
    """``SegmentWriter._flush_segment`` writing a :class:`CompactPostingPool`'s posting lists term by
    term and block by block (:class:`_PostingsWriter`); Whoosh's own for any other pool or codec."""
    fieldwriter = self.fieldwriter
    if type(self.pool) is not CompactPostingPool or type(fieldwriter) is not whoosh3.W3FieldWriter \
            or not self.codec.length_stats or fieldwriter._codec._inlinelimit > 1:
        return _WHOOSH_FLUSH_SEGMENT(self)
    self.perdocwriter.close()
    lengths = self.per_document_reader()
    try:
        _PostingsWriter(fieldwriter, lengths, self.pool.collector).write(self.schema, self.pool.entries())
        fieldwriter.close()
    finally:
        lengths.close()


#: Blocks whose pickle is shorter than this are stored uncompressed (compression level 0 in the block's
#: info, which Whoosh's reader and :func:`posting_blocks` honour). Whoosh meant to leave pickles under 20
#: bytes so (its test is overwritten by the next line); on the ×1 Reuters index nine blocks in ten are
#: under 128 bytes, where zlib's fixed cost per call was a tenth of the writing processes' time and its
#: output no smaller (postings 40.05 MB compressed, 39.55 MB with these left as they are).
TINY_BLOCK = 128


class _PostingsWriter:
    """Writes posting lists as ``W3FieldWriter.add_postings`` does, a block at a time: the same
    postings, the same term infos; blocks under :data:`TINY_BLOCK` bytes are left uncompressed.

    :param collector: None, or an object told each term's postings of some fields
        (``fields``, ``add_term(field, term, ids, weights)``) as they are written, so that what is
        built from them (:mod:`index.posting_arrays`) needs no second reading of the segment.
    """

    def __init__(self, fieldwriter, lengths, collector=None):
        codec = fieldwriter._codec
        self.fieldwriter, self.lengths, self.collector = fieldwriter, lengths, collector
        self.postfile, self.tindex = fieldwriter._postfile, fieldwriter._tindex
        self.blocklimit, self.compression = codec._blocklimit, codec._compression

    def write(self, schema, entries) -> None:
        self.offset = self.postfile.tell()  # then counted here: only this writes to the file meanwhile
        for fieldname, terms in itertools.groupby(entries, key=_field_of):
            fieldobj = schema[fieldname]
            self.fieldwriter.start_field(fieldname, fieldobj)
            prefix = pack_ushort(self.fieldwriter._fieldid)
            sizes = self._lengths_of(fieldname)
            fixed = fieldobj.format.fixed_value_size()
            collect = self.collector is not None and fieldname in self.collector.fields
            for (_, tbytes), postings in terms:
                if postings[0][0] < 0:  # Whoosh's spelling postings (document -1) are not written
                    postings = [p for p in postings if p[0] >= 0]
                    if not postings:
                        continue
                if len(postings) == 1:  # most terms (ids, checksums, band terms, rare words)
                    (docnum, weight, value), = postings
                    ids, weights = [docnum], array.array("f", (weight,))
                    info = self._write_one(docnum, weight, value, weights, sizes, fixed)
                else:
                    ids, weights = [p[0] for p in postings], array.array("f", [p[1] for p in postings])
                    info = self._write_term(ids, postings, weights, sizes, fixed)
                self.tindex.add(prefix + tbytes, info)
                if collect:
                    self.collector.add_term(fieldname, tbytes, ids, weights)
            self.fieldwriter.finish_field()
        if self.collector is not None:
            self.collector.complete = True

    def _lengths_of(self, fieldname):
        """Each document's length in the field (0 for none), as ``add_postings`` looks them up."""
        lengths = self.lengths
        if isinstance(lengths, LengthsReadOnce):
            stored = lengths._lengths(fieldname)
            return [_LENGTH_OR_ZERO[b] for b in stored] if stored is not None else None
        return [lengths.doc_field_length(n, fieldname) for n in range(lengths.doc_count_all())]

    def _write_term(self, ids, postings, weights, sizes, fixed) -> bytes:
        """Write one term's blocks (one write); its term info's bytes (``W3TermInfo.to_bytes``)."""
        limit, count = self.blocklimit, len(ids)
        parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
        total, minlength, maxlength, maxweight = 0, None, 0, 0
        for at in range(0, count, limit):
            if count <= limit:
                block, block_ids, block_weights = postings, ids, weights
            else:
                block, block_ids, block_weights = postings[at:at + limit], ids[at:at + limit], weights[at:at + limit]
            top = max([p[1] for p in block])
            top = top if top > 0 else 0
            if sizes is None:
                low, high = None, 0
            else:
                found = [sizes[d] if d < len(sizes) else 0 for d in block_ids]
                high = max(found)
                low = min([n for n in found if n], default=None)
            values = [p[2] for p in block if p[2]]
            parts.append(self._block(block_ids, block_weights, values, fixed, top, low, high, at + limit >= count))
            total += sum(block_weights)
            minlength = low if minlength is None else min(minlength, low)
            maxlength, maxweight = max(maxlength, high), max(maxweight, top)
        data = b"".join(parts)
        self.postfile.write(data)
        start, self.offset = self.offset, self.offset + len(data)
        return _TERM_INFO.pack(False, total, count, 0 if minlength is None else length_to_byte(minlength),
                               length_to_byte(maxlength), maxweight, ids[0], ids[-1]) \
            + pack_long(start) + pack_int(len(data))

    def _write_one(self, docnum, weight, value, weights, sizes, fixed) -> bytes:
        """:meth:`_write_term` of a term with one posting, without its loops."""
        top = weight if weight > 0 else 0
        high = sizes[docnum] if sizes is not None and docnum < len(sizes) else 0
        data = whoosh3.WHOOSH3_HEADER_MAGIC + self._block([docnum], weights, [value] if value else [], fixed,
                                                          top, high or None, high, True)
        self.postfile.write(data)
        start, self.offset = self.offset, self.offset + len(data)
        return _TERM_INFO.pack(False, 0 + sum(weights), 1, length_to_byte(high) if high else 0,
                               length_to_byte(high), max(0, top), docnum, docnum) \
            + pack_long(start) + pack_int(len(data))

    def _block(self, ids, weights, values, fixed, top, low, high, last) -> bytes:
        """What ``W3PostingsWriter._write_block`` writes: the block's length, info and pickled data
        (compressed unless under :data:`TINY_BLOCK` bytes)."""
        deltas = tuple(b - a for a, b in zip([0] + ids[:-1], ids)) if len(ids) > 1 else (ids[0],)
        first = weights[0]
        if first == 1.0 and all(w == 1.0 for w in weights):
            mini_weights = None
        elif all(w == first for w in weights):
            mini_weights = first
        else:
            mini_weights = tuple(weights)
        mini_values = tuple(values) if fixed is None or fixed < 0 else None if fixed == 0 else b"".join(values)
        data = pickle.dumps((deltas, mini_weights, mini_values), 2)
        comp = self.compression if len(data) >= TINY_BLOCK else 0
        if comp:
            data = zlib.compress(data, comp)
        info = pickle.dumps((len(ids), ids[-1], top, comp, length_to_byte(low), length_to_byte(high)), 2)
        size = len(info) + len(data)
        return pack_int(-size if last else size) + info + data


def _field_of(entry):
    return entry[0][0]


#: A field-length byte's length, 0 for the zero byte (what ``LengthsReadOnce`` answers for it).
_LENGTH_OR_ZERO = [byte_to_length(b) if b else 0 for b in range(256)]
_TERM_INFO = whoosh3.W3TermInfo._struct


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


def apply_patches() -> None:
    """Make Whoosh's codec read per-document lengths with :class:`LengthsReadOnce`, and its writers
    sort postings with :class:`CompactPostingPool`, add documents with :func:`_add_document` and write
    posting lists with :func:`_flush_segment` (idempotent).

    Called where a reindex and the search service start; worker processes forked later inherit it.
    """
    whoosh3.W3Codec.per_document_reader = _per_document_reader
    whoosh.writing.PostingPool = CompactPostingPool
    SegmentWriter.add_document = _add_document
    SegmentWriter._flush_segment = _flush_segment
