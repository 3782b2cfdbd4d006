"""The read side of newsearch: queries, filters, facets, snippets and paging over a live index.

Everything here returns plain data (dicts, lists, dataclasses) and never imports Flask, so the web
layer, the CLI and tests share one implementation:

* :class:`~search.service.SearchService` keeps one refreshed Whoosh searcher per thread;
* :class:`~search.request.SearchRequest` is a checked search (``from_params`` parses raw strings);
* :func:`search` runs it (:mod:`search.engine`) and :func:`get_article` fetches one article.

Errors a user can cause are :class:`BadQuery`, :class:`BadRequest` and :class:`ArticleNotFound`; a
missing index is :class:`IndexMissing`.
"""

from index.store import IndexMissing
from search.articles import ArticleNotFound
from search.articles import get_article as _get_article
from search.engine import SearchResult
from search.engine import run_search
from search.query import BadQuery
from search.request import BadRequest
from search.request import SearchRequest
from search.service import SearchService

__all__ = [
    "ArticleNotFound",
    "BadQuery",
    "BadRequest",
    "IndexMissing",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "get_article",
    "search",
]


def search(service: SearchService, req: SearchRequest, facet_size: int = 20) -> SearchResult:
    """Run ``req`` against the service's live index."""
    return run_search(service.searcher(), req, facet_size=facet_size)


def get_article(service: SearchService, article_id: str, q: str = "") -> dict:
    """One whole article by id, with ``q``'s matches highlighted."""
    return _get_article(service.searcher(), article_id, q)
