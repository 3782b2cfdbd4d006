"""Named figures seen from the index: co-mentions in a result set, and one figure's profile.

Both are counted from the cached per-segment arrays of :mod:`search.facets` (each document's figures
and publication ``day``), never from stored fields, so co-mentions can run on every search: the
matches naming a figure are its documents (from the arrays) in the result set, and their figures are
counted with one ``bincount``.
"""

import collections

import numpy as np

from index.schema import day_month
from index.schema import day_text
from index.schema import month_text
from search import facets as fc
from search.engine import Matched
from search.engine import make_hit
from search.engine import match
from search.engine import ordered
from search.request import SearchRequest

#: Co-mentioned figures listed per figure.
CO_MENTIONS = 10
#: When no figure is selected, co-mentions are given for this many of the result set's top figures.
TOP_FIGURES = 5
#: Most recent articles shown on a figure's profile.
RECENT = 10

class FigureNotFound(LookupError):
    """No article names this figure"""


def co_mentions(searcher, matched: Matched, size: int = CO_MENTIONS, top=TOP_FIGURES) -> list:
    """For each selected figure (or the result set's ``top`` ones), the figures most often named with it.

    Counts are numbers of matching articles naming both. Selected figures are named by every match,
    so they are left out of each other's lists. Names are canonical
    (see :class:`search.facets.FigureAliases`).

    :param top: how many top figures to take when none is selected, or their names when the caller
        has counted them already (the first values of the figures facet).
    :return: ``[{"figure": name, "with": [{"value": name, "count": n}, …]}, …]``.
    """
    selected = searcher.aliases.names(matched.request.figures)
    figures = selected or (list(top) if not isinstance(top, int) else top_figures(searcher, matched, top))
    pairs = _pair_counts(searcher, matched, figures)
    skip = set(selected)
    return [{"figure": name, "with": _top(pairs[name], skip | {name}, size)} for name in figures]


def top_figures(searcher, matched: Matched, n: int) -> list:
    """The ``n`` figures named by most matches (ties by name), as the figures facet orders them."""
    counts = fc.count_figures(searcher.cache, ((seg.facets, seg.final) for seg in matched.segments))
    return [name for name, _ in counts.top(n)]


def figure_profile(searcher, name: str, recent: int = RECENT, size: int = CO_MENTIONS) -> dict:
    """Everything the index knows about one figure: counts, dates, co-mentions and recent articles.

    Another spelling of a figure (an alias) gives the figure's profile under its canonical name.

    :raise FigureNotFound: when no article names ``name`` (names are matched exactly).
    """
    name = searcher.aliases.canonical(name)
    matched = match(searcher, SearchRequest(figures=(name,), sort="newest"))
    if not matched.total:
        raise FigureNotFound(f"No article names the figure {name!r}")
    days = collections.Counter()
    for seg in matched.segments:
        fc.count_values(seg.facets.day, seg.final, days)
    dated = sorted(day for day in days if day)
    return {
        "name": name,
        "articles": matched.total,
        "undated": days.get(0, 0),
        "first": day_text(dated[0]) if dated else None,
        "last": day_text(dated[-1]) if dated else None,
        "per_month": per_month(days),
        "co_mentions": _top(_pair_counts(searcher, matched, [name])[name], {name}, size),
        "recent": [make_hit(searcher, docnum, None, matched)
                   for docnum, _ in ordered(searcher, matched, 0, recent)],
    }


def per_month(days: collections.Counter) -> list:
    """Articles per month from counts per ``YYYYMMDD`` day, every month from the first to the last.

    Year-only (``YYYY0000``) and undated (0) days are left out; months without articles count 0.
    """
    months = collections.Counter()
    for day, n in days.items():
        if day % 10000:
            months[day_month(day)] += n
    if not months:
        return []
    first, last = min(months), max(months)
    found = []
    for index in range(_month_index(first), _month_index(last) + 1):
        key = (index // 12) * 100 + index % 12 + 1
        found.append({"month": month_text(key), "count": months.get(key, 0)})
    return found


def _month_index(key: int) -> int:
    return (key // 100) * 12 + key % 100 - 1


def _pair_counts(searcher, matched: Matched, figures: list) -> dict:
    """For each of ``figures``, the :class:`~search.facets.FigureCounts` of the matches naming it.

    Only the (document, figure) pairs of matching documents are looked at: they are picked out once,
    then for each figure its documents among them are marked and their pairs counted.
    """
    table = fc.figure_table(searcher.cache, [seg.facets for seg in matched.segments])
    inside = []
    for seg in matched.segments:
        f = seg.facets
        keep = seg.final[f.fig_doc]
        inside.append((f.fig_doc[keep], table.ordinals(f)[keep], f.doc_count))
    counters = {}
    for name in figures:
        wanted = table.index.get(name)
        counts = np.zeros(len(table.names), dtype=np.int64)
        for docs, ordinals, size in inside if wanted is not None else ():
            named = np.zeros(size, dtype=bool)
            named[docs[ordinals == wanted]] = True
            counts += np.bincount(ordinals[named[docs]], minlength=len(table.names))
        counters[name] = fc.FigureCounts(table.names, counts)
    return counters


def _top(counts: fc.FigureCounts, skip: set, size: int) -> list:
    return [{"value": v, "count": n} for v, n in counts.top(size, skip)]
