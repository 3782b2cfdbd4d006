"""Exports and feeds: the whole result set as CSV or JSON Lines, and an Atom feed per search URL."""

from flask import Blueprint
from flask import Response
from flask import request
from flask import stream_with_context
from flask import url_for

import search
from search.export import FORMATS
from web.services import get_service

bp = Blueprint("exports", __name__)

#: Bytes gathered before a chunk of an export is sent.
BUFFER = 64 * 1024
#: Parameters a feed keeps (it always lists the newest hits, 50 of them).
FEED_PARAMS = ("q", "figure", "year", "month", "day", "source", "language", "from", "to", "cluster")


@bp.get("/api/search.<any(csv, jsonl):fmt>")
def search_export(fmt):
    """Stream every hit of the search (all pages, in its sort order) as CSV or JSON Lines."""
    req = search.SearchRequest.from_params(request.args)
    lines = search.export_lines(get_service(), req, fmt)
    response = Response(stream_with_context(_buffered(lines)), content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename=newsearch-export.{fmt}"
    return response


@bp.get("/feed")
def feed():
    """An Atom feed of the newest 50 hits of the search in the URL."""
    req = search.SearchRequest.from_params(request.args).replace(sort="newest")
    params = {k: v for k, v in req.to_params().items() if k in FEED_PARAMS}
    urls = {
        "title": feed_title(req),
        "self": url_for("exports.feed", _external=True, **params),
        "alternate": url_for("pages.search", _external=True, **params, sort="newest"),
    }
    body = search.feed(get_service(), req, urls, _article_url)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def feed_title(req) -> str:
    """What a feed reader shows as the subscription's name."""
    parts = [f"“{req.q}”"] if req.q else []
    parts += list(req.figures) + [str(y) if y else "undated" for y in req.years] + list(req.months)
    parts += list(req.days) + list(req.sources) + list(req.languages)
    if req.date_from or req.date_to:
        parts.append(f"{req.date_from or '…'} to {req.date_to or '…'}")
    return "newsearch: " + (", ".join(parts) if parts else "newest articles")


def export_urls(req) -> dict:
    """Links to the current search as CSV, JSON Lines and an Atom feed, for the search page."""
    params = {k: v for k, v in req.to_params().items() if k not in ("page", "per_page")}
    feed_params = {k: v for k, v in params.items() if k in FEED_PARAMS}
    return {
        "csv": url_for("exports.search_export", fmt="csv", **params),
        "jsonl": url_for("exports.search_export", fmt="jsonl", **params),
        "feed": url_for("exports.feed", **feed_params),
    }


def _article_url(article_id):
    return url_for("pages.article_page", article_id=article_id, _external=True)


def _buffered(lines):
    """Join small lines into chunks of about :data:`BUFFER` characters (one write per chunk)."""
    parts, size = [], 0
    for line in lines:
        parts.append(line)
        size += len(line)
        if size >= BUFFER:
            yield "".join(parts)
            parts, size = [], 0
    if parts:
        yield "".join(parts)
