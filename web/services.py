"""The app's handle on the read side: one :class:`search.SearchService` per app."""

import atexit

from flask import current_app

import search


def init_app(app):
    """Create the app's search service from ``INDEX_DIR``; close its searchers at exit."""
    service = search.SearchService(app.config["INDEX_DIR"])
    app.extensions["search"] = service
    atexit.register(service.close)


def get_service() -> search.SearchService:
    """The current app's search service."""
    return current_app.extensions["search"]
