"""The front door of the read side: :func:`run_search` turns a :class:`SearchRequest` into plain data.

Like ``Searcher.search`` it runs in three steps:

1. find the matching documents of every segment as sets (query, then figure and date filters),
   counting facets from cached per-segment arrays (:mod:`search.facets`);
2. rank only what the page needs: Whoosh's BM25F scorer for relevance, the ``day`` array for dates;
3. shape the page: stored fields and highlighted snippets for its hits only.
"""

import collections
import html
import dataclasses
import heapq
import math
import time

from whoosh import query as wq

from search import facets as fc
from search.query import parse_query
from search.request import BadRequest
from search.request import SearchRequest
from search.snippets import find_matches
from search.snippets import highlight
from search.snippets import query_terms
from search.snippets import snippet
from search.spelling import suggest

#: Facet values returned when a client does not ask for more.
FACET_SIZE = 20


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """One page of results with its facets; :meth:`to_json` is the API's response body."""

    request: SearchRequest
    total: int
    hits: list
    facets: dict
    took_ms: float
    interpreted_as: str | None = None
    warnings: tuple = ()
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, math.ceil(self.total / self.request.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.request.echo(),
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "pages": self.pages,
            "took_ms": round(self.took_ms, 1),
            "interpreted_as": self.interpreted_as,
            "warnings": list(self.warnings),
            "hits": self.hits,
            "facets": self.facets,
            "suggestion": self.suggestion,
        }


@dataclasses.dataclass
class _Segment:
    """Matching documents of one segment: before and after the selections that facets exclude."""

    offset: int
    facets: fc.SegmentFacets
    common: list
    final: list


def run_search(searcher, req: SearchRequest, facet_size: int = FACET_SIZE) -> SearchResult:
    """Run one search.

    :param searcher: a Whoosh searcher (see :class:`search.service.SearchService`).
    :raise search.query.BadQuery: for a query that cannot be made sense of.
    :raise search.request.BadRequest: for a page past the end.
    """
    started = time.perf_counter()
    parsed = parse_query(req.q) if req.q else None
    query = parsed.query if parsed else None
    segments = [_match_segment(s, r, offset, f, query, req) for s, r, offset, f in _leaves(searcher)]
    total = sum(len(seg.final) for seg in segments)
    pages = max(1, math.ceil(total / req.per_page))
    if req.page > pages:
        raise BadRequest("page", f"page {req.page} is past the last page ({pages}) of {total} results")
    ranked = _rank(searcher, query, segments, req)
    terms = query_terms(query, searcher.reader()) if query is not None else None
    hits = [_hit(searcher, docnum, score, terms) for docnum, score in ranked]
    return SearchResult(
        request=req,
        total=total,
        hits=hits,
        facets=_facets(segments, req, facet_size),
        took_ms=(time.perf_counter() - started) * 1000,
        interpreted_as=parsed.interpreted_as if parsed else None,
        warnings=parsed.warnings if parsed else (),
        suggestion=_suggestion(searcher, parsed) if parsed and not total else None,
    )


def _leaves(searcher):
    subsearchers = searcher.subsearchers if searcher.subsearchers else [(searcher, 0)]
    by_offset = {offset: s for s, offset in subsearchers}
    for reader, offset, facets in fc.leaves(searcher):
        yield by_offset[offset], reader, offset, facets


def _match_segment(subsearcher, reader, offset, facets, query, req) -> _Segment:
    if query is None:
        docs = reader.all_doc_ids()
    elif query is wq.NullQuery:
        docs = ()
    else:
        docs = query.docs(subsearcher)
    docs = set(docs)
    for name in req.figures:
        docs &= _postings(reader, "figures", name)
    low, high = _day_bounds(req)
    day = facets.day
    common = sorted(d for d in docs if low <= day[d] <= high) if (low or high < 99999999) else sorted(docs)
    keep = _date_selector(req), _source_selector(facets, req)
    final = [d for d in common if all(ok(d, facets) for ok in keep if ok)]
    return _Segment(offset, facets, common, final)


def _postings(reader, field, text) -> set:
    if not reader.doc_frequency(field, text):
        return set()
    return set(reader.postings(field, text).all_ids())


def _day_bounds(req):
    low = int(req.date_from.strftime("%Y%m%d")) if req.date_from else 0
    high = int(req.date_to.strftime("%Y%m%d")) if req.date_to else 99999999
    return low, high


def _date_selector(req, years=True, months=True):
    """A test ``ok(docnum, facets)`` for the selected years and months, or None when none are."""
    wanted_years = set(req.years) if years else set()
    wanted_months = {int(m.replace("-", "")) for m in req.months} if months else set()
    if not wanted_years and not wanted_months:
        return None

    def ok(d, facets):
        day = facets.day[d]
        year_ok = not wanted_years or day // 10000 in wanted_years
        return year_ok and (not wanted_months or day // 100 in wanted_months)

    return ok


def _source_selector(facets, req):
    if not req.sources:
        return None
    wanted = set(req.sources)
    return lambda d, f: f.sources[f.source[d]] in wanted


def _rank(searcher, query, segments, req):
    """``(global docnum, score or None)`` for the hits of the requested page."""
    start, stop = (req.page - 1) * req.per_page, req.page * req.per_page
    if req.sort == "relevance" and query is not None and query is not wq.NullQuery:
        allowed = {seg.offset + d for seg in segments for d in seg.final}
        results = searcher.search(query, limit=stop, filter=allowed)
        return [(hit.docnum, hit.score) for hit in results[start:stop]]
    newest = req.sort != "oldest"
    keyed = ((seg.facets.day[d], seg.offset + d) for seg in segments for d in seg.final)
    pick = heapq.nlargest if newest else heapq.nsmallest
    order = pick(stop, keyed, key=lambda pair: (pair[0], -pair[1] if newest else pair[1]))
    return [(docnum, None) for _, docnum in order[start:stop]]


def _hit(searcher, docnum, score, terms) -> dict:
    fields = searcher.stored_fields(docnum)
    body, title = fields.get("body") or "", fields.get("title") or ""
    return {
        "id": fields["id"],
        "title": title,
        "date": _date_text(fields),
        "year": fields.get("year") or None,
        "figures": split_figures(fields.get("figures")),
        "url": fields.get("url"),
        "source": fields.get("source"),
        "snippet": snippet(body, terms),
        "title_html": highlight(title, find_matches(title, terms)) if terms else html.escape(title),
        "score": round(score, 4) if score is not None else None,
    }


def split_figures(value) -> list:
    """The figure names stored in one document's ``figures`` field."""
    return [name for name in (value or "").split(",") if name]


def _date_text(fields):
    date = fields.get("date")
    return date.date().isoformat() if date else None


def _facets(segments, req, size) -> dict:
    """Facet value lists; each date or source facet ignores its own selection (multi-select)."""
    figures, years, months, sources = (collections.Counter() for _ in range(4))
    one_year = req.years[0] if len(req.years) == 1 else None
    for seg in segments:
        f = seg.facets
        source_ok = _source_selector(f, req) or (lambda d, f: True)
        month_ok = _date_selector(req, years=False) or (lambda d, f: True)
        date_ok = _date_selector(req) or (lambda d, f: True)
        fc.count_figures(f, seg.final, figures)
        fc.count_days(f, [d for d in seg.common if source_ok(d, f)], years, 10000)
        if one_year is not None:
            in_year = [d for d in seg.common if f.day[d] // 10000 == one_year and source_ok(d, f)]
            fc.count_days(f, in_year, months, 100)
        fc.count_sources(f, [d for d in seg.common if date_ok(d, f) and month_ok(d, f)], sources)
    return {
        "figures": _value_list(figures, req.figures, size),
        "year": _date_list({k: n for k, n in years.items() if k}, req.years, str),
        "month": _date_list({k: n for k, n in months.items() if k % 100}, req.months, _month_text),
        "source": _value_list(sources, req.sources, size),
    }


def _value_list(counter, selected, size) -> list:
    """Values by count (then name), the selected ones always included."""
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    shown = {value for value, _ in top}
    top += [(value, counter.get(value, 0)) for value in selected if value not in shown]
    return [{"value": v, "count": n, "selected": v in selected} for v, n in top]


def _date_list(counts, selected, label) -> list:
    """Years or months in date order, the selected ones always included."""
    values = {label(k): n for k, n in counts.items()}
    for value in selected:
        values.setdefault(str(value), 0)
    chosen = {str(v) for v in selected}
    return [
        {"value": int(v) if v.isdigit() else v, "label": v, "count": values[v], "selected": v in chosen}
        for v in sorted(values)
    ]


def _month_text(key: int) -> str:
    return f"{key // 100:04d}-{key % 100:02d}"


def _suggestion(searcher, parsed):
    """A corrected query string from the index's own vocabulary, or None."""
    if parsed.query is wq.NullQuery:
        return None
    return suggest(searcher, parsed.query, parsed.text)

