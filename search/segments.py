"""The documents of one segment that pass a request's filters (figures, cluster, languages, sources,
dates), kept apart by the selections the facets leave out so that each facet counts its alternatives.
"""

import dataclasses

import numpy as np

from index.schema import day_from_text
from index.schema import day_number
from index.schema import month_from_text
from search import facets as fc


@dataclasses.dataclass
class Segment:
    """Matching documents of one segment, before and after the selections facets exclude.

    Each is a boolean array over the segment's documents (deleted ones always False). ``common``
    matches the query, figures and cluster; ``by_source`` adds the source selection, ``by_date`` the
    date selections (years, months, days and the date range), both with the language selection;
    ``final`` has all of them; ``but_language`` all but the language selection.
    """

    offset: int
    leaf: object
    facets: fc.SegmentFacets
    common: np.ndarray
    by_source: np.ndarray
    by_date: np.ndarray
    final: np.ndarray
    but_language: np.ndarray


def filter_segment(leaf, req, aliases) -> Segment:
    """A segment's live documents that pass the request's filters (the query not yet applied)."""
    f = leaf.facets
    docs = leaf.live.copy()
    for name in req.figures:
        # The facet arrays hold each figure under its canonical name, every spelling included.
        named = np.zeros(f.doc_count, dtype=bool)
        named[f.figure_docs(aliases.canonical(name))] = True
        docs &= named
    if req.cluster:
        docs &= np.isin(f.cluster, [i for i, key in enumerate(f.clusters) if key == req.cluster])
    in_language = _by_language(f, docs, req.languages)
    by_source = _by_source(f, in_language, req.sources)
    by_date = _by_date(f, in_language, req)
    final = by_source & by_date
    but_language = _by_source(f, docs, req.sources) & _by_date(f, docs, req) if req.languages else final
    return Segment(leaf.offset, leaf, f, docs, by_source, by_date, final, but_language)


def narrowed(seg: Segment, matching: np.ndarray) -> Segment:
    """``seg`` with only the documents the query matches."""
    return Segment(seg.offset, seg.leaf, seg.facets, seg.common & matching, seg.by_source & matching,
                    seg.by_date & matching, seg.final & matching, seg.but_language & matching)


def _day_bounds(req):
    low = day_number(req.date_from) if req.date_from else 0
    high = day_number(req.date_to) if req.date_to else 99999999
    return low, high


def _in_range(day, low, high):
    """Dated articles in ``low``–``high`` (``day`` numbers): a full date inside the range, or a known
    year (``YYYY0000``) wholly inside it. An undated article is never in a date range."""
    year_only = day % 10000 == 0
    full = ~year_only & (day >= low) & (day <= high)
    whole_year = year_only & (day > 0) & (day + 101 >= low) & (day + 1231 <= high)
    return full | whole_year


def _by_source(f, docs, sources):
    if not sources:
        return docs
    return docs & np.isin(f.source, [i for i, name in enumerate(f.sources) if name in sources])


def _by_language(f, docs, languages):
    if not languages:
        return docs
    return docs & np.isin(f.language, [i for i, code in enumerate(f.languages) if code in languages])


def _by_date(f, docs, req):
    """``docs`` narrowed by the date selections: years, months, days (any of each) and the range."""
    if req.days:
        docs = docs & np.isin(f.day, [day_from_text(d) for d in req.days])
    if req.years:
        docs = docs & np.isin(f.year, list(req.years))
    if req.months:
        docs = docs & np.isin(f.month, [month_from_text(m) for m in req.months])
    if req.date_from or req.date_to:
        docs = docs & _in_range(f.day, *_day_bounds(req))
    return docs
