"""The HTML pages: the search page, an article page and the query-language help."""

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

import search
from web.exports import export_urls
from web.figures import add_co_mention_urls
from web.services import get_service
from web.urls import add_toggle_urls
from web.urls import search_url
from web.urls import toggle_url

bp = Blueprint("pages", __name__)

#: Parameters of the search page that only change how it is shown (figure-facet filter, "show more").
PAGE_ONLY = ("fp", "more")
MORE_FACET_VALUES = 100


@bp.get("/", endpoint="search")
def search_page():
    """Show the search box, the hits of the query in the URL and the facets that narrow them."""
    req = search.SearchRequest.from_params(request.args)
    result = search.search(get_service(), req, facet_size=current_app.config["FACET_SIZE"])
    data = add_toggle_urls(result.to_json(), req)
    data["co_mentions"] = add_co_mention_urls(search.co_mentions(get_service(), req), req)
    return render_template(
        "search.html", req=req, toggle_url=toggle_url, search_url=search_url, exports=export_urls(req), **data
    )


@bp.get("/articles/<path:article_id>")
def article_page(article_id):
    """Show one whole article with the query's matches highlighted."""
    q = request.args.get("q", "")
    service = get_service()
    article = search.get_article(service, article_id, q)
    related = search.more_like_this(service, article_id)
    return render_template("article.html", article=article, q=q, related=related,
                           safe_url=safe_url(article["url"]))


@bp.get("/help")
def help_page():
    """Explain the query language."""
    return render_template("help.html")


def safe_url(url):
    """``url`` when it is an http(s) link, else None (a ``javascript:`` URL never becomes a link)."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None
