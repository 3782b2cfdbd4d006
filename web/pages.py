"""The HTML pages: the search page, an article page and the query-language help."""

import math
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from flask import Blueprint
from flask import current_app
from flask import g
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for

import search
from search.languages import language_name
from search.request import unknown_params
from web.daterange import date_control
from web.daterange import facet_headings
from web.exports import export_urls
from web.figures import co_mentions
from web.services import get_service
from web.urls import add_toggle_urls
from web.urls import add_value_toggles
from web.urls import search_url
from web.urls import toggle_url

bp = Blueprint("pages", __name__)

#: Parameters of the search page that only change how it is shown: the figure-facet filter, "show
#: more", the compact list (``view=compact``), and an article page's place in the listing (``hit``).
PAGE_ONLY = ("fp", "more", "view", "hit")
MORE_FACET_VALUES = 100
#: Page numbers shown on each side of the current one.
PAGE_WINDOW = 2
#: Filters a zero-hit page offers to remove, each with the hits its removal gives.
MAX_RELAXED = 6


@bp.get("/", endpoint="search")
def search_page():
    """Show the search box, the hits of the query in the URL and the facets that narrow them."""
    req = search.SearchRequest.from_params(_search_args())
    compact = request.args.get("view") == "compact"
    g.keep_params = {"view": "compact"} if compact else {}
    more_figures = request.args.get("more") == "figures"
    size = MORE_FACET_VALUES if more_figures else current_app.config["FACET_SIZE"]
    service = get_service()
    result = search.search(service, req, facet_size=size,
                           time_limit=current_app.config["SEARCH_TIME_LIMIT"])
    req = result.request
    data = add_toggle_urls(result.to_json(), req)
    data["warnings"] = unknown_params(request.args, also=PAGE_ONLY) + data["warnings"]
    data["co_mentions"] = co_mentions(data, req, result=result)
    fp = request.args.get("fp", "")[:100].strip()
    if fp:
        found = search.figure_values(service, result, fp, size)
        data["facets"]["figures"] = add_value_toggles(found["values"], req, "figure")
        data["facets_truncated"]["figures"] = found["truncated"]
    return render_template(
        "search.html", req=req, toggle_url=toggle_url, search_url=search_url, language_name=language_name,
        exports=export_urls(req), fp=fp, more_figures=more_figures, compact=compact,
        article_url=article_url, page_numbers=page_numbers(req.page, data["pages"]),
        filter_count=filter_count(req), dates=date_control(data["facets"], req),
        headings=facet_headings(data["facets"]),
        relaxed=relaxed(service, req) if not data["total"] else [],
        choices=[note for note in result.filter_notes if note.choices], **data)


def _search_args() -> dict:
    return {k: request.args.getlist(k) for k in request.args if k not in PAGE_ONLY}


def page_numbers(page: int, pages: int, window: int = PAGE_WINDOW) -> list:
    """The page links of a pager: the first, the last and ``window`` pages each side of ``page``;
    None where pages are left out."""
    shown = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    found = []
    for number in shown:
        if found and number > found[-1] + 1:
            found.append(None)
        found.append(number)
    return found


def filter_count(req) -> int:
    """How many filter values the request has (the count on the "Filters" button)."""
    return (len(req.figures) + len(req.years) + len(req.months) + len(req.days) + len(req.sources)
            + len(req.languages) + bool(req.date_from) + bool(req.date_to) + bool(req.cluster))


def relaxed(service, req) -> list:
    """For a search without hits: each filter that can be removed, the URL without it and the hits
    that gives (best first, those with hits only)."""
    options = [(f"figure {name}", {"figure": [f for f in req.figures if f != name]}) for name in req.figures]
    options += [(f"source {name}", {"source": [s for s in req.sources if s != name]}) for name in req.sources]
    if req.languages:
        options.append(("the language", {"language": []}))
    if req.years or req.months or req.days or req.date_from or req.date_to:
        options.append(("the dates", {"year": [], "month": [], "day": [], "from": "", "to": ""}))
    if req.cluster:
        options.append(("the group of similar stories", {"cluster": ""}))
    if len(options) > 1:
        options.append(("every filter", {"figure": [], "source": [], "language": [], "year": [], "month": [], "day": [],
                                         "from": "", "to": "", "cluster": ""}))
    found = []
    for label, changes in options[:MAX_RELAXED]:
        url = search_url(req, **changes)
        relaxed_req = search.SearchRequest.from_params(parse_qs(urlsplit(url).query))
        hits = search.count(service, relaxed_req, current_app.config["SEARCH_TIME_LIMIT"])
        if hits:
            found.append({"label": label, "count": hits, "url": url})
    return sorted(found, key=lambda item: -item["count"])


@bp.get("/articles/<path:article_id>")
def article_page(article_id):
    """Show one whole article with the query's matches highlighted; with ``hit``, the search it came
    from (its parameters are in the URL) can be stepped through."""
    service = get_service()
    req = search.SearchRequest.from_params(_search_args())
    article = search.get_article(service, article_id, req.q)
    related = search.more_like_this(service, article_id)
    steps = _steps(service, req, article_id)
    return render_template("article.html", article=_first_match_marked(article), q=req.q, req=req,
                           related=related, safe_url=safe_url(article["url"]), steps=steps,
                           back_url=_back_url(req, steps))


def _steps(service, req, article_id):
    """The search's hits before and after this article, when it is where the ``hit`` parameter says."""
    try:
        position = int(request.args.get("hit", ""))
    except ValueError:
        return None
    found = search.neighbours(service, req, position) if 0 < position <= search.request.MAX_DEPTH else None
    if not found or found["id"] != article_id:
        return None
    for side in ("previous", "next"):
        if found[side]:
            found[side]["url"] = article_url(req, found[side]["id"], found[side]["position"])
    return found


def _back_url(req, steps) -> str:
    page = math.ceil(steps["position"] / req.per_page) if steps else 1
    return search_url(req, page=page if page > 1 else "")


def article_url(req, article_id: str, position: int | None = None) -> str:
    """The article page of a hit, carrying the search (and the hit's place in it) for previous/next."""
    params = {k: v for k, v in req.to_params().items() if k != "page"}
    return url_for("pages.article_page", article_id=article_id, **params,
                   hit=position if position else None)


def _first_match_marked(article: dict) -> dict:
    """Give the article's first highlighted match the id ``first-match`` (the "jump to" link's target)."""
    for i, paragraph in enumerate(article.get("paragraphs_html", [])):
        if "<mark" in paragraph:
            article["paragraphs_html"][i] = paragraph.replace("<mark", '<mark id="first-match"', 1)
            article["has_match"] = True
            break
    return article


@bp.get("/help")
def help_page():
    """Explain the query language."""
    return render_template("help.html")


@bp.get("/favicon.ico")
def favicon():
    """The site icon (browsers and feed readers ask for it here whatever the page says)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)


def safe_url(url):
    """``url`` when it is an http(s) link, else None (a ``javascript:`` URL never becomes a link)."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None
