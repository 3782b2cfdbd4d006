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
import re
import threading

#: Built :class:`SegmentFacets`, by segment id, and how many times one was built (a test counts them).
_CACHE = collections.OrderedDict()
MAX_CACHED_SEGMENTS = 64
_CACHE_LOCK = threading.Lock()
BUILD_COUNT = collections.Counter()


class SegmentFacets:
    """Per-document facet values of one index segment."""

    def __init__(self, reader, aliases=None):
        self.doc_count = reader.doc_count_all()
        self.day = array.array("I", (int(v or 0) for v in reader.column_reader("day")))
        self.month = array.array("I", (d // 100 for d in self.day))
        self.year = array.array("I", (d // 10000 for d in self.day))
        self.sources, self.source = _ordinals(reader.column_reader("source"))
        if "cluster" in reader.schema and self.doc_count:
            self.clusters, self.cluster = _ordinals(reader.column_reader("cluster"))
        else:  # an index written before clusters existed: every article stands alone
            self.clusters, self.cluster = _ordinals(reader.column_reader("id"))
        self.names, self.figures = _figure_lists(reader, self.doc_count, aliases or NO_ALIASES)
        day = self.day
        #: Document numbers newest first (ties by number) and oldest first, for date-sorted pages.
        self.newest = array.array("I", sorted(range(self.doc_count), key=lambda d: (-day[d], d)))
        self.oldest = array.array("I", sorted(range(self.doc_count), key=lambda d: (day[d], d)))
        self._lengths = {}
        self._title_words = None

    def title_words(self, reader) -> collections.Counter:
        """How many titles of this segment use each word (for autocomplete), read once."""
        if self._title_words is None:
            titles = (fields.get("title") for fields in reader.all_stored_fields())
            self._title_words = title_word_counts(titles)
        return self._title_words

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


def _figure_lists(reader, doc_count, aliases):
    """Canonical figure names, and per document the tuple of its figures' ordinals into that list."""
    names, lookup, per_doc = [], {}, [[] for _ in range(doc_count)]
    for term in reader.lexicon("figures"):
        name = aliases.canonical(term.decode("utf-8"))
        ordinal = lookup.get(name)
        if ordinal is None:
            ordinal = lookup[name] = len(names)
            names.append(name)
        for docnum in reader.postings("figures", term).all_ids():
            if ordinal not in per_doc[docnum]:
                per_doc[docnum].append(ordinal)
    return names, [tuple(figures) for figures in per_doc]


def segment_facets(reader, aliases=None) -> SegmentFacets:
    """The (cached) facet arrays of a single-segment reader, with figures under their canonical names."""
    aliases = aliases or NO_ALIASES
    key = (reader.segment().segment_id(), aliases.version)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is None:
            found = _CACHE[key] = SegmentFacets(reader, aliases)
            BUILD_COUNT["segments"] += 1
            while len(_CACHE) > MAX_CACHED_SEGMENTS:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
    return found


def leaves(searcher):
    """``(segment reader, docnum offset, SegmentFacets)`` for each segment of a searcher's index."""
    aliases = searcher_aliases(searcher)
    return [(reader, offset, segment_facets(reader, aliases))
            for reader, offset in searcher.reader().leaf_readers()]


def searcher_aliases(searcher) -> "FigureAliases":
    """The figure aliases a :class:`~search.service.SearchService` attached to its searcher."""
    return getattr(searcher, "figure_aliases", None) or NO_ALIASES


class FigureAliases:
    """Canonical figure names: ``{variant: canonical}`` and back (see :mod:`index.aliases`)."""

    def __init__(self, mapping: dict, version: str = ""):
        self.mapping = mapping
        self.version = version
        self._variants = collections.defaultdict(set)
        for variant, canonical in mapping.items():
            self._variants[canonical].add(variant)

    def canonical(self, name: str) -> str:
        """The name a figure is shown, counted and filtered under."""
        return self.mapping.get(name, name)

    def variants(self, name: str) -> set:
        """Every stored spelling that stands for the same person as ``name``."""
        canonical = self.canonical(name)
        return {canonical} | self._variants.get(canonical, set())

    def names(self, names) -> list:
        """``names`` under their canonical names, each once, in order."""
        return list(dict.fromkeys(self.canonical(n) for n in names))


NO_ALIASES = FigureAliases({})


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


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def title_word_counts(titles) -> collections.Counter:
    """How many titles use each word (lower case, as written otherwise)."""
    counts = collections.Counter()
    for title in titles:
        counts.update({word.lower() for word in _TITLE_WORD.findall(title or "")})
    return counts
