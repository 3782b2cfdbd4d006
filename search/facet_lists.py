"""The facet value lists of a page of results, from the matches of every segment.

Each date, source or language facet is counted as if its own selection were removed (multi-select); the
figures facet counts through :func:`search.facets.count_figures`.
"""

import collections
import heapq

import numpy as np

from index.schema import day_from_text
from index.schema import day_text
from index.schema import month_from_text
from index.schema import month_text
from search import facets as fc
from search.languages import language_name
from search.request import UNDATED


def facet_lists(searcher, segments, req, size) -> dict:
    """Facet value lists; each date or source facet ignores its own selection (multi-select).

    Months are counted within one year (the chosen year, or the one the date range, the chosen months
    or days lie in), days within one month likewise; with no such year or month, only the chosen
    months or days are counted. Undated articles are the year facet's last value, ``undated``.
    """
    years, months, days, sources, languages = (collections.Counter() for _ in range(5))
    figures = fc.count_figures(searcher.cache, ((seg.facets, seg.final) for seg in segments))
    in_year, in_month = _date_scope(req)
    chosen_months = [month_from_text(m) for m in req.months]
    chosen_days = [day_from_text(d) for d in req.days]
    for seg in segments:
        f = seg.facets
        fc.count_values(f.year, seg.by_source, years)
        if in_year:
            fc.count_values(f.month, seg.by_source & (f.year == in_year), months)
        elif chosen_months:
            fc.count_values(f.month, seg.by_source & np.isin(f.month, chosen_months), months)
        if in_month:
            fc.count_values(f.day, seg.by_source & (f.month == in_month), days)
        elif chosen_days:
            fc.count_values(f.day, seg.by_source & np.isin(f.day, chosen_days), days)
        fc.count_sources(f, seg.by_date, sources)
        fc.count_languages(f, seg.but_language, languages)
    truncated = frozenset(name for name, counter in (("figures", figures), ("source", sources))
                          if len(counter) > size)
    return {
        "figures": _value_list(figures, req.figures, size),
        "year": _date_list(years, req.years, _year_label),
        "month": _date_list({k: n for k, n in months.items() if k % 100}, req.months, month_text),
        "day": _date_list({k: n for k, n in days.items() if k % 100}, req.days, day_text),
        "source": _value_list(sources, req.sources, size),
        "language": [dict(v, label=language_name(v["value"]))
                     for v in _value_list(languages, req.languages, len(languages))],
    }, truncated


def _date_scope(req) -> tuple:
    """The year whose months, and the month (YYYYMM) whose days, the facets count (0 for none)."""
    years = {y for y in req.years if y}
    if not years:
        years = {int(m[:4]) for m in req.months} | {int(d[:4]) for d in req.days} | _range_part(req, 4)
    in_year = years.pop() if len(years) == 1 and len(req.years) <= 1 else 0
    months = set(req.months) if req.months else {d[:7] for d in req.days} | _range_part(req, 7)
    in_month = month_from_text(months.pop()) if in_year and len(months) == 1 else 0
    return in_year, in_month if in_month // 100 == in_year else 0


def _range_part(req, width) -> set:
    """The year (``width`` 4) or month (7) a bounded date range lies in, when it lies in one."""
    if not (req.date_from and req.date_to):
        return set()
    low, high = req.date_from.isoformat()[:width], req.date_to.isoformat()[:width]
    return {int(low) if width == 4 else low} if low == high else set()


def _year_label(year: int) -> str:
    return str(year) if year else UNDATED


def _value_list(counter, selected, size) -> list:
    """Values by count (then name), the selected ones always included.

    :param counter: a Counter, or the :class:`~search.facets.FigureCounts` of the figures facet.
    """
    if isinstance(counter, fc.FigureCounts):
        top = counter.top(size)
    else:
        top = heapq.nsmallest(size, counter.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = {value for value, _ in top}
    top += [(value, counter.get(value, 0)) for value in selected if value not in shown]
    return [{"value": v, "count": n, "selected": v in selected} for v, n in top]


def _date_list(counts, selected, label) -> list:
    """Years, months or days in date order (``undated`` last), the selected ones always included."""
    values = {label(k): n for k, n in counts.items()}
    chosen = {label(v) if isinstance(v, int) else v for v in selected}
    for value in chosen:
        values.setdefault(value, 0)
    order = sorted(values, key=lambda v: (v == UNDATED, v))
    return [
        {"value": int(v) if v.isdigit() else v, "label": v, "count": values[v], "selected": v in chosen}
        for v in order
    ]
