"""What one search reads: a commit of the index, its figure aliases, and the arrays kept for it.

A :class:`Searcher` wraps the Whoosh searcher a thread holds (see :mod:`search.service`) together with
the figure aliases of its generation and the service's :class:`~search.cache.SearchCache`; each
segment is a :class:`Leaf` whose decoded posting lists, facet arrays, field lengths and live-documents
mask come from that cache. The read side's modules take a ``Searcher`` and ask it, never Whoosh's
objects, for anything cached; nothing is attached to Whoosh's objects.
"""

import collections

import numpy as np

from index.posting_arrays import open_arrays
from index.whoosh_compat.reading import field_lengths
from search.aliases import NO_ALIASES
from search.cache import SearchCache
from search.facets import SegmentFacets
from search.facets import title_word_counts
from search.postings import decode
from search.postings import doc_mask


class Searcher:
    """One commit of the index as the read side sees it (one thread's; not shared between threads).

    :param whoosh: a Whoosh searcher of the commit.
    :param aliases: the generation's :class:`~search.aliases.FigureAliases`.
    :param cache: where built arrays are kept (a service's; a private one by default, for tests).
    :param folder: the index generation's folder, where segments' posting arrays files are (None for
        an index in memory).
    """

    def __init__(self, whoosh, aliases=NO_ALIASES, cache: SearchCache | None = None, folder=None):
        self.whoosh = whoosh
        self.aliases = aliases
        self.cache = cache if cache is not None else SearchCache()
        subsearchers = whoosh.subsearchers or [(whoosh, 0)]
        self.leaves = [Leaf(s, s.reader(), offset, self.aliases, self.cache, folder)
                       for s, offset in subsearchers if s.reader().segment() is not None]
        #: Identifies the commit's documents: each segment and its number of deletions.
        self.key = tuple(leaf.key for leaf in self.leaves)

    def shared(self, kind: str, build, *key):
        """A value built from the whole commit (``build()``), kept in the cache for it."""
        return self.cache.get((kind, self.key, *key), build)

    def grown(self, kind: str, value, *key) -> None:
        """Count a :meth:`shared` value again after it grew."""
        self.cache.resize((kind, self.key, *key), value)

    # What the read side asks of Whoosh's searcher.

    def reader(self):
        """Whoosh's reader of the whole commit."""
        return self.whoosh.reader()

    def stored_fields(self, docnum: int) -> dict:
        return self.whoosh.stored_fields(docnum)

    def document_number(self, **terms):
        return self.whoosh.document_number(**terms)

    def doc_count(self) -> int:
        return self.whoosh.doc_count()

    def term_stats(self, field: str, text) -> tuple:
        """``(documents holding the term, its total weight)`` in the commit, deleted documents
        included (as Whoosh counts them), from the segments' posting arrays where they have them."""
        found = [leaf.term_stats(field, text) for leaf in self.leaves]
        return sum(df for df, _ in found), sum(weight for _, weight in found)

    def doc_frequency(self, field: str, text) -> int:
        return self.term_stats(field, text)[0]

    def idf(self, field: str, text) -> float:
        return self.whoosh.idf(field, text)

    def avg_field_length(self, field: str) -> float:
        return self.whoosh.avg_field_length(field)

    def more_like(self, docnum: int, field: str, **options):
        return self.whoosh.more_like(docnum, field, **options)


class Leaf:
    """One segment of a :class:`Searcher`: Whoosh's reader and searcher of it, and its cached arrays."""

    def __init__(self, whoosh, reader, offset: int, aliases, cache: SearchCache, folder=None):
        #: Whoosh's searcher and reader of this segment (for what only Whoosh's matchers can walk).
        self.searcher = whoosh
        self.reader = reader
        #: The segment's first document number in the commit.
        self.offset = offset
        #: Documents in the segment, deleted ones included (the length of every array here).
        self.size = reader.doc_count_all()
        self.segment_id = reader.segment().segment_id()
        self.key = (self.segment_id, self.size - reader.doc_count())
        self._aliases = aliases
        self._cache = cache
        self._folder = folder
        self._arrays = None

    @property
    def facets(self) -> SegmentFacets:
        """Per-document facet values, figures under their canonical names."""
        return self._cache.get(("facets", self.segment_id, self._aliases.version),
                               lambda: SegmentFacets(self.reader, self._aliases))

    @property
    def live(self) -> np.ndarray:
        """True for the segment's documents that are not deleted."""
        return self._cache.get(("live", *self.key), self._live)

    @property
    def arrays(self):
        """The segment's :class:`~index.posting_arrays.SegmentArrays`, or None while it has none
        (absence is not kept: the file may be written after the commit)."""
        if self._arrays is None and self._folder is not None:
            kept = self._cache.get(("arrays", self.segment_id),
                                   lambda: _Arrays(self._folder, self.segment_id))
            self._arrays = kept.arrays
        return self._arrays

    def postings(self, field: str, text):
        """The term's :class:`~search.postings.Postings` in this segment."""
        return self._cache.get(("postings", self.segment_id, field, text),
                               lambda: decode(self.reader, field, text, self.arrays))

    def term_stats(self, field: str, text) -> tuple:
        """``(documents, total weight)`` of the term in this segment, deleted documents included."""
        arrays = self.arrays
        found = arrays.stats(field, text) if arrays is not None else None
        if found is None:
            found = self.reader.doc_frequency(field, text), self.reader.frequency(field, text)
        return found

    def mask(self, field: str, text) -> np.ndarray:
        """A boolean array over the segment's documents: True where the term occurs (deleted ones too)."""
        return doc_mask(self.postings(field, text), self.size)

    def positions(self, field: str, text, among=None):
        """``(documents, positions)`` of every occurrence of the term (in the ``among`` documents, see
        :meth:`~search.postings.Postings.positions`), decoded with this thread's reader."""
        found = self.postings(field, text)
        before = found.nbytes
        positions = found.positions(self.reader, field, text, among)
        if found.nbytes != before:
            self._cache.resize(("postings", self.segment_id, field, text), found)
        return positions

    def kept(self, kind: str, build, *key):
        """A value built from this segment alone (``build()``), kept in the cache for the segment's life."""
        return self._cache.get((kind, self.segment_id, *key), build)

    def field_lengths(self, field: str) -> np.ndarray:
        """Each document's length in ``field`` (for BM25)."""
        return self._cache.get(("lengths", self.segment_id, field), lambda: self._lengths(field))

    def warm(self, fields) -> tuple:
        """Build (and return) what every search of this segment reads: its facet arrays, its
        live-documents mask and the lengths of ``fields``."""
        return self.facets, self.live, [self.field_lengths(field) for field in fields]

    def title_words(self) -> collections.Counter:
        """How many titles of this segment use each word (for autocomplete)."""
        return self._cache.get(("title_words", self.segment_id), self._title_words)

    def _live(self):
        found = np.ones(self.size, dtype=bool)
        deleted = self.reader.deleted_docs_set if self.reader.has_deletions() else ()
        if deleted:
            found[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
        return found

    def _lengths(self, field):
        found = field_lengths(self.reader, field)
        if found is None:  # another codec: one document at a time
            found = np.array([self.reader.doc_field_length(d, field, 0) or 0 for d in range(self.size)],
                             dtype=np.float64)
        return found.astype(np.float32).astype(np.float64)

    def _title_words(self):
        return title_word_counts(fields.get("title") for fields in self.reader.all_stored_fields())


class _Arrays:
    """A segment's posting arrays file as kept in the cache; a missing one is looked for again."""

    def __init__(self, folder, segment_id):
        self._where = (folder, segment_id)
        self._found = open_arrays(folder, segment_id)

    @property
    def arrays(self):
        if self._found is None:
            self._found = open_arrays(*self._where)
        return self._found

    @property
    def nbytes(self) -> int:
        return self._found.nbytes if self._found is not None else 0
