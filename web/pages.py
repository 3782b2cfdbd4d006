"""The HTML pages: the search page, an article page and the query-language help."""

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

import search
from web.services import get_service
from web.urls import add_toggle_urls
from web.urls import search_url
from web.urls import toggle_url

bp = Blueprint("pages", __name__)


@bp.get("/", endpoint="search")
def search_page():
    """Show the search box, the hits of the query in the URL and the facets that narrow them."""
    req = search.SearchRequest.from_params(request.args)
    result = search.search(get_service(), req, facet_size=current_app.config["FACET_SIZE"])
    data = add_toggle_urls(result.to_json(), req)
    return render_template(
        "search.html", req=req, toggle_url=toggle_url, search_url=search_url, **data
    )


@bp.get("/articles/<path:article_id>")
def article_page(article_id):
    """Show one whole article with the query's matches highlighted."""
    q = request.args.get("q", "")
    article = search.get_article(get_service(), article_id, q)
    return render_template("article.html", article=article, q=q, safe_url=safe_url(article["url"]))


@bp.get("/help")
def help_page():
    """Explain the query language."""
    return render_template("help.html")


def safe_url(url):
    """``url`` when it is an http(s) link, else None (a ``javascript:`` URL never becomes a link)."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None
