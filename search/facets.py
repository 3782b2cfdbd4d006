"""Facet counts from per-segment structures built once, not re-read on every query.

Whoosh's ``groupedby`` facets re-read the figures field for every search. Instead, for each index
segment this module builds, once, compact arrays: each document's publication ``day`` (``YYYYMMDD``),
its source and its figures (as ordinals into a names list). Segments never change after they are
written (deletions only hide documents), so a :class:`SegmentFacets` stays valid for the segment's
life and is shared by all threads (kept in the service's cache, see :class:`search.searcher.Leaf`).
Counting a facet is then one numpy ``bincount`` or ``unique`` over the matching documents (a boolean
array per segment).

Selections follow faceted-search conventions: several figures mean *all* of them; several years,
months or sources mean *any* of them, and each of those facets is counted as if its own selection were
removed, so alternatives keep their true counts.
"""

import bisect
import collections
import re
import sys

import numpy as np

from index.schema import day_month
from index.schema import day_year
from index.whoosh_compat.reading import bytes_column
from index.whoosh_compat.reading import is_block_reader
from index.whoosh_compat.reading import numeric_column
from index.whoosh_compat.reading import term_documents
from search.aliases import NO_ALIASES


class SegmentFacets:
    """Per-document facet values of one index segment, as numpy arrays indexed by document number.

    ``fig_doc`` and ``fig_ord`` list every (document, figure) pair of the segment: counting the figures
    of a set of documents is one ``bincount`` over the pairs whose document is in the set.
    """

    def __init__(self, reader, aliases=NO_ALIASES):
        self.segment_id = reader.segment().segment_id()
        self.aliases_version = aliases.version
        self.doc_count = reader.doc_count_all()
        self.day = _day_column(reader, self.doc_count)
        self.month = day_month(self.day)
        self.year = day_year(self.day)
        self.sources, self.source = _ordinals(column_values(reader, "source"), self.doc_count)
        self.languages, self.language = _ordinals(column_values(reader, "language"), self.doc_count)
        # an index written before clusters existed: every article stands alone
        clusters = "cluster" if "cluster" in reader.schema and self.doc_count else "id"
        self.clusters, self.cluster = _ordinals(column_values(reader, clusters), self.doc_count)
        self.names, self.fig_doc, self.fig_ord = _figure_pairs(reader, aliases)
        self.name_ordinals = {name: i for i, name in enumerate(self.names)}
        order = np.argsort(self.fig_ord, kind="stable")
        #: The pairs again, grouped by figure: the documents of figure ``o`` are
        #: ``by_figure[starts[o]:starts[o + 1]]``.
        self.by_figure = self.fig_doc[order]
        self.starts = np.searchsorted(self.fig_ord[order], np.arange(len(self.names) + 1))
        docs = np.arange(self.doc_count)
        #: Document numbers newest first (ties by number) and oldest first, for date-sorted pages;
        #: undated articles (day 0) last in both.
        self.newest = np.lexsort((docs, -self.day))
        self.oldest = np.lexsort((docs, self.day, self.day == 0))

    @property
    def nbytes(self) -> int:
        """About how much memory this takes (arrays, and the names they point into)."""
        arrays = (self.day, self.month, self.year, self.source, self.language, self.cluster, self.fig_doc,
                  self.fig_ord,
                  self.by_figure, self.starts, self.newest, self.oldest)
        return sum(a.nbytes for a in arrays) + names_bytes(self.names) + names_bytes(self.sources) \
            + names_bytes(self.languages) \
            + names_bytes(self.clusters) + 100 * len(self.name_ordinals)

    def figure_docs(self, name: str) -> np.ndarray:
        """The documents of this segment naming the figure (canonical name)."""
        ordinal = self.name_ordinals.get(name)
        if ordinal is None:
            return np.zeros(0, dtype=np.int64)
        return self.by_figure[self.starts[ordinal]:self.starts[ordinal + 1]]


def _day_column(reader, size) -> np.ndarray:
    if not size:
        return np.zeros(0, dtype=np.int64)
    found = numeric_column(reader, "day")
    if found is None:  # a column of another kind: Whoosh's reader, one document at a time
        found = np.fromiter((int(v or 0) for v in reader.column_reader("day")), dtype=np.int64, count=size)
    return found


def column_values(reader, field):
    """Each document's value in a sortable ID field (``bytes``, or ``str`` from Whoosh's reader)."""
    found = bytes_column(reader, field)
    return found if found is not None else reader.column_reader(field)


def _ordinals(column, size):
    """``(names, ordinals)``: the distinct values of ``column`` in order of first use (text), and each
    document's ordinal into them."""
    ords, lookup = [], {}
    for value in column:
        ords.append(lookup.setdefault(value if value is not None else "", len(lookup)))
    names = [value.decode("utf-8") if isinstance(value, bytes) else (value or "") for value in lookup]
    return names, np.array(ords[:size] if size else [], dtype=np.int64)


def _figure_pairs(reader, aliases):
    """Canonical figure names (those of deleted documents too), and every (document, figure ordinal)
    pair of the live documents, each pair once."""
    names, lookup, docs, ords = [], {}, [], []
    for term, found in _figure_postings(reader):
        name = aliases.canonical(term.decode("utf-8") if isinstance(term, bytes) else term)
        ordinal = lookup.get(name)
        if ordinal is None:
            ordinal = lookup[name] = len(names)
            names.append(name)
        docs.extend(found)
        ords.extend([ordinal] * len(found))
    docs, ords = np.array(docs, dtype=np.int64), np.array(ords, dtype=np.int64)
    if reader.has_deletions():
        live = ~np.isin(docs, np.fromiter(reader.deleted_docs_set, dtype=np.int64))
        docs, ords = docs[live], ords[live]
    width = max(1, len(names))
    pairs = np.unique(docs * width + ords)
    return names, pairs // width, pairs % width


def _figure_postings(reader):
    """``(figure term, its documents)`` of a segment, deleted ones included."""
    if is_block_reader(reader):
        return term_documents(reader, "figures")
    return ((term, list(reader.postings("figures", term).all_ids())) for term in reader.lexicon("figures"))


class FigureTable:
    """Every figure name of an index generation, sorted, with each segment's ordinals mapped onto it.

    Counting the figures of a result set is then one ``bincount`` per segment into a single array whose
    order is name order, so the top values (by count, then name) come from one stable sort.
    """

    def __init__(self, all_facets):
        self.names = sorted(set().union(*(f.names for f in all_facets)))
        #: ``{name: global ordinal}``.
        self.index = index = {name: i for i, name in enumerate(self.names)}
        #: Per segment (by id): the global ordinal of each (document, figure) pair of its facets.
        self.pair_ordinals = {
            f.segment_id: np.array([index[name] for name in f.names], dtype=np.int64)[f.fig_ord]
            if len(f.names) else np.zeros(0, dtype=np.int64)
            for f in all_facets
        }

    @property
    def nbytes(self) -> int:
        return names_bytes(self.names) + 100 * len(self.index) \
            + sum(a.nbytes for a in self.pair_ordinals.values())

    def ordinals(self, facets: SegmentFacets) -> np.ndarray:
        """The global ordinal of each (document, figure) pair of a segment's facets."""
        return self.pair_ordinals[facets.segment_id]

    def count(self, parts) -> "FigureCounts":
        """Figure counts of ``parts``: ``(SegmentFacets, boolean array of documents)`` pairs."""
        counts = np.zeros(len(self.names), dtype=np.int64)
        for facets, mask in parts:
            if len(facets.fig_doc):
                counts += np.bincount(self.ordinals(facets)[mask[facets.fig_doc]],
                                      minlength=len(self.names))
        return FigureCounts(self.names, counts)


def figure_table(cache, all_facets) -> FigureTable:
    """The :class:`FigureTable` of these segments' facets, kept in ``cache`` (a :class:`SearchCache`).

    Keyed by the facets themselves, not by a searcher: matches made by an older searcher (before a
    commit) are counted with the table of their own segments.
    """
    key = tuple((f.segment_id, f.aliases_version) for f in all_facets)
    return cache.get(("figure_table", key), lambda: FigureTable(all_facets))


def count_figures(cache, parts) -> "FigureCounts":
    """How many of the documents in ``parts`` (``(SegmentFacets, boolean array)`` pairs) name each figure."""
    parts = list(parts)
    return figure_table(cache, [f for f, _ in parts]).count(parts)


def names_bytes(names) -> int:
    """About how much memory a list of strings takes."""
    return sys.getsizeof(names) + sum(sys.getsizeof(name) for name in names)


class FigureCounts:
    """Counts of figures by name, held as an array in name order; only non-zero counts are values."""

    def __init__(self, names, counts):
        self.names = names
        self.counts = counts
        self._nonzero = np.flatnonzero(counts)

    def __len__(self):
        return len(self._nonzero)

    def get(self, name, default=0):
        i = bisect.bisect_left(self.names, name)
        if i < len(self.names) and self.names[i] == name and self.counts[i]:
            return int(self.counts[i])
        return default

    def items(self):
        """``(name, count)`` of every figure counted at least once, in name order."""
        names, counts = self.names, self.counts
        return [(names[i], int(counts[i])) for i in self._nonzero.tolist()]

    def top(self, n: int, skip=()) -> list:
        """The ``n`` most counted ``(name, count)``, ties by name, leaving out the names in ``skip``."""
        order = self._nonzero[np.argsort(-self.counts[self._nonzero], kind="stable")]
        found = []
        for i in order.tolist():
            if len(found) >= n:
                break
            if self.names[i] not in skip:
                found.append((self.names[i], int(self.counts[i])))
        return found


def count_values(values: np.ndarray, mask: np.ndarray, counter: collections.Counter) -> None:
    """Add ``values[d]`` for each document in ``mask`` to ``counter`` (years, months or days)."""
    found, counts = np.unique(values[mask], return_counts=True)
    for value, n in zip(found.tolist(), counts.tolist()):
        counter[value] += n


def count_sources(facets: SegmentFacets, mask: np.ndarray, counter: collections.Counter) -> None:
    """Add the sources of the documents in ``mask`` to ``counter`` (keyed by name)."""
    _count_named(facets.source, facets.sources, mask, counter)


def count_languages(facets: SegmentFacets, mask: np.ndarray, counter: collections.Counter) -> None:
    """Add the languages of the documents in ``mask`` to ``counter`` (keyed by code)."""
    _count_named(facets.language, facets.languages, mask, counter)


def _count_named(ordinals, names, mask, counter) -> None:
    found, counts = np.unique(ordinals[mask], return_counts=True)
    for ordinal, n in zip(found.tolist(), counts.tolist()):
        counter[names[ordinal]] += n


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def title_word_counts(titles) -> collections.Counter:
    """How many titles use each word (lower case, as written otherwise)."""
    counts = collections.Counter()
    for title in titles:
        counts.update({word.lower() for word in _TITLE_WORD.findall(title or "")})
    return counts
