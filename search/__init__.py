"""The read side of newsearch: queries, filters, facets, snippets and paging over a live index.

Everything here returns plain data (dicts, lists, dataclasses) and never imports Flask, so the web
layer, the CLI and tests share one implementation:

* :class:`~search.service.SearchService` keeps one refreshed searcher per thread
  (a :class:`~search.searcher.Searcher`) and the cache of arrays built from the index;
* :class:`~search.request.SearchRequest` is a checked search (``from_params`` parses raw strings);
* :func:`search` runs it (:mod:`search.engine`) and :func:`get_article` fetches one article;
* :func:`co_mentions` and :func:`figure_profile` count named figures (:mod:`search.figures`);
* :func:`export_lines` streams every hit as CSV or JSON Lines, :func:`feed` the newest as Atom
  (:mod:`search.export`).

Errors a user can cause are :class:`BadQuery`, :class:`BadRequest`, :class:`ArticleNotFound` and
:class:`FigureNotFound`; a missing index is :class:`IndexMissing`, one written by an incompatible
version :class:`IndexIncompatible`, a damaged one :class:`IndexBroken` (also met mid-search:
:func:`is_index_damage` tells such an error).

Every function here runs the same pipeline (:func:`matched`): the request's filters resolved to the
index's names, the query parsed once (``syntax=strict`` honoured), matched under the service's time
limit (:mod:`search.deadline`), so every endpoint answers a query with the same errors and totals.

Importing the read side loads none of the write side's modules (extraction, name lexicons, the
reindex pipeline): only :mod:`index.schema`, :mod:`index.store` and :mod:`index.whoosh_compat`.
"""

import dataclasses
import time

from index.store import IndexBroken
from index.store import IndexIncompatible
from index.store import is_damage as is_index_damage
from index.store import IndexMissing
from search import export as _export
from search import figures as _figures
from search import browse as _browse
from search import deadline as _deadline
from search.articles import ArticleNotFound
from search.articles import get_article as _get_article
from search.engine import SearchResult
from search.engine import match as _match
from search.engine import run_search
from search.figures import FigureNotFound
from search.query import BadQuery
from search.request import BadRequest
from search.request import SearchRequest
from search.facetsearch import figure_values as _figure_values
from search.filters import resolve as _resolve
from search.related import more_like_this as _more_like_this
from search.service import SearchService
from search.suggest import suggest as _suggest

__all__ = [
    "ArticleNotFound",
    "BadQuery",
    "BadRequest",
    "FigureNotFound",
    "IndexBroken",
    "IndexIncompatible",
    "IndexMissing",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "figure_values",
    "get_article",
    "is_index_damage",
    "more_like_this",
    "search",
    "suggest",
]


def search(service: SearchService, req: SearchRequest, facet_size: int = 20,
           time_limit: float | None = None) -> SearchResult:
    """Run ``req`` against the service's live index (matching stops after ``time_limit`` seconds,
    the service's own limit by default).

    Figure and source values are first matched to names the index holds (:mod:`search.filters`);
    what was changed or not found is among the result's ``warnings``, and the result's ``request``
    is the one that ran.
    """
    searcher = service.searcher()
    resolved = _resolve(searcher, req)
    result = run_search(searcher, resolved.request, facet_size=facet_size,
                        time_limit=_limit(service, time_limit))
    if not resolved.notes:
        return result
    return dataclasses.replace(result, warnings=resolved.warnings + result.warnings,
                               filter_notes=resolved.notes)


def _limit(service, time_limit):
    return service.time_limit if time_limit is None else time_limit


def matched(service: SearchService, req: SearchRequest, time_limit: float | None = None):
    """``(searcher, matches)`` of ``req``: the one way every endpoint finds what a request matches.

    :raise BadQuery: for a query that cannot be made sense of (the same on every endpoint).
    """
    searcher = service.searcher()
    return searcher, _match(searcher, _resolve(searcher, req).request, _limit(service, time_limit))


def resolve_filters(service: SearchService, req: SearchRequest) -> SearchRequest:
    """``req`` with its figure and source values as the index holds them (see :func:`search`)."""
    return _resolve(service.searcher(), req).request


def count(service: SearchService, req: SearchRequest, time_limit: float | None = None) -> int:
    """How many articles match ``req`` (no ranking, no facets; a lower bound past ``time_limit``)."""
    return matched(service, req, time_limit)[1].total


def neighbours(service: SearchService, req: SearchRequest, position: int) -> dict | None:
    """The hits listed before and after position ``position`` (from 1) of ``req``, for stepping
    through a search from an article page (see :func:`search.browse.neighbours`)."""
    searcher, found = matched(service, req)
    return _browse.neighbours(searcher, found, position)


def get_article(service: SearchService, article_id: str, q="") -> dict:
    """One whole article by id, with the matches of ``q`` (text, or a :class:`SearchRequest` whose
    ``q`` and ``syntax`` are used) highlighted, within the service's time limit.

    :raise BadQuery: for a query that cannot be made sense of (as :func:`search` would say).
    """
    req = q if isinstance(q, SearchRequest) else SearchRequest(q=q.strip())
    with _deadline.within(_limit(service, None)):
        return _get_article(service.searcher(), article_id, req.q, strict=req.syntax == "strict")


def figure_values(service: SearchService, req, prefix: str = "", limit: int = 50) -> dict:
    """Figures of ``req``'s results whose name (or a word of it) begins with ``prefix``.

    :param req: a :class:`SearchRequest`, or a :class:`SearchResult` whose matches are reused.
    """
    if isinstance(req, SearchResult):
        return _figure_values(service.searcher(), req.request, prefix, limit, matched=req.matched)
    searcher, found = matched(service, req)
    return _figure_values(searcher, found.request, prefix, limit, matched=found)


def suggest(service: SearchService, text: str, limit: int = 10) -> list:
    """Autocomplete: figure names and title words that begin with ``text``."""
    return _suggest(service.searcher(), text, limit)


def more_like_this(service: SearchService, article_id: str, top: int = 5) -> list:
    """Articles most like the article ``article_id``.

    :raise ArticleNotFound: when no article has that id.
    """
    searcher = service.searcher()
    docnum = searcher.document_number(id=article_id) if article_id else None
    if docnum is None:
        raise ArticleNotFound(f"No article with id {article_id!r}")
    return _more_like_this(searcher, docnum, top)


def co_mentions(service: SearchService, req, top=_figures.TOP_FIGURES) -> list:
    """The figures most often named with each selected figure (or the top ones) in the results.

    :param req: a :class:`SearchRequest`, or a :class:`SearchResult` whose matches are reused.
    :param top: how many top figures to use when none is selected, or their names when counted.
    """
    if isinstance(req, SearchResult) and req.matched:
        return _figures.co_mentions(service.searcher(), req.matched, top=top)
    searcher, found = matched(service, getattr(req, "request", req))
    return _figures.co_mentions(searcher, found, top=top)


def figure_profile(service: SearchService, name: str) -> dict:
    """One figure's article count, first and last mention, articles per month, co-mentions, newest.

    :raise FigureNotFound: when no article names ``name``.
    """
    return _figures.figure_profile(service.searcher(), name)


def export_lines(service: SearchService, req: SearchRequest, fmt: str):
    """Every hit of ``req`` (all pages, in its order) as lines of ``fmt`` (``csv`` or ``jsonl``).

    The query is matched now as a search matches it (so a bad one raises here, and the totals are a
    search's); the lines are made as they are read, until the service's ``export_time_limit``, past
    which the export ends with a line saying it was cut.
    :raise BadQuery: for a query that cannot be made sense of.
    """
    began = time.monotonic()
    searcher, found = matched(service, req)
    limit = service.export_time_limit
    return _export.lines(searcher, found, fmt, until=began + limit if limit else None)


def feed(service: SearchService, req: SearchRequest, urls: dict, article_url) -> bytes:
    """An Atom feed of ``req``'s newest hits, whatever its sort order.

    :param urls: ``title``, ``self`` (the feed's own URL) and ``alternate`` (the search page).
    :param article_url: a function from an article id to the absolute URL of its page.
    """
    began, limit = time.monotonic(), _limit(service, None)
    searcher, found = matched(service, req.replace(sort="newest", page=1))
    with _deadline.within(None, until=began + _deadline.RANKED_BY * limit if limit else None):
        hits = _export.newest_hits(searcher, found)
    return _export.atom_feed(hits, urls["title"], urls["self"], urls["alternate"], article_url,
                             _export.index_time(service.index_dir))
