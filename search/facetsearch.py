"""Searching the values of the figures facet: "rudeni" finds "Igor Rudeni", within the current results.

Counts follow the search's own rules (a figure's count is the number of hits you get by adding it), so
the values found here agree with the facet list beside the results.
"""

from index.analysis import lower_unaccented
from search import facets as fc
from search.engine import match
from search.request import SearchRequest

#: Values returned at most.
MAX_VALUES = 100


def name_matches(name: str, prefix: str) -> bool:
    """True when the whole name or any word of it begins with ``prefix`` (lower case, accents folded)."""
    folded = lower_unaccented(name)
    return folded.startswith(prefix) or any(word.startswith(prefix) for word in folded.split())


def figure_values(searcher, req: SearchRequest, prefix: str = "", limit: int = 50,
                  matched=None) -> dict:
    """Figures of the current results whose name matches ``prefix``, by count.

    :param matched: the request's matches when the caller has them already (no second match).
    :return: ``{"facet", "prefix", "total", "values": [{value, count, selected}], "truncated",
        "timed_out"}`` (``timed_out``: matching stopped at the time limit, so counts are lower bounds).
    """
    limit = max(1, min(limit, MAX_VALUES))
    matched = matched or match(searcher, req)
    counts = fc.count_figures(searcher.cache, ((seg.facets, seg.final) for seg in matched.segments))
    wanted = lower_unaccented(" ".join(prefix.split()))
    found = [(name, n) for name, n in counts.items() if not wanted or name_matches(name, wanted)]
    found.sort(key=lambda item: (-item[1], item[0]))
    values = [{"value": name, "count": n, "selected": name in req.figures} for name, n in found[:limit]]
    return {"facet": "figures", "prefix": prefix, "total": matched.total, "values": values,
            "truncated": len(found) > limit, "timed_out": matched.timed_out}
