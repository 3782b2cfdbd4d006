"""Facet counts from per-segment structures built once, not re-read on every query.

Whoosh's ``groupedby`` facets re-read the figures field for every search. Instead, for each index
segment this module builds, once, compact arrays: each document's publication ``day`` (``YYYYMMDD``),
its source and its figures (as ordinals into a names list). Segments never change after they are
written (deletions only hide documents), so a :class:`SegmentFacets` stays valid for the segment's
life and is shared by all threads. Counting a facet is then a loop over the matching documents.

Selections follow faceted-search conventions: several figures mean *all* of them; several years,
months or sources mean *any* of them, and each of those facets is counted as if its own selection were
removed, so alternatives keep their true counts.
"""

import array
import collections
import itertools
import threading

#: Built :class:`SegmentFacets`, by segment id, and how many times one was built (a test counts them).
_CACHE = {}
_CACHE_LOCK = threading.Lock()
BUILD_COUNT = collections.Counter()


class SegmentFacets:
    """Per-document facet values of one index segment."""

    def __init__(self, reader):
        self.doc_count = reader.doc_count_all()
        self.day = array.array("I", (int(v or 0) for v in reader.column_reader("day")))
        self.month = array.array("I", (d // 100 for d in self.day))
        self.year = array.array("I", (d // 10000 for d in self.day))
        self.sources, self.source = _ordinals(reader.column_reader("source"))
        self.names, self.figures = _figure_lists(reader, self.doc_count)
        day = self.day
        #: Document numbers newest first (ties by number) and oldest first, for date-sorted pages.
        self.newest = array.array("I", sorted(range(self.doc_count), key=lambda d: (-day[d], d)))
        self.oldest = array.array("I", sorted(range(self.doc_count), key=lambda d: (day[d], d)))
        self._lengths = {}

    def field_lengths(self, reader, field) -> array.array:
        """Each document's length in ``field`` (for BM25), read once per segment."""
        found = self._lengths.get(field)
        if found is None:
            found = array.array("f", (reader.doc_field_length(d, field, 0) or 0 for d in range(self.doc_count)))
            self._lengths[field] = found
        return found


def _ordinals(column):
    names, ords, lookup = [], array.array("I"), {}
    for value in column:
        value = value.decode("utf-8") if isinstance(value, bytes) else (value or "")
        if value not in lookup:
            lookup[value] = len(names)
            names.append(value)
        ords.append(lookup[value])
    return names, ords


def _figure_lists(reader, doc_count):
    """Figure names, and per document the tuple of its figures' ordinals into that list."""
    names, per_doc = [], [[] for _ in range(doc_count)]
    for term in reader.lexicon("figures"):
        ordinal = len(names)
        names.append(term.decode("utf-8"))
        for docnum in reader.postings("figures", term).all_ids():
            per_doc[docnum].append(ordinal)
    return names, [tuple(figures) for figures in per_doc]


def segment_facets(reader) -> SegmentFacets:
    """The (cached) facet arrays of a single-segment reader."""
    key = reader.segment().segment_id()
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is None:
            found = _CACHE[key] = SegmentFacets(reader)
            BUILD_COUNT["segments"] += 1
    return found


def forget_other_segments(live_ids) -> None:
    """Drop cached arrays of segments no longer in the index."""
    with _CACHE_LOCK:
        for key in list(_CACHE):
            if key not in live_ids:
                del _CACHE[key]


def leaves(searcher):
    """``(segment reader, docnum offset, SegmentFacets)`` for each segment of a searcher's index."""
    found = []
    for reader, offset in searcher.reader().leaf_readers():
        found.append((reader, offset, segment_facets(reader)))
    forget_other_segments({r.segment().segment_id() for r, _, _ in found})
    return found


def count_figures(facets: SegmentFacets, docnums, counter: collections.Counter) -> None:
    """Add the figures of ``docnums`` (local to the segment) to ``counter`` (keyed by name)."""
    local = collections.Counter(itertools.chain.from_iterable(map(facets.figures.__getitem__, docnums)))
    names = facets.names
    for ordinal, n in local.items():
        counter[names[ordinal]] += n


def count_values(values: array.array, docnums, counter: collections.Counter) -> None:
    """Add ``values[d]`` for each of ``docnums`` to ``counter`` (years, months or days)."""
    counter.update(map(values.__getitem__, docnums))


def count_sources(facets: SegmentFacets, docnums, counter: collections.Counter) -> None:
    """Add the sources of ``docnums`` to ``counter`` (keyed by name)."""
    local = collections.Counter(map(facets.source.__getitem__, docnums))
    for ordinal, n in local.items():
        counter[facets.sources[ordinal]] += n
