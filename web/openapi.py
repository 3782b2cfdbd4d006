"""The JSON API described in OpenAPI 3.1, served at ``/api/openapi.json``.

The document is built here from the same constants the code checks requests with (parameter names,
sort orders, limits), and ``tests/test_openapi.py`` validates live responses of every endpoint, errors
included, against it, so the README, the code and the contract cannot drift apart. Shapes are closed
(``additionalProperties: false``) wherever the API's are.
"""

from flask import Blueprint
from flask import jsonify

from search import request as sr
from search.query import MAX_QUERY_LENGTH
from web.api import FIGURE_VALUES_LIMIT
from web.api import SUGGEST_LIMIT

bp = Blueprint("openapi", __name__)

VERSION = "0.1.0"
#: Error codes an answer may carry (``error.code``).
ERROR_CODES = ["bad_parameter", "bad_query", "not_found", "method_not_allowed", "bad_request",
               "index_missing", "index_incompatible", "internal_error"]
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
MONTH = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}
YEAR_VALUE = {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 9999}, {"const": sr.UNDATED}]}


@bp.get("/api/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 description of the JSON API."""
    return jsonify(document())


def document() -> dict:
    """The OpenAPI document (a new dict on each call)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "newsearch API", "version": VERSION,
                 "description": "Search archives of scraped news articles by words, named figures and dates.",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": _paths(),
        "components": {"schemas": _schemas(), "parameters": _parameters(),
                       "responses": _error_responses()},
    }


def _ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _closed(properties: dict, required=None) -> dict:
    """An object with exactly these properties (all required unless ``required`` says otherwise)."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, "additionalProperties": False}


def _array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(summary: str, parameters: list, ok: dict, errors=(400, 503)) -> dict:
    responses = {"200": ok}
    responses.update({str(status): _ref(f"Error{status}", "responses") for status in errors})
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


def _search_parameters() -> list:
    return [_ref(name, "parameters") for name in sr.PARAMS]


def text(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string"}}


def limit(default: int, high: int) -> dict:
    return {"name": "limit", "in": "query", "required": False, "description": "How many values at most.",
            "schema": {"type": "integer", "minimum": 1, "maximum": high, "default": default}}


def path_param(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string"}}


def download(media: str, description: str) -> dict:
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


def _paths() -> dict:
    search = _search_parameters()
    return {
        "/api/search": _operation("Search articles: hits, facets, co-mentions", search,
                                  _json(_ref("SearchResponse"), "One page of hits with facets")),
        "/api/search.csv": _operation("Every hit of a search as CSV", search,
                                      download("text/csv", "RFC 4180 CSV, a header row first")),
        "/api/search.jsonl": _operation("Every hit of a search as JSON Lines", search,
                                        download("application/x-ndjson", "One JSON object per line")),
        "/api/facets/figures": _operation(
            "Figures of the current results whose name (or a word of it) begins with prefix",
            search + [text("prefix", "Beginning of a name or of a word of it"), limit(*FIGURE_VALUES_LIMIT)],
            _json(_ref("FigureValues"), "Matching figures by count")),
        "/api/suggest": _operation(
            "Autocomplete: figure names and title words beginning with q",
            [text("q", "What was typed so far"), limit(*SUGGEST_LIMIT)],
            _json(_ref("Suggestions"), "Suggestions, figures first")),
        "/api/articles/{id}": _operation(
            "One whole article and the articles most like it",
            [path_param("id", "The article's id"), text("q", "A query whose matches are marked")],
            _json(_ref("ArticleResponse"), "The article"), errors=(400, 404, 503)),
        "/api/figures/{name}": _operation(
            "One named figure's profile", [path_param("name", "The figure's name, exactly as facets spell it")],
            _json(_ref("FigureProfile"), "The figure's profile"), errors=(404, 503)),
        "/feed": _operation("An Atom feed of the search's 50 newest hits", _feed_parameters(),
                            download("application/atom+xml", "An Atom 1.0 feed")),
        "/api/openapi.json": _operation("This document", [], _json({"type": "object"}, "OpenAPI 3.1"), errors=()),
    }


def many(items: dict, description: str) -> dict:
    return {"schema": _array(items, maxItems=sr.MAX_VALUES), "style": "form", "explode": True,
            "description": description}


def _feed_parameters() -> list:
    """The search parameters a feed keeps (it always lists the 50 newest hits)."""
    ignored = ("sort", "page", "per_page", "collapse")
    return [_ref(name, "parameters") for name in sr.PARAMS if name not in ignored]


def _parameters() -> dict:
    found = {
        "q": {"schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
              "description": "The query; empty lists the newest articles"},
        "figure": many({"type": "string", "maxLength": sr.MAX_VALUE_LENGTH},
                       "Articles naming every given figure (matched to the index's names: case, "
                       "accents, a lone surname)"),
        "year": many(YEAR_VALUE, "Articles from any of the given years; `undated` for articles without a date"),
        "month": many(MONTH, "Articles from any of the given months"),
        "day": many(DATE, "Articles from any of the given days"),
        "source": many({"type": "string", "maxLength": sr.MAX_VALUE_LENGTH},
                       "Articles from any of the given sources"),
        "language": many(LANGUAGE_VALUE, "Articles in any of the given languages (ISO 639-1 codes such as "
                         "`de`; `de-AT` is read as `de`)"),
        "from": {"schema": DATE, "description": "Dated articles on or after this day"},
        "to": {"schema": DATE, "description": "Dated articles on or before this day"},
        "sort": {"schema": {"type": "string", "enum": list(sr.SORTS), "default": "relevance"},
                 "description": "Order (without a query, relevance means newest)"},
        "page": {"schema": {"type": "integer", "minimum": 1, "default": 1}, "description": "Page, from 1"},
        "per_page": {"schema": {"type": "integer", "minimum": 1, "maximum": sr.MAX_PER_PAGE,
                                "default": sr.DEFAULT_PER_PAGE}, "description": "Hits per page"},
        "collapse": {"schema": {"type": "boolean", "default": True},
                     "description": "List near-identical stories once"},
        "cluster": {"schema": {"type": "string", "maxLength": sr.MAX_VALUE_LENGTH},
                    "description": "Only the articles of this group of near-identical stories"},
        "syntax": {"schema": {"type": "string", "enum": list(sr.SYNTAXES), "default": "lenient"},
                   "description": "`lenient` searches text that is not valid query syntax as plain words "
                                  "(with a warning); `strict` answers it with a 400 saying where"},
    }
    return {name: {"name": name, "in": "query", "required": False, **spec} for name, spec in found.items()}


def _error_responses() -> dict:
    what = {400: "A bad parameter or query", 404: "No such article, figure or path",
            503: "No index yet, or one this version cannot read"}
    return {f"Error{status}": _json(_ref("Error"), text) for status, text in what.items()}


COUNT = {"type": "integer", "minimum": 0}


def facet_value(value: dict) -> dict:
    return _closed({"value": value, "count": COUNT, "selected": {"type": "boolean"},
                    "toggle_url": {"type": "string"}})


#: A language given as a filter: an ISO 639-1 code, any case, with a region or not.
LANGUAGE_VALUE = {"type": "string", "pattern": "^[A-Za-z]{2}([-_][A-Za-z0-9]+)*$"}
#: A language as the index holds it.
LANGUAGE_CODE = {"type": "string", "pattern": "^[a-z]{2}$"}


def date_value(value: dict) -> dict:
    return _closed({"value": value, "label": {"type": "string"}, "count": COUNT,
                    "selected": {"type": "boolean"}, "toggle_url": {"type": "string"}})


def _schemas() -> dict:
    count = COUNT
    return {
        "Error": _closed({
            "ok": {"const": False},
            "error": _closed({"code": {"type": "string", "enum": ERROR_CODES}, "message": {"type": "string"},
                              "param": {"type": "string"}, "position": {"type": "integer", "minimum": 0}},
                             required=["code", "message"]),
            "status": {"type": "integer", "enum": [400, 404, 405, 500, 503]}}),
        "HitFields": {"type": "object", "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "date": _nullable(DATE),
            "year": _nullable({"type": "integer"}), "figures": _array({"type": "string"}),
            "url": _nullable({"type": "string"}), "source": _nullable({"type": "string"}),
            "cluster": {"type": "string"},
            "snippet": {"type": "string", "description": "HTML: escaped text and <mark>"},
            "title_html": {"type": "string"},
            "matched_in": _array({"enum": ["title", "body", "figures"]}, uniqueItems=True),
            "score": _nullable({"type": "number"}),
            "title_derived": {"type": "boolean", "description": "The title was made from the text (no headline)"},
            "language": _nullable({"type": "string", "description": "ISO 639-1 code, detected or given"})},
            "required": ["id", "title", "date", "year", "figures", "url", "source", "cluster", "snippet",
                         "title_html", "matched_in", "score", "title_derived", "language"]},
        "Hit": {"allOf": [_ref("HitFields")], "unevaluatedProperties": False},
        "SearchHit": {"allOf": [_ref("HitFields")], "properties": {"similar": count},
                      "required": ["similar"], "unevaluatedProperties": False},
        "Query": _closed({
            "q": {"type": "string"}, "figure": _array({"type": "string"}), "year": _array(YEAR_VALUE),
            "month": _array(MONTH), "day": _array(DATE), "source": _array({"type": "string"}),
            "language": _array(LANGUAGE_CODE),
            "from": _nullable(DATE), "to": _nullable(DATE),
            "sort": {"type": "string", "enum": list(sr.SORTS), "description": "The order used"},
            "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
            "collapse": {"type": "boolean"}, "cluster": _nullable({"type": "string"}),
            "syntax": {"type": "string", "enum": list(sr.SYNTAXES)}}),
        "SearchResponse": _closed({
            "ok": {"const": True}, "query": _ref("Query"), "total": count, "listed": count,
            "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1}, "took_ms": {"type": "number", "minimum": 0},
            "interpreted_as": _nullable({"type": "string"}),
            "match": _nullable(_closed({"rule": {"type": "string"}, "required": count, "of": count,
                                        "ignored": _array({"type": "string"}),
                                        "notice": _nullable({"type": "string"})})),
            "warnings": _array({"type": "string"}), "hits": _array(_ref("SearchHit")),
            "facets": _closed({
                "figures": _array(facet_value({"type": "string"})), "year": _array(date_value(YEAR_VALUE)),
                "month": _array(date_value(MONTH)), "day": _array(date_value(DATE)),
                "source": _array(facet_value({"type": "string"})),
                "language": _array(date_value(LANGUAGE_CODE))}),
            "facets_truncated": _closed({"figures": {"type": "boolean"}, "source": {"type": "boolean"}}),
            "suggestion": _nullable({"type": "string"}),
            "fuzzy": _array(_closed({"word": {"type": "string"}, "matched": _array({"type": "string"})})),
            "timed_out": {"type": "boolean"},
            "co_mentions": _array(_closed({"figure": {"type": "string"}, "with": _array(_closed({
                "value": {"type": "string"}, "count": count, "search_url": {"type": "string"}}))})),
        }, required=["ok", "query", "total", "listed", "page", "per_page", "pages", "took_ms", "interpreted_as",
                     "warnings", "hits", "facets", "facets_truncated", "suggestion", "fuzzy", "timed_out",
                     "co_mentions"]),
        "FigureValues": _closed({
            "ok": {"const": True}, "facet": {"const": "figures"}, "prefix": {"type": "string"}, "total": count,
            "values": _array(facet_value({"type": "string"})), "truncated": {"type": "boolean"}}),
        "Suggestions": _closed({
            "ok": {"const": True}, "q": {"type": "string"},
            "suggestions": _array(_closed({"text": {"type": "string"}, "kind": {"enum": ["figure", "word"]},
                                           "count": count}), maxItems=SUGGEST_LIMIT[1])}),
        "ArticleResponse": _closed({
            "ok": {"const": True},
            "article": _closed({
                "id": {"type": "string"}, "title": {"type": "string"}, "date": _nullable(DATE),
                "year": _nullable({"type": "integer"}), "figures": _array({"type": "string"}),
                "url": _nullable({"type": "string"}), "source": _nullable({"type": "string"}),
                "body": {"type": "string"}, "date_precision": {"enum": ["day", "year", None]},
                "title_html": {"type": "string"}, "paragraphs_html": _array({"type": "string"}),
                "title_derived": {"type": "boolean"}, "language": _nullable({"type": "string"})},
                required=["id", "title", "date", "year", "figures", "url", "source", "body", "date_precision",
                          "title_html", "paragraphs_html", "title_derived", "language"]),
            "related": _array(_closed({"id": {"type": "string"}, "title": {"type": "string"},
                                       "date": _nullable(DATE), "figures": _array({"type": "string"}),
                                       "score": {"type": "number"}}), maxItems=5)}),
        "FigureProfile": _closed({
            "ok": {"const": True}, "name": {"type": "string"}, "articles": {"type": "integer", "minimum": 1},
            "undated": count,
            "first": _nullable({"type": "string", "pattern": r"^\d{4}(-\d{2}-\d{2})?$"}),
            "last": _nullable({"type": "string", "pattern": r"^\d{4}(-\d{2}-\d{2})?$"}),
            "per_month": _array(_closed({"month": MONTH, "count": count})),
            "co_mentions": _array(_closed({"value": {"type": "string"}, "count": count})),
            "recent": _array(_ref("Hit"))}),
    }
