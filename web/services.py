"""The app's handle on the read side: one :class:`search.SearchService` per app."""

import atexit
import threading

from flask import current_app
from flask import g

import search
from search.deadline import within


def init_app(app):
    """Create the app's search service from ``INDEX_DIR``; close its searchers at exit.

    With ``WARM_UP`` set (``newsearch serve`` sets it), caches are built in the background at start.
    Every request runs under a deadline of twice ``SEARCH_TIME_LIMIT`` (:func:`start_deadline`).
    """
    service = search.SearchService(app.config["INDEX_DIR"], cache_mb=app.config["CACHE_MB"],
                                   time_limit=_seconds(app.config["SEARCH_TIME_LIMIT"]),
                                   export_time_limit=_seconds(app.config["EXPORT_TIME_LIMIT"]))
    app.extensions["search"] = service
    app.before_request(start_deadline)
    app.teardown_request(end_deadline)
    atexit.register(service.close)
    if app.config.get("WARM_UP"):
        threading.Thread(target=service.warm_up, name="warm-up", daemon=True).start()


def get_service() -> search.SearchService:
    """The current app's search service."""
    return current_app.extensions["search"]


def _seconds(value):
    """A time limit from the config (a number or its text, as environment variables give it); 0 or
    less for none."""
    seconds = float(value) if value not in (None, "") else 0.0
    return seconds if seconds > 0 else None


def start_deadline():
    """Give the request its deadline: twice the search time limit, one window for matching and one
    for the rest, however many searches the page makes (a zero-hit page also counts its relaxed
    searches). An export replaces it with its own limit while it streams."""
    limit = get_service().time_limit
    # ``replace``: a thread serves request after request, and each starts afresh.
    g.deadline = within(2 * limit if limit else None, replace=True)
    g.deadline.__enter__()


def end_deadline(_error=None):
    scope = g.pop("deadline", None)
    if scope is not None:
        try:
            scope.__exit__(None, None, None)
        except ValueError:  # reset from another context (cannot happen with Flask's own servers)
            pass
