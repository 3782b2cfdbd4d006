"""Dates in running text and in metadata strings.

Only strong evidence counts: a full written date ("January 30, 2020", "30 January 2020", "2020-01-30",
"30.01.2020"), or a year stated as the current one ("this year 2020"). A month and day without a year
are returned separately so that a caller with other evidence of the year can complete them.
"""

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"

MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
DOTTED_DATE = re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")
MONTH_DAY = re.compile(rf"\b(?:on\s+)?{_MONTH}\s+{_DAY}\b(?!,?\s+\d)", re.IGNORECASE)
DAY_MONTH = re.compile(rf"\b(?:on\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+\d)", re.IGNORECASE)
THIS_YEAR = re.compile(
    r"\bthis\s+year,?\s+(?P<year>(?:19|20)\d\d)\b|\b(?P<year2>(?:19|20)\d\d)\s+is\s+the\s+year\b",
    re.IGNORECASE,
)

#: Dates outside this range are treated as mistakes, never as publication dates.
EARLIEST_YEAR = 1800


def valid_date(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None when the numbers do not make one or it lies in the future."""
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    if date.year < EARLIEST_YEAR or date > datetime.date.today() + datetime.timedelta(days=2):
        return None
    return date


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower().rstrip(".")]


def _first_full_date(text: str) -> datetime.date | None:
    found = []
    for pattern in (MONTH_DAY_YEAR, DAY_MONTH_YEAR, ISO_DATE, DOTTED_DATE):
        for match in pattern.finditer(text):
            date = valid_date(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            if date:
                found.append((match.start(), date))
                break
    return min(found)[1] if found else None


def _first_month_day(text: str):
    found = []
    for pattern in (MONTH_DAY, DAY_MONTH):
        match = pattern.search(text)
        if match and 1 <= int(match["day"]) <= 31:
            found.append((match.start(), (_month_number(match["month"]), int(match["day"]))))
    return min(found)[1] if found else None


def find_date_in_text(text: str):
    """The first full date, a stated current year, and the first month-day found in ``text``.

    :return: ``(date or None, year or None, (month, day) or None)``.
    """
    date = _first_full_date(text)
    match = THIS_YEAR.search(text)
    year = int(match["year"] or match["year2"]) if match else None
    return date, year, _first_month_day(text)


def parse_date_value(value) -> tuple[datetime.date | None, int | None]:
    """A date from a metadata value: ISO date or datetime, ``YYYY-MM``, ``YYYY``; never raises.

    :return: ``(date, year)``; date is None when the day is unknown, both None when unusable.
    """
    if value is None:
        return None, None
    text = str(value).strip()
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return None, None
    year = int(match[1])
    if match[3]:
        date = valid_date(year, int(match[2]), int(match[3]))
        return (date, date.year) if date else (None, None)
    if valid_date(year, 1, 1) is None:
        return None, None
    return None, year
