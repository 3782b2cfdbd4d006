"""Figure pages: ``/figures/<name>`` and ``/api/figures/<name>``, and links for co-mention tables."""

from flask import Blueprint
from flask import jsonify
from flask import render_template

import search
from web.services import get_service
from web.urls import search_url

bp = Blueprint("figures", __name__)


@bp.get("/api/figures/<path:name>")
def figure_json(name):
    """One figure's profile: article count, first and last mention, articles per month, co-mentions, recent articles."""
    return jsonify(ok=True, **search.figure_profile(get_service(), name))


@bp.get("/figures/<path:name>")
def figure_page(name):
    """Show one figure's profile, with a chart of articles per month."""
    return render_template("figure.html", figure=search.figure_profile(get_service(), name))


def add_co_mention_urls(co_mentions: list, req, endpoint="pages.search") -> list:
    """Give every co-mentioned figure the ``search_url`` of the current search narrowed to both figures."""
    for item in co_mentions:
        both = list(dict.fromkeys([*req.figures, item["figure"]]))
        for other in item["with"]:
            other["search_url"] = search_url(req, endpoint, figure=both + [other["value"]])
    return co_mentions
