"""Documents added and posting lists written without Whoosh's per-posting calls (the same index), and the
patches that install it and the rest of the write side's speed fixes in Whoosh's writer."""

import array
import itertools
import pickle
import zlib

import whoosh
import whoosh.writing
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
from whoosh.writing import SegmentWriter

from index.whoosh_compat.reading import LengthsReadOnce
from index.whoosh_compat.reading import apply_read_patches
from index.whoosh_compat.segments import CompactPostingPool


#: Whoosh's own methods, used where the fast paths below do not apply.
_WHOOSH_ADD_DOCUMENT = SegmentWriter.add_document
_WHOOSH_FLUSH_SEGMENT = SegmentWriter._flush_segment


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
            for (_, tbytes), postings in terms:  # [document, weight, value, ...]
                if postings[0] < 0:  # Whoosh's spelling postings (document -1) are not written
                    postings = _without_spelling(postings)
                    if not postings:
                        continue
                if len(postings) == 3:  # most terms (ids, checksums, band terms, rare words)
                    docnum, weight, value = postings
                    ids, weights = [docnum], array.array("f", (weight,))
                    info = self._write_one(docnum, weight, value, weights, sizes, fixed)
                else:
                    ids, scores = postings[0::3], postings[1::3]
                    weights = array.array("f", scores)
                    info = self._write_term(ids, scores, postings[2::3], weights, sizes, fixed)
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

    def _write_term(self, ids, scores, values, weights, sizes, fixed) -> bytes:
        """Write one term's blocks (one write); its term info's bytes (``W3TermInfo.to_bytes``).

        :param scores: the weights as added (Python floats); ``weights`` the same as stored (float32).
        """
        limit, count = self.blocklimit, len(ids)
        parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
        total, minlength, maxlength, maxweight = 0, None, 0, 0
        for at in range(0, count, limit):
            if count <= limit:
                block_ids, block_scores, block_values, block_weights = ids, scores, values, weights
            else:
                end = at + limit
                block_ids, block_scores, block_values, block_weights = \
                    ids[at:end], scores[at:end], values[at:end], weights[at:end]
            top = max(block_scores)
            top = top if top > 0 else 0
            if sizes is None:
                low, high = None, 0
            else:
                found = [sizes[d] if d < len(sizes) else 0 for d in block_ids]
                high = max(found)
                low = min([n for n in found if n], default=None)
            block_values = [v for v in block_values if v]
            parts.append(self._block(block_ids, block_weights, block_values, fixed, top, low, high,
                                     at + limit >= count))
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


def _without_spelling(postings) -> list:
    """A flat posting list without Whoosh's spelling postings (document -1)."""
    kept = []
    for at in range(0, len(postings), 3):
        if postings[at] >= 0:
            kept += postings[at:at + 3]
    return kept


#: A field-length byte's length, 0 for the zero byte (what ``LengthsReadOnce`` answers for it).
_LENGTH_OR_ZERO = [byte_to_length(b) if b else 0 for b in range(256)]
_TERM_INFO = whoosh3.W3TermInfo._struct


def apply_write_patches() -> None:
    """Make Whoosh's writers sort postings with :class:`CompactPostingPool`, add documents with
    :func:`_add_document` and write posting lists with :func:`_flush_segment`, and read per-document
    lengths once (:func:`index.whoosh_compat.reading.apply_read_patches`); idempotent.

    Called where a reindex starts; worker processes forked later inherit it.
    """
    apply_read_patches()
    whoosh.writing.PostingPool = CompactPostingPool
    SegmentWriter.add_document = _add_document
    SegmentWriter._flush_segment = _flush_segment
