"""The Flask face of newsearch: an app factory, a JSON API blueprint and an HTML pages blueprint.

Views parse the request, call :mod:`search`, and render the same data as JSON or HTML. No Whoosh here.
"""

import os

from flask import Flask

from search import deadline
from web import api
from web import errors
from web import exports
from web import figures
from web import openapi
from web import pages
from web import services


def create_app(test_config=None):
    """Create and configure the app.

    Configuration, later layers winning: defaults; ``instance/config.py``; ``NEWSEARCH_*`` environment
    variables (``NEWSEARCH_INDEX_DIR=/path``); or, in tests, ``test_config``.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=os.path.abspath("var/index"),
        FACET_SIZE=20,
        SEARCH_TIME_LIMIT=deadline.SEARCH_TIME_LIMIT,
        EXPORT_TIME_LIMIT=deadline.EXPORT_TIME_LIMIT,
        WARM_UP=False,
        CACHE_MB=160,
        JSON_SORT_KEYS=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("NEWSEARCH")
    else:
        app.config.update(test_config)
    app.json.sort_keys = False
    services.init_app(app)
    errors.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(figures.bp)
    app.register_blueprint(openapi.bp)
    app.after_request(security_headers)
    return app


#: No inline script or style may run: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


#: Headers on every answer (also the server front end's errors, see :mod:`web.server`).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def security_headers(response):
    """Add the headers that keep a hostile article or query inert."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
