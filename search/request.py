"""What a search asks for, checked: :class:`SearchRequest` and the parsing of raw parameters.

The web layer and the CLI both hand raw strings to :meth:`SearchRequest.from_params`, which either
returns a request whose every field is valid or raises :class:`BadRequest` naming the parameter.
"""

import dataclasses
import datetime
import re

SORTS = ("relevance", "newest", "oldest")
#: The ``year`` value of articles without a date (held as year 0).
UNDATED = "undated"
#: How query text is read: ``lenient`` searches text that is not valid syntax as plain words (with a
#: warning); ``strict`` answers it with an error saying where (for scripts).
SYNTAXES = ("lenient", "strict")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
#: Deepest result a client may page to (page * per_page).
MAX_DEPTH = 10_000
MAX_VALUES = 20
MAX_VALUE_LENGTH = 200

#: The parameters of a search: :meth:`SearchRequest.from_params` reads these and no others.
PARAMS = ("q", "figure", "year", "month", "day", "source", "language", "from", "to", "sort", "page",
          "per_page", "collapse", "cluster", "syntax")

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadRequest(ValueError):
    """A search parameter has a value that cannot be used; the message says which and why"""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclasses.dataclass(frozen=True)
class SearchRequest:
    """One search: query text, filters, order and page. Dates are ``datetime.date``."""

    q: str = ""
    figures: tuple = ()
    years: tuple = ()
    months: tuple = ()
    days: tuple = ()
    sources: tuple = ()
    #: ISO 639-1 codes ("de"): articles in any of these languages.
    languages: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    collapse: bool = True
    cluster: str = ""
    syntax: str = "lenient"

    @classmethod
    def from_params(cls, params) -> "SearchRequest":
        """Build a request from a mapping of parameter name to a list of raw string values.

        :raise BadRequest: for any value that is malformed or out of range.
        """
        req = cls(
            q=_one(params, "q", "").strip(),
            figures=_many(params, "figure"),
            years=tuple(_year(v) for v in _many(params, "year")),
            months=tuple(_month(v) for v in _many(params, "month")),
            days=tuple(_day(v) for v in _many(params, "day")),
            sources=_many(params, "source"),
            languages=tuple(dict.fromkeys(_language(v) for v in _many(params, "language"))),
            date_from=_date(_one(params, "from", ""), "from"),
            date_to=_date(_one(params, "to", ""), "to"),
            sort=_choice(_one(params, "sort", "relevance"), "sort", SORTS),
            page=_integer(_one(params, "page", "1"), "page", 1, None),
            per_page=_integer(_one(params, "per_page", str(DEFAULT_PER_PAGE)), "per_page", 1, MAX_PER_PAGE),
            collapse=_boolean(_one(params, "collapse", "true"), "collapse"),
            cluster=_one(params, "cluster", "").strip()[:MAX_VALUE_LENGTH],
            syntax=_choice(_one(params, "syntax", "lenient"), "syntax", SYNTAXES),
        )
        req.check()
        return req

    def check(self) -> None:
        """Raise :class:`BadRequest` for combinations that make no sense."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadRequest("from", f"{self.date_from} is after to={self.date_to}")
        if self.page * self.per_page > MAX_DEPTH + self.per_page:
            raise BadRequest("page", f"results deeper than {MAX_DEPTH} are not served; narrow the search")

    @property
    def order(self) -> str:
        """The order hits are listed in: without a query there is no relevance, so newest first."""
        return "newest" if self.sort == "relevance" and not self.q else self.sort

    def to_params(self) -> dict:
        """The request as URL parameters (lists for repeatable ones), defaults left out."""
        params = {
            "q": self.q,
            "figure": list(self.figures),
            "year": [str(y) if y else UNDATED for y in self.years],
            "month": list(self.months),
            "day": list(self.days),
            "source": list(self.sources),
            "language": list(self.languages),
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort if self.sort != "relevance" else "",
            "page": str(self.page) if self.page != 1 else "",
            "per_page": str(self.per_page) if self.per_page != DEFAULT_PER_PAGE else "",
            "collapse": "" if self.collapse else "false",
            "cluster": self.cluster,
            "syntax": self.syntax if self.syntax != "lenient" else "",
        }
        return {k: v for k, v in params.items() if v}

    def echo(self) -> dict:
        """The request as the JSON response echoes it."""
        return {
            "q": self.q,
            "figure": list(self.figures),
            "year": [y if y else UNDATED for y in self.years],
            "month": list(self.months),
            "day": list(self.days),
            "source": list(self.sources),
            "language": list(self.languages),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "sort": self.order,
            "page": self.page,
            "per_page": self.per_page,
            "collapse": self.collapse,
            "cluster": self.cluster or None,
            "syntax": self.syntax,
        }

    def replace(self, **changes) -> "SearchRequest":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def unknown_params(names, also=()) -> list:
    """Warnings for the parameter names a search does not read (they are ignored, and said so).

    :param also: other names the caller reads (an endpoint's own parameters).
    """
    known = set(PARAMS) | set(also)
    return [f"unknown parameter '{name[:50]}' ignored (parameters: {', '.join(PARAMS)})"
            for name in dict.fromkeys(names) if name not in known]


def _values(params, name):
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name, [])
    return value if isinstance(value, (list, tuple)) else [value]


def _one(params, name, default):
    values = [v for v in _values(params, name) if v is not None]
    if len(values) > 1:
        raise BadRequest(name, "give it at most once")
    value = str(values[0]) if values else default
    if "\x00" in value:
        raise BadRequest(name, "contains a NUL character")
    return value


def _many(params, name):
    values = [str(v).strip() for v in _values(params, name) if str(v).strip()]
    if len(values) > MAX_VALUES:
        raise BadRequest(name, f"at most {MAX_VALUES} values")
    for value in values:
        if len(value) > MAX_VALUE_LENGTH or "\x00" in value:
            raise BadRequest(name, f"values are at most {MAX_VALUE_LENGTH} characters of text")
    return tuple(dict.fromkeys(values))


def _integer(text, name, low, high):
    try:
        value = int(text.strip())
    except ValueError:
        raise BadRequest(name, f"{text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise BadRequest(name, f"must be {bounds}, got {value}")
    return value


def _year(text):
    """A year from 1 to 9999, or ``undated`` (held as 0)."""
    return 0 if text.lower() == UNDATED else _integer(text, "year", 1, 9999)


def _month(text):
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadRequest("month", f"{text!r} is not a month like 2020-01")
    return text


def _language(text):
    """An ISO 639-1 code, as the index stores languages (``DE``, ``de-AT`` and ``de_AT`` are ``de``)."""
    code = text.lower().replace("_", "-").split("-")[0]
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise BadRequest("language", f"{text[:50]!r} is not a language code like de or en")
    return code


def _day(text):
    _date(text, "day")
    return text


def _date(text, name):
    text = text.strip()
    if not text:
        return None
    match = _DAY.match(text)
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])) if match else _fail()
    except ValueError:
        raise BadRequest(name, f"{text!r} is not a date like 2020-01-30") from None


def _fail():
    raise ValueError


def _boolean(text, name):
    value = text.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise BadRequest(name, f"{text!r} is not true or false")
    return value in ("true", "1", "yes")


def _choice(text, name, choices):
    if text not in choices:
        raise BadRequest(name, f"{text!r} is not one of {', '.join(choices)}")
    return text
