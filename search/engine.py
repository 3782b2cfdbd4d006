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

from index.schema import split_figures
from search.duplicates import best_per_group
from search.segments import filter_segment
from search.segments import narrowed
from search.facet_lists import facet_lists
from search.duplicates import dup_groups
from search.hits import stored_hit
from search.hits import stored_text
from search import deadline as dl
from search.deadline import TimeUp
from index.languages import words_language
from search.languages import index_languages
from search.query import parse_query
from search.scoring import rank
from search.request import BadRequest
from search.request import SearchRequest
from search.snippets import find_matches
from search.passages import highlight
from search.snippets import Terms
from search.snippets import query_terms
from search.snippets import SCAN_CHARS
from search.snippets import figure_names
from search.snippets import matched_in
from search.passages import snippet_of
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
    #: What the limits changed (the expansion budget), as warnings.
    notes: tuple = ()

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
    filtered, answers, timed_out, plan = [], [], False, None
    with dl.expansion_budget() as budget, dl.within(time_limit):
        try:
            plan = strategy.plan(parsed, searcher) if parsed is not None else None
            for leaf in searcher.leaves:
                answer = strategy.segment_counts(plan, leaf) if plan is not None else None
                filtered.append(filter_segment(leaf, req, searcher.aliases))
                answers.append(answer)
        except TimeUp:
            timed_out = True
            filtered = filtered[: len(answers)]
        budget_note = budget.warning()
    if plan is None:  # no query (or out of time before it was planned: nothing matched)
        return Matched(req, parsed, filtered if parsed is None else [], None, (), timed_out)
    with dl.within(None, replace=True):  # array work over what was found: it always finishes
        rule = strategy.choose(plan, [(a, seg.final) for a, seg in zip(answers, filtered)])
    segments = [narrowed(seg, strategy.rule_mask(plan, a, rule)) for a, seg in zip(answers, filtered)]
    return Matched(req, parsed, segments, strategy.rule_query(plan, rule), plan.widened, timed_out,
                   rule=rule, plan=plan, notes=(budget_note,) if budget_note else ())


def ordered(searcher, matched: Matched, start: int, stop: int, grouped: bool = False,
            fallback: bool = True):
    """``(global docnum, score or None)`` for matches ``start``–``stop`` in the request's sort order.

    :param grouped: list one article per cluster of near-identical stories.
    :param fallback: when ranking runs out of time, list the matches newest first instead (and flag
        ``matched`` as ``timed_out``); otherwise :class:`~search.deadline.TimeUp` is raised.
    """
    groups = dup_groups(searcher) if grouped else None
    words = len(matched.plan.content) if matched.plan is not None else 0
    try:
        return _rank(searcher, matched.query, matched.segments, matched.request, start, stop, groups,
                     words, matched.explain)
    except TimeUp:
        if not fallback:
            raise
        matched.timed_out = True
        return _rank(searcher, None, matched.segments, matched.request.replace(sort="newest"), start,
                     stop, groups)


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
    try:
        terms = query_terms(matched.query, searcher)
    except TimeUp:  # out of time to expand patterns: the typed words alone are marked
        terms = query_terms(matched.query)
    return dataclasses.replace(terms, figures=figures)


def run_search(searcher, req: SearchRequest, facet_size: int = FACET_SIZE,
               time_limit: float | None = None) -> SearchResult:
    """Run one search.

    :param searcher: a Whoosh searcher (see :class:`search.service.SearchService`).
    :param time_limit: seconds for matching; past it the result is partial and ``timed_out``.
    :raise search.query.BadQuery: for a query that cannot be made sense of.
    :raise search.request.BadRequest: for a page past the end.
    """
    started, began = time.perf_counter(), time.monotonic()
    with dl.expansion_budget():
        matched = match(searcher, req, time_limit)
        # Matching had one window of ``time_limit``; ranking and snippets get what is left of
        # ``RANKED_BY`` of them, the rest of the page the remainder of two.
        with dl.within(None, until=began + dl.RANKED_BY * time_limit if time_limit else None):
            return _result(searcher, req, matched, facet_size, started)


def _result(searcher, req, matched, facet_size, started) -> SearchResult:
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
        + tuple(_widened_warning(w) for w in matched.widened) + matched.notes,
        match=matched.rule.to_json() if matched.rule else None,
        suggestion=_suggestion(searcher, parsed) if parsed and (matched.widened or not total) else None,
        fuzzy=tuple(w.to_json() for w in matched.widened),
        timed_out=matched.timed_out,
        matched=matched,
    )


def _widened_warning(widened) -> str:
    also = ", ".join(widened.matched)
    return f"'{widened.word}' is not in the index; also matched near spellings: {also}"


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
    try:
        return suggest(searcher, parsed.query, parsed.text)
    except TimeUp:
        return None

