"""Writing one index from several processes (segments committed together in one TOC), and the posting
pool their writers sort postings in: grouped by term, spilled in compressed chunks."""

import heapq
import itertools
import marshal
import zlib

from whoosh.writing import PostingPool
from whoosh.writing import SegmentWriter


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



# Postings grouped by term, sort runs written in compressed chunks (a speed and disk fix) -------------

#: Postings per chunk of a sort run: one ``marshal`` call and one ``zlib`` call each. While the runs are
#: merged, one chunk of every run is in memory (~1 MB each).
RUN_CHUNK = 8192
#: zlib level of the chunks: 1 packs the runs' repeated field names and terms ~5× for little CPU.
RUN_LEVEL = 1
#: Bytes a posting (three items of its term's flat list) and a new term are counted for against the
#: writer's ``limitmb``: what the Python objects take (~64 bytes: three list slots and a float; the
#: document number is one object per document, most values one per position), with room for the lists'
#: spare capacity. (A posting as a tuple took ~111 bytes and was counted for 150.)
POSTING_BYTES = 90
TERM_BYTES = 250


class CompactPostingPool(PostingPool):
    """Whoosh's posting pool with postings grouped by term in flat lists and its sort runs written in
    compressed chunks.

    Whoosh sorts every posting as a tuple ``(field, term, document, weight, values)`` up to the
    writer's ``limitmb``, spills the sorted list to a run file one ``marshal.dump`` per posting, and
    at the end merges the runs posting by posting. Here a posting is appended to its term's list as
    three items, ``[document, weight, value, document, weight, value, ...]`` (documents are added in
    increasing numbers, so a list is already in order), only the terms are sorted, a run holds
    ``(field, term) → postings`` entries in chunks, and the merge goes term by term (a term's postings
    from the runs in the order they were written). A flat list makes no object per posting: a tuple
    each took memory, ``marshal`` time both ways, and the garbage collector's time (it visits every
    tuple in a full collection; ints, floats and bytes it does not track), which grew with the pool:
    at ×5 Reuters the runs were a sixth of the writing processes' time. The postings, and their order,
    are the same as Whoosh's (``tests/test_whoosh_compat.py``); a term whose postings came out of
    order is sorted.
    """

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        #: ``{field: {term bytes: [document, weight, value, ...]}}``
        self.grouped = {}
        #: Told each written term's postings (see :class:`_PostingsWriter`), when set.
        self.collector = None
        #: False once a posting came with a document not after its term's last one (then lists are sorted).
        self.ordered = True
        #: The document of each field's last :meth:`add_terms` call.
        self._last = {}

    def _terms(self, fieldname) -> dict:
        terms = self.grouped.get(fieldname)
        if terms is None:
            terms = self.grouped[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._terms(fieldname)
        postings = terms.get(tbytes)
        if postings is None:
            terms[tbytes] = [docnum, weight, vbytes]
            self.currentsize += TERM_BYTES + len(tbytes)
        else:
            if docnum <= postings[-3]:
                self.ordered = False
            postings += (docnum, weight, vbytes)
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
        """The pool's ``((field, term), postings)`` in order (a list sorted only when postings came out
        of order); the pool is emptied."""
        grouped, self.grouped = self.grouped, {}
        entries = []
        for fieldname in sorted(grouped):
            terms = grouped[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                entries.append(((fieldname, tbytes), postings if self.ordered else _sorted(postings)))
        return entries

    def add_terms(self, fieldname, docnum, items, fieldboost) -> int:
        """Add a document's postings in one field, Whoosh's ``(term bytes, frequency, weight, value)``
        items of ``field.index``, each weight times ``fieldboost``; return the frequencies' sum.

        What ``SegmentWriter.add_document`` does with :meth:`add` a posting at a time, in one call; the
        pool is spilled (when full) after the field instead of after a posting, which changes where
        runs end, not the postings. (A field's items name each term once, as Whoosh's formats do: so a
        document after the field's last one keeps every list in order.)"""
        if not items:
            return 0
        terms = self._terms(fieldname)
        last = self._last.get(fieldname)
        if last is not None and docnum <= last:
            self.ordered = False
        self._last[fieldname] = docnum
        total = added = new = 0
        for tbytes, freq, weight, vbytes in items:
            total += freq
            added += 1
            postings = terms.get(tbytes)
            if postings is None:
                terms[tbytes] = [docnum, weight * fieldboost, vbytes]
                new += TERM_BYTES + len(tbytes)
            else:
                postings += (docnum, weight * fieldboost, vbytes)
        self.currentsize += POSTING_BYTES * added + new
        if self.currentsize > self.limit:
            self.save()
        return total

    def items(self, maxfiles=128):
        return _flattened(self.entries(maxfiles))

    def entries(self, maxfiles=128):
        """The pool's ``((field, term bytes), [document, weight, value, ...])`` in order, each term once."""
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
                if any(later[:3] < earlier[-3:] for earlier, later in zip(parts, parts[1:])):
                    postings = _sorted(postings)
            yield key, postings

    def _write_run(self, f, entries):
        try:
            chunk, size, limit = [], 0, 3 * RUN_CHUNK
            for entry in entries:
                chunk.append(entry)
                size += len(entry[1])
                if size >= limit:
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


def _sorted(postings) -> list:
    """A flat posting list sorted as Whoosh sorts postings (by document, then weight, then value)."""
    return list(itertools.chain.from_iterable(sorted(zip(postings[0::3], postings[1::3], postings[2::3]))))


def _write_chunk(f, chunk) -> None:
    data = zlib.compress(marshal.dumps(chunk), RUN_LEVEL)
    f.write(len(data).to_bytes(8, "little"))
    f.write(data)


def _flattened(entries):
    """Whoosh's posting tuples ``(field, term, document, weight, values)`` of ``(key, postings)`` entries."""
    for (fieldname, tbytes), postings in entries:
        for docnum, weight, vbytes in zip(postings[0::3], postings[1::3], postings[2::3]):
            yield fieldname, tbytes, docnum, weight, vbytes
