"""One error shape: JSON ``{"ok": false, "error": {"code", "message"}, "status"}`` under /api/, a page elsewhere."""

import logging
import re

from flask import jsonify
from flask import make_response
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import MethodNotAllowed

import search

#: Errors a user can cause, and the HTTP status and code each one answers with.
USER_ERRORS = {
    search.BadQuery: (400, "bad_query"),
    search.BadRequest: (400, "bad_parameter"),
    search.ArticleNotFound: (404, "not_found"),
    search.FigureNotFound: (404, "not_found"),
    search.IndexMissing: (503, "index_missing"),
    search.IndexIncompatible: (503, "index_incompatible"),
    search.IndexBroken: (503, "index_broken"),
}


#: The ``code`` of the HTTP errors the app itself answers (no route: 404; a method it does not take:
#: 405, with ``Allow``); any other is named after its status (``payload_too_large``).
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


def error_body(status: int, code: str, message: str, **extra) -> dict:
    """The JSON body of every API error."""
    return {"ok": False, "error": {"code": code, "message": message, **extra}, "status": status}


#: Paths read by programs, answered with the JSON error shape: the API and the Atom feed.
MACHINE_PATHS = ("/api/", "/feed")


def render_error(status: int, code: str, message: str, **extra):
    """Answer with the error as JSON for API paths and the feed, as a page otherwise."""
    if request.path.startswith(MACHINE_PATHS):
        response = jsonify(error_body(status, code, message, **extra))
        response.status_code = status
        return response
    args = _args()
    q = args.get("q", "")[:1000]
    keep_args = _filter_args(args)
    page = render_template("error.html", status=status, code=code, message=message, q=q, keep_args=keep_args,
                           **_query_marked(q, code, extra.get("position"), keep_args))
    return page, status


def _query_marked(q: str, code: str, position, keep_args) -> dict:
    """For a query that cannot be parsed: the query cut around the error, and the search of its plain
    words (with the same filters)."""
    if code != "bad_query":
        return {}
    text = q.strip()
    at = position if isinstance(position, int) and 0 <= position < len(text) else None
    parts = (text[:at], text[at], text[at + 1:]) if at is not None else None
    words = plain_words(text)
    params = {}
    for name, value in keep_args:
        params.setdefault(name, []).append(value)
    return {"query_parts": parts, "plain_words": words,
            "plain_url": url_for("pages.search", q=words, **params) if words else None}


#: What makes text query syntax rather than words: quotes, brackets, field prefixes, operators.
_SYNTAX = re.compile(r'["()*?^]|~\d*|\b[A-Za-z_]+:|(?<![\w-])[-+]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


def plain_words(text: str) -> str:
    """``text`` with its query syntax taken out, so it searches for its words alone."""
    return " ".join(_SYNTAX.sub(" ", text).split())


def _args():
    """The query parameters, or none when the query string is not valid UTF-8."""
    try:
        return request.args
    except UnicodeDecodeError:
        return MultiDict()


def _filter_args(args):
    """The request's filter parameters, so the search form on an error page keeps them."""
    keep = ("figure", "year", "month", "day", "source", "language", "from", "to", "sort")
    return [(name, value[:200]) for name in keep for value in args.getlist(name)[:20]]


def check_query_string():
    """Answer 400 (not 500) when the query string is not valid UTF-8."""
    try:
        request.args
    except UnicodeDecodeError:
        return render_error(400, "bad_parameter", "The query string is not valid UTF-8 text.")
    return None


def init_app(app):
    """Register the error handlers."""
    app.before_request(check_query_string)
    for exc_class, (status, code) in USER_ERRORS.items():
        app.register_error_handler(exc_class, _user_error_handler(status, code))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _user_error_handler(status, code):
    def handle(e):
        extra = {}
        if getattr(e, "param", None):
            extra["param"] = e.param
        if getattr(e, "position", None) is not None:
            extra["position"] = e.position
        return render_error(status, code, str(e), **extra)

    return handle


def _http_error(e):
    """Werkzeug's HTTP errors (an unknown path, a method a path does not take) in the one shape."""
    code = HTTP_CODES.get(e.code) or (e.name or "error").lower().replace(" ", "_")
    response = make_response(render_error(e.code or 500, code, e.description or e.name))
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        response.headers["Allow"] = ", ".join(e.valid_methods)
    return response


def _unexpected_error(e):
    logging.getLogger("newsearch").exception("unexpected error on %s", request.path)
    if search.is_index_damage(e):  # a damaged file met in the middle of a search, not at its start
        return render_error(503, "index_broken", search.IndexBroken.__doc__)
    return render_error(500, "internal_error", "Something went wrong on our side; it has been logged.")
