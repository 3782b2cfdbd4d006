"""Two small speed fixes to Whoosh 2.7's per-document length look-ups (measured, see bench/profile.md).

While a segment is written, Whoosh asks for a document's field length once per posting
(``W3PerDocReader.doc_field_length``). Each call reads one byte through a file seek, and for a field
without a lengths column (ID and KEYWORD fields) it ``stat()``s the missing column file every time:
on 3,000 Reuters articles that was 97,000 ``stat`` calls and a fifth of the writer's time. The fix reads
each lengths column into memory once per reader and remembers missing columns. Results are unchanged
(tests/test_whoosh_patches.py compares both); the one difference is that a zero length answers
``default`` where Whoosh fell through to ``None``.
"""

from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

_MISSING = object()
_original = whoosh3.W3PerDocReader.doc_field_length


def _length_bytes(perdoc, fieldname):
    cache = perdoc.__dict__.setdefault("_newsearch_lengths", {})
    found = cache.get(fieldname, _MISSING)
    if found is _MISSING:
        lenfield = whoosh3._lenfield(fieldname)
        reader = perdoc._cached_reader(lenfield, whoosh3.LENGTHS_COLUMN)
        found = bytes(reader[i] for i in range(perdoc._doccount)) if reader is not None else None
        cache[fieldname] = found
    return found


def doc_field_length(self, docnum, fieldname, default=0):
    """Whoosh's ``doc_field_length``, from lengths read once into memory."""
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    lengths = _length_bytes(self, fieldname)
    if lengths is None or docnum >= len(lengths):
        return default
    lbyte = lengths[docnum]
    return byte_to_length(lbyte) if lbyte else default


def apply() -> None:
    """Install the fixes (idempotent)."""
    whoosh3.W3PerDocReader.doc_field_length = doc_field_length


apply()
