"""The front door of the read side: :func:`run_search` turns a :class:`SearchRequest` into plain data.

Like ``Searcher.search`` it runs in three steps:

1. find the matching documents of every segment as boolean arrays (query, then figure and date
   filters), counting facets from cached per-segment arrays (:mod:`search.facets`);
2. rank only what the page needs: BM25F over the matches for relevance, the ``day`` array for dates;
3. shape the page: stored fields and highlighted snippets for its hits only.
"""

import collections
import html
import dataclasses
import math
import time

import numpy as np
from whoosh import query as wq

from index.schema import day_from_text
from index.schema import day_number
from index.schema import month_from_text
from index.schema import split_figures
from search import facets as fc
from search.duplicates import best_per_group
from search.facet_lists import facet_lists
from search.duplicates import dup_groups
from search.hits import stored_hit
from search.hits import stored_text
from search.matching import DEADLINE
from search.matching import TimeUp
from index.languages import words_language
from search.languages import index_languages
from search.query import parse_query
from search.scoring import rank
from search.request import BadRequest
from search.request import SearchRequest
from search.snippets import find_matches
from search.snippets import highlight
from search.snippets import Terms
from search.snippets import query_terms
from search.snippets import SCAN_CHARS
from search.snippets import figure_names
from search.snippets import matched_in
from search.snippets import snippet_of
from search.spelling import suggest
from search import strategy

#: Facet values returned when a client does not ask for more.
FACET_SIZE = 20


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """One page of results with its facets; :meth:`to_json` is the API's response body."""

    request: SearchRequest
    total: int
    listed: int
    hits: list
    facets: dict
    took_ms: float
    interpreted_as: str | None = None
    warnings: tuple = ()
    suggestion: str | None = None
    fuzzy: tuple = ()
    truncated: frozenset = frozenset()
    timed_out: bool = False
    #: What became of filter values that are not names the index holds (:mod:`search.filters`).
    filter_notes: tuple = dataclasses.field(default=(), compare=False)
    #: Which of the query's words the hits hold (``{"rule", "required", "of", "ignored"}``), or None.
    match: dict | None = None
    #: The matches behind this page (not part of the JSON), for follow-up counts such as co-mentions.
    matched: object = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def pages(self) -> int:
        """How many pages the results fill (near-identical stories grouped unless ``collapse=false``)."""
        return max(1, math.ceil(self.listed / self.request.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.request.echo(),
            "total": self.total,
            "listed": self.listed,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "pages": self.pages,
            "took_ms": round(self.took_ms, 1),
            "interpreted_as": self.interpreted_as,
            "match": self.match,
            "warnings": list(self.warnings),
            "hits": self.hits,
            "facets": self.facets,
            "facets_truncated": {name: name in self.truncated for name in ("figures", "source")},
            "suggestion": self.suggestion,
            "fuzzy": list(self.fuzzy),
            "timed_out": self.timed_out,
        }


@dataclasses.dataclass
class _Segment:
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


@dataclasses.dataclass
class Matched:
    """Every document matching a request, per segment, before ranking (see :func:`match`)."""

    request: SearchRequest
    parsed: object
    segments: list
    query: object = None
    widened: tuple = ()
    timed_out: bool = False
    #: Which of the query's words the matches hold (:class:`search.strategy.Rule`), and the plan.
    rule: object = None
    plan: object = None
    #: What ranking added to the query (feedback words), filled in by :func:`ordered`.
    explain: list = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(int(np.count_nonzero(seg.final)) for seg in self.segments)


def match(searcher, req: SearchRequest, time_limit: float | None = None) -> Matched:
    """Find every document matching ``req`` (query and filters), without ranking.

    The query's words are all required unless that finds few articles (see :mod:`search.strategy`).

    :param time_limit: seconds; past it, matching stops and the result is flagged ``timed_out``
        (what was found so far is kept: totals and counts are then lower bounds).
    :raise search.query.BadQuery: for a query that cannot be made sense of.
    """
    strict = req.syntax == "strict"
    parsed = parse_query(req.q, strict, index_languages(searcher)) if req.q else None
    token = DEADLINE.set(time.monotonic() + time_limit if time_limit else None)
    filtered, answers, timed_out, plan = [], [], False, None
    try:
        plan = strategy.plan(parsed, searcher) if parsed is not None else None
        for leaf in searcher.leaves:
            answer = strategy.segment_counts(plan, leaf) if plan is not None else None
            filtered.append(_filter_segment(leaf, req, searcher.aliases))
            answers.append(answer)
    except TimeUp:
        timed_out = True
        filtered = filtered[: len(answers)]
    finally:
        DEADLINE.reset(token)
    if plan is None:  # no query (or out of time before it was planned: nothing matched)
        return Matched(req, parsed, filtered if parsed is None else [], None, (), timed_out)
    rule = strategy.choose(plan, [(a, seg.final) for a, seg in zip(answers, filtered)])
    segments = [_narrowed(seg, strategy.rule_mask(plan, a, rule)) for a, seg in zip(answers, filtered)]
    return Matched(req, parsed, segments, strategy.rule_query(plan, rule), plan.widened, timed_out,
                   rule=rule, plan=plan)


def ordered(searcher, matched: Matched, start: int, stop: int, grouped: bool = False):
    """``(global docnum, score or None)`` for matches ``start``–``stop`` in the request's sort order.

    :param grouped: list one article per cluster of near-identical stories.
    """
    groups = dup_groups(searcher) if grouped else None
    words = len(matched.plan.content) if matched.plan is not None else 0
    return _rank(searcher, matched.query, matched.segments, matched.request, start, stop, groups, words,
                 matched.explain)


def make_hit(searcher, docnum: int, score, matched: Matched, terms=None) -> dict:
    """One hit as the API returns it (stored fields, snippet, highlighted title).

    :param terms: :func:`highlight_terms` of ``matched``, when the caller makes many hits.
    """
    if terms is None:
        terms = highlight_terms(searcher, matched)
    return _hit(searcher, docnum, score, terms or None)


def highlight_terms(searcher, matched: Matched):
    """What the hits of ``matched`` highlight: the query's words, and the selected figures' names
    (every spelling the index merged)."""
    names = [v for name in matched.request.figures for v in searcher.aliases.variants(name)]
    figures = figure_names(names)
    if matched.query is None:
        return Terms(figures=figures)
    return dataclasses.replace(query_terms(matched.query, searcher.reader()), figures=figures)


def run_search(searcher, req: SearchRequest, facet_size: int = FACET_SIZE,
               time_limit: float | None = None) -> SearchResult:
    """Run one search.

    :param searcher: a Whoosh searcher (see :class:`search.service.SearchService`).
    :param time_limit: seconds for matching; past it the result is partial and ``timed_out``.
    :raise search.query.BadQuery: for a query that cannot be made sense of.
    :raise search.request.BadRequest: for a page past the end.
    """
    started = time.perf_counter()
    matched = match(searcher, req, time_limit)
    total = matched.total
    grouped = req.collapse and not req.cluster
    groups = dup_groups(searcher)
    cluster_counts = groups.counts(matched.segments) if groups.members else collections.Counter()
    listed = groups.listed_count(total, cluster_counts) if grouped else total
    pages = max(1, math.ceil(listed / req.per_page))
    if req.page > pages:
        raise BadRequest("page", f"page {req.page} is past the last page ({pages}) of {listed} results")
    start = (req.page - 1) * req.per_page
    ranked = ordered(searcher, matched, start, start + req.per_page, grouped=grouped)
    terms = highlight_terms(searcher, matched)
    parsed = matched.parsed
    facets, truncated = facet_lists(searcher, matched.segments, req, facet_size)
    hits = [_hit(searcher, docnum, score, terms) for docnum, score in ranked]
    for hit in hits:
        hit["similar"] = max(0, cluster_counts.get(hit["cluster"], 0) - 1)
    return SearchResult(
        request=req,
        total=total,
        listed=listed,
        hits=hits,
        facets=facets,
        truncated=truncated,
        took_ms=(time.perf_counter() - started) * 1000,
        interpreted_as=" ".join([str(matched.query), *matched.explain[:1]]) if parsed else None,
        warnings=strategy.warnings(parsed, matched.plan, matched.rule)
        + tuple(_widened_warning(w) for w in matched.widened),
        match=matched.rule.to_json() if matched.rule else None,
        suggestion=_suggestion(searcher, parsed) if parsed and (matched.widened or not total) else None,
        fuzzy=tuple(w.to_json() for w in matched.widened),
        timed_out=matched.timed_out,
        matched=matched,
    )


def _widened_warning(widened) -> str:
    also = ", ".join(widened.matched)
    return f"'{widened.word}' is not in the index; also matched near spellings: {also}"


def _filter_segment(leaf, req, aliases) -> _Segment:
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
    return _Segment(leaf.offset, leaf, f, docs, by_source, by_date, final, but_language)


def _narrowed(seg: _Segment, matching: np.ndarray) -> _Segment:
    """``seg`` with only the documents the query matches."""
    return _Segment(seg.offset, seg.leaf, seg.facets, seg.common & matching, seg.by_source & matching,
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


def _rank(searcher, query, segments, req, start, stop, groups=None, words=0, explain=None):
    """``(global docnum, score or None)`` for the hits ``start``–``stop`` in the requested order.

    :param groups: a :class:`~search.duplicates.DupGroups` to list one article per cluster.
    :param words: the query's content words (long queries get feedback, see :mod:`search.scoring`).
    """
    group_of = groups.group_of if groups is not None else {}
    extra = groups.matching_members(segments) if groups is not None else 0
    if req.sort == "relevance" and query is not None and query is not wq.NullQuery:
        return rank(searcher, query, segments, stop, group_of, extra, content_words=words,
                    explain=explain)[start:stop]
    newest = req.sort != "oldest"
    picked = []
    for seg in segments:
        picked.extend(_by_date_order(seg, stop + extra, newest))
    picked.sort()
    listed = list(best_per_group(((docnum, None) for _, docnum in picked), group_of))
    return listed[start:stop]


#: The sort key of an undated article, oldest first: after every dated one (as it is newest first).
_UNDATED_LAST = 10**9


def _by_date_order(seg, stop, newest):
    """The first ``stop`` documents of a segment in date order, as ``(sort key, global docnum)``.

    Undated articles come after the dated ones in both orders.
    """
    order = seg.facets.newest if newest else seg.facets.oldest
    chosen = order[seg.final[order]][:stop]
    days = seg.facets.day[chosen]
    keys = (-days if newest else np.where(days > 0, days, _UNDATED_LAST)).tolist()
    docnums = (chosen + seg.offset).tolist()
    return [((key, docnum), docnum) for key, docnum in zip(keys, docnums)]


def _hit(searcher, docnum, score, terms) -> dict:
    fields = searcher.stored_fields(docnum)
    hit = stored_hit(fields, searcher.aliases)
    terms = terms.in_language(words_language(hit["language"])) if terms else terms
    title = hit["title"]
    body = stored_text(fields, "body")[:SCAN_CHARS]
    spans = find_matches(body, terms) if terms else []
    title_spans = find_matches(title, terms) if terms else []
    hit["snippet"] = snippet_of(body, spans)
    hit["title_html"] = highlight(title, title_spans) if terms else html.escape(title)
    hit["matched_in"] = matched_in(terms, title, title_spans, body, spans, split_figures(fields.get("figures")))\
        if terms else []
    hit["score"] = round(score, 4) if score is not None else None
    return hit


def _suggestion(searcher, parsed):
    """A corrected query string from the index's own vocabulary, or None."""
    if parsed.query is wq.NullQuery:
        return None
    return suggest(searcher, parsed.query, parsed.text)

