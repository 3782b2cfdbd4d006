"""The app's handle on the read side: one :class:`search.SearchService` per app."""

import atexit
import threading

from flask import current_app

import search


def init_app(app):
    """Create the app's search service from ``INDEX_DIR``; close its searchers at exit.

    With ``WARM_UP`` set (``newsearch serve`` sets it), caches are built in the background at start.
    """
    service = search.SearchService(app.config["INDEX_DIR"], cache_mb=app.config["CACHE_MB"])
    app.extensions["search"] = service
    atexit.register(service.close)
    if app.config.get("WARM_UP"):
        threading.Thread(target=service.warm_up, name="warm-up", daemon=True).start()


def get_service() -> search.SearchService:
    """The current app's search service."""
    return current_app.extensions["search"]
