"""One error shape: JSON ``{"ok": false, "error": {"code", "message"}, "status"}`` under /api/, a page elsewhere."""

import logging

from flask import jsonify
from flask import render_template
from flask import request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

import search

#: Errors a user can cause, and the HTTP status and code each one answers with.
USER_ERRORS = {
    search.BadQuery: (400, "bad_query"),
    search.BadRequest: (400, "bad_parameter"),
    search.ArticleNotFound: (404, "not_found"),
    search.FigureNotFound: (404, "not_found"),
    search.IndexMissing: (503, "index_missing"),
    search.IndexIncompatible: (503, "index_incompatible"),
}


def error_body(status: int, code: str, message: str, **extra) -> dict:
    """The JSON body of every API error."""
    return {"ok": False, "error": {"code": code, "message": message, **extra}, "status": status}


def render_error(status: int, code: str, message: str, **extra):
    """Answer with the error as JSON for API paths, as a page otherwise."""
    if request.path.startswith("/api/"):
        response = jsonify(error_body(status, code, message, **extra))
        response.status_code = status
        return response
    args = _args()
    page = render_template("error.html", status=status, code=code, message=message,
                           q=args.get("q", "")[:1000], keep_args=_filter_args(args))
    return page, status


def _args():
    """The query parameters, or none when the query string is not valid UTF-8."""
    try:
        return request.args
    except UnicodeDecodeError:
        return MultiDict()


def _filter_args(args):
    """The request's filter parameters, so the search form on an error page keeps them."""
    keep = ("figure", "year", "month", "day", "source", "from", "to", "sort")
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
    code = (e.name or "error").lower().replace(" ", "_")
    return render_error(e.code or 500, code, e.description or e.name)


def _unexpected_error(e):
    logging.getLogger("newsearch").exception("unexpected error on %s", request.path)
    return render_error(500, "internal_error", "Something went wrong on our side; it has been logged.")
