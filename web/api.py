"""The JSON API: ``/api/search`` and ``/api/articles/<id>``."""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

import search
from search.request import unknown_params
from web.figures import co_mentions
from web.services import get_service
from web.urls import add_toggle_urls
from web.urls import add_value_toggles

bp = Blueprint("api", __name__, url_prefix="/api")

#: ``limit`` of /api/suggest and of /api/facets/figures: (default, most).
SUGGEST_LIMIT = (10, 20)
FIGURE_VALUES_LIMIT = (50, 100)


@bp.get("/search")
def search_json():
    """Search; the same parameters and data as the search page."""
    req = search.SearchRequest.from_params(request.args)
    result = search.search(get_service(), req, facet_size=current_app.config["FACET_SIZE"])
    data = add_toggle_urls(result.to_json(), result.request, endpoint="api.search_json")
    data["warnings"] = unknown_params(request.args) + data["warnings"]
    data["co_mentions"] = co_mentions(data, result.request, "api.search_json", result)
    return jsonify(ok=True, **data)


@bp.get("/articles/<path:article_id>")
def article_json(article_id):
    """One whole article and its nearest neighbours; ``q`` highlights its matches (read as a search
    reads it: the same limits and errors, ``syntax=strict`` honoured)."""
    req = search.SearchRequest.from_params({name: request.args.getlist(name) for name in ("q", "syntax")})
    service = get_service()
    article = search.get_article(service, article_id, req)
    return jsonify(ok=True, article=article, related=search.more_like_this(service, article_id))


@bp.get("/suggest")
def suggest_json():
    """Autocomplete for the search box: figure names and title words beginning with ``q``."""
    q = _text_arg("q")
    limit = _int_arg("limit", SUGGEST_LIMIT[0], 1, SUGGEST_LIMIT[1])
    return jsonify(ok=True, q=q, suggestions=search.suggest(get_service(), q, limit))


@bp.get("/facets/figures")
def figure_values_json():
    """Figures of the current results (same parameters as /api/search) whose name matches ``prefix``."""
    service = get_service()
    req = search.SearchRequest.from_params(_without(request.args, "prefix", "limit"))
    req = search.resolve_filters(service, req)
    limit = _int_arg("limit", FIGURE_VALUES_LIMIT[0], 1, FIGURE_VALUES_LIMIT[1])
    data = search.figure_values(service, req, _text_arg("prefix"), limit)
    add_value_toggles(data["values"], req, "figure", endpoint="api.search_json")
    return jsonify(ok=True, **data)


def _text_arg(name, max_length=search.request.MAX_VALUE_LENGTH * 5):
    value = request.args.get(name, "")
    if len(value) > max_length or "\x00" in value:
        raise search.BadRequest(name, f"at most {max_length} characters of text")
    return value


def _int_arg(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise search.BadRequest(name, f"{raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise search.BadRequest(name, f"must be from {low} to {high}, got {value}")
    return value


def _without(args, *names):
    return {k: args.getlist(k) for k in args if k not in names}
