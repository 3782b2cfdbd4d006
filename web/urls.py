"""URLs that add or remove one filter value, for facet links and filter chips."""

from urllib.parse import urlencode

from flask import g
from flask import url_for


def search_url(req, endpoint="pages.search", **changes) -> str:
    """The URL of ``req`` with some parameters changed (a changed filter always goes back to page 1).

    A response carries dozens of these (one per facet value), so the endpoint's path is looked up
    once per request and the parameters are encoded directly, as ``url_for`` would.
    """
    params = req.to_params()
    params.pop("page", None)
    params.update(changes)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)
    path = _path(endpoint)
    return f"{path}?{query}" if query else path


def _path(endpoint: str) -> str:
    paths = g.setdefault("search_paths", {})
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


def toggle_url(req, param: str, value, endpoint="pages.search") -> str:
    """The URL of ``req`` with ``value`` added to or removed from the repeatable ``param``."""
    values = list(req.to_params().get(param, []))
    value = str(value)
    values = [v for v in values if v != value] if value in values else values + [value]
    changes = {param: values}
    if param == "year":
        changes["month"] = [m for m in req.months if m[:4] in values]
        changes["day"] = [d for d in req.days if d[:4] in values]
    if param == "month":
        changes["day"] = [d for d in req.days if d[:7] in values]
    return search_url(req, endpoint, **changes)


#: Facet names in the response and the URL parameter each one toggles.
FACET_PARAMS = {"figures": "figure", "year": "year", "month": "month", "day": "day", "source": "source"}


def add_toggle_urls(data: dict, req, endpoint="pages.search") -> dict:
    """Give every facet value in a search result its ``toggle_url``."""
    for name, values in data["facets"].items():
        add_value_toggles(values, req, FACET_PARAMS[name], endpoint)
    return data


def add_value_toggles(values: list, req, param: str, endpoint="pages.search") -> list:
    """Give each facet value (a dict with ``value``) the ``toggle_url`` that adds or removes it."""
    for value in values:
        value["toggle_url"] = toggle_url(req, param, value["value"], endpoint)
    return values
