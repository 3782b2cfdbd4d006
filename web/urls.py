"""URLs that add or remove one filter value, for facet links and filter chips."""

from urllib.parse import quote_plus

from flask import g
from flask import url_for


def search_url(req, endpoint="pages.search", **changes) -> str:
    """The URL of ``req`` with some parameters changed (a changed filter always goes back to page 1).

    A response carries dozens of these (one per facet value), so the endpoint's path is looked up and
    the unchanged parameters are encoded once per request; only the changed ones are encoded per URL.
    The result is what ``url_for(endpoint, **params)`` gives. Parameters a page keeps on every link
    (``g.keep_params``, such as the compact list's ``view``) are added.
    """
    params, encoded = _encoded(req)
    parts = []
    for name in params:
        if name in changes:
            parts.append(_encode(name, changes[name]))
        else:
            parts.append(encoded[name])
    parts += [_encode(name, value) for name, value in changes.items() if name not in params]
    query = "&".join(part for part in parts if part)
    path = _path(endpoint)
    return f"{path}?{query}" if query else path


def _encoded(req):
    """``req``'s parameters (without ``page``) and each one's encoded form, worked out once per request."""
    cache = g.setdefault("search_params", {})
    found = cache.get(id(req))
    if found is None or found[0] is not req:
        params = req.to_params()
        params.pop("page", None)
        params.update(g.get("keep_params") or {})
        found = cache[id(req)] = (req, params, {name: _encode(name, v) for name, v in params.items()})
    return found[1], found[2]


def _encode(name, value) -> str:
    """``name=value`` as ``urlencode({name: value}, doseq=True)`` gives it (lists repeat the name)."""
    if value in (None, "", []):
        return ""
    key = quote_plus(name)
    if isinstance(value, (list, tuple)):
        return "&".join(f"{key}={quote_plus(str(v))}" for v in value)
    return f"{key}={quote_plus(str(value))}"


def _path(endpoint: str) -> str:
    paths = g.setdefault("search_paths", {})
    if endpoint not in paths:
        paths[endpoint] = url_for(endpoint)
    return paths[endpoint]


def toggle_url(req, param: str, value, endpoint="pages.search") -> str:
    """The URL of ``req`` with ``value`` added to or removed from the repeatable ``param``."""
    values = list(_encoded(req)[0].get(param, []))
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
FACET_PARAMS = {"figures": "figure", "year": "year", "month": "month", "day": "day", "source": "source",
                "language": "language"}


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
