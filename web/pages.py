"""The HTML pages: the search page, an article page and the query-language help."""

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

import search
from web.exports import export_urls
from web.figures import co_mentions
from web.services import get_service
from web.urls import add_toggle_urls
from web.urls import add_value_toggles
from web.urls import search_url
from web.urls import toggle_url

bp = Blueprint("pages", __name__)

#: Parameters of the search page that only change how it is shown (figure-facet filter, "show more").
PAGE_ONLY = ("fp", "more")
MORE_FACET_VALUES = 100


@bp.get("/", endpoint="search")
def search_page():
    """Show the search box, the hits of the query in the URL and the facets that narrow them."""
    params = {k: request.args.getlist(k) for k in request.args if k not in PAGE_ONLY}
    req = search.SearchRequest.from_params(params)
    more_figures = request.args.get("more") == "figures"
    size = MORE_FACET_VALUES if more_figures else current_app.config["FACET_SIZE"]
    service = get_service()
    result = search.search(service, req, facet_size=size,
                           time_limit=current_app.config["SEARCH_TIME_LIMIT"])
    data = add_toggle_urls(result.to_json(), req)
    data["co_mentions"] = co_mentions(data, req, result=result)
    fp = request.args.get("fp", "")[:100].strip()
    if fp:
        found = search.figure_values(service, result, fp, size)
        data["facets"]["figures"] = add_value_toggles(found["values"], req, "figure")
        data["facets_truncated"]["figures"] = found["truncated"]
    return render_template("search.html", req=req, toggle_url=toggle_url, search_url=search_url,
                           exports=export_urls(req), fp=fp, more_figures=more_figures, **data)


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
