"""The JSON API: ``/api/search`` and ``/api/articles/<id>``."""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request

import search
from web.services import get_service
from web.urls import add_toggle_urls

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search_json():
    """Search; the same parameters and data as the search page."""
    req = search.SearchRequest.from_params(request.args)
    result = search.search(get_service(), req, facet_size=current_app.config["FACET_SIZE"])
    data = add_toggle_urls(result.to_json(), req, endpoint="api.search_json")
    return jsonify(ok=True, **data)


@bp.get("/articles/<path:article_id>")
def article_json(article_id):
    """One whole article; ``q`` highlights its matches in ``title_html`` and ``paragraphs_html``."""
    q = request.args.get("q", "")
    return jsonify(ok=True, article=search.get_article(get_service(), article_id, q))
