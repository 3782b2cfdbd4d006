"""Figure pages, ``/figures/<name>`` and ``/api/figures/<name>``, and co-mentions for searches."""

from flask import Blueprint
from flask import jsonify
from flask import render_template

import search
from web.services import get_service
from web.urls import search_url

bp = Blueprint("figures", __name__)


@bp.get("/api/figures/<path:name>")
def figure_json(name):
    """One figure's profile: articles, first and last mention, per month, co-mentions, recent ones."""
    return jsonify(ok=True, **search.figure_profile(get_service(), name))


@bp.get("/figures/<path:name>")
def figure_page(name):
    """Show one figure's profile, with a chart of articles per month."""
    return render_template("figure.html", figure=search.figure_profile(get_service(), name))


def co_mentions(data: dict, req, endpoint="pages.search", result=None) -> list:
    """Co-mentions for a search response ``data`` (whose figures facet has the top figures).

    :param result: the :class:`search.SearchResult` behind ``data``: its matches are reused.
    """
    top = [value["value"] for value in data["facets"]["figures"][:search.figures.TOP_FIGURES]]
    found = search.co_mentions(get_service(), result or req, top=top)
    return add_co_mention_urls(found, req, endpoint)


def add_co_mention_urls(co_mentions: list, req, endpoint="pages.search") -> list:
    """Give every co-mentioned figure the ``search_url`` of the search narrowed to both figures."""
    for item in co_mentions:
        # With a selection, each item is a selected figure (maybe canonical): keep it as typed.
        both = list(req.figures) or [item["figure"]]
        for other in item["with"]:
            other["search_url"] = search_url(req, endpoint, figure=both + [other["value"]])
    return co_mentions
