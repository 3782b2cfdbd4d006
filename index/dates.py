"""Dates in running text and in metadata strings, and the one rule for which days count.

**Which days count** (:func:`valid_date`, :func:`valid_year`), for every input alike (text dumps, HTML
pages, JSON Lines records): a real calendar day from 1 January 1800 to two days after today. Why these
bounds: an archive of news may hold digitised old papers and wire copy from before the web (Reuters-21578
is from 1987), so a floor at the web's birth would throw true dates away; before 1800 a "date" in a
news archive is a typo or a placeholder (0001-01-01, 1601-01-01). A page published this evening in a
time zone ahead of ours already carries tomorrow's date, and a clock may lag: two days of slack take
both; anything later is a scheduled event or a typo (9999-12-31), never a publication date.

**What counts as a date** is strong evidence only: a full written date ("January 30, 2020",
"30. Januar 2020", "30 de enero de 2020", "2020-01-30", "30.01.2020"), or a year stated as the current
one ("this year 2020"). A month and day without a year are returned separately so that a caller with
other evidence of the year can complete them. Slash dates (03/12/2019) are read only when one part is
over 12, so their order is certain.
"""

from __future__ import annotations

import datetime
import re
import warnings

#: Dates before this year are treated as mistakes, never as publication dates.
EARLIEST_YEAR = 1800
#: How far past today a date may lie (time zones ahead of ours, a lagging clock).
LATEST_AHEAD = datetime.timedelta(days=2)

#: Month names and abbreviations in the languages of the archives seen so far, to month numbers.
MONTHS = {name: number for number, names in enumerate((
    "jan januar jänner january janvier enero gennaio januari stycznia styczeń janeiro",
    "feb februar feber february février fevrier febrero febbraio februari lutego luty fevereiro",
    "mar mär märz maerz march mars marzo maart marca marzec março",
    "apr april avril abril aprile kwietnia kwiecień",
    "may mai mayo maggio mei maja maj maio",
    "jun juni june juin junio giugno czerwca czerwiec junho",
    "jul juli july juillet julio luglio lipca lipiec julho",
    "aug august aout août agosto augustus sierpnia sierpień",
    "sep sept september septembre septiembre setiembre settembre września wrzesień setembro",
    "oct okt october oktober octobre octubre ottobre października październik outubro",
    "nov november novembre noviembre listopada listopad novembro",
    "dec dez dezember december décembre decembre diciembre dicembre grudnia grudzień dezembro",
), 1) for name in names.split()}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_YEAR = r"(?:1[89]|20)\d\d"
_DAY = r"3[01]|[12]\d|0?[1-9]"

#: A full date as people write it: 12. März 2019, 12 de marzo de 2019, 12th of March, 2019,
#: March 12, 2019, 12.03.2019, 2019-03-12.
TEXT_DATE = re.compile(
    rf"(?<!\d)(?P<d>{_DAY})(?:st|nd|rd|th)?\.?\s*(?:de\s+|of\s+)?(?P<m>{_MONTH})\.?,?\s*(?:del?\s+)?"
    rf"(?P<y>{_YEAR})(?!\d)"
    rf"|\b(?P<m2>{_MONTH})\.?\s+(?P<d2>{_DAY})(?:st|nd|rd|th)?,?\s+(?P<y2>{_YEAR})(?!\d)"
    rf"|(?<![\d.])(?P<d3>{_DAY})\.\s?(?P<m3>1[0-2]|0?[1-9])\.\s?(?P<y3>{_YEAR})(?!\d)"
    rf"|(?<!\d)(?P<y4>{_YEAR})-(?P<m4>1[0-2]|0[1-9])-(?P<d4>{_DAY})(?!\d)",
    re.IGNORECASE,
)
MONTH_DAY = re.compile(rf"\b(?:on\s+)?(?P<month>{_MONTH})\.?\s+(?P<day>{_DAY})(?:st|nd|rd|th)?\b(?!,?\s+\d)",
                       re.IGNORECASE)
DAY_MONTH = re.compile(rf"\b(?:on\s+)?(?P<day>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b(?!,?\s+\d)",
                       re.IGNORECASE)
THIS_YEAR = re.compile(
    rf"\bthis\s+year,?\s+(?P<year>{_YEAR})\b|\b(?P<year2>{_YEAR})\s+is\s+the\s+year\b",
    re.IGNORECASE,
)

# metadata strings: 2019-03-12, 2019/03/12, 20190312, 12.03.2019, 03/12/2019 (unambiguous only)
ISO_DATE = re.compile(rf"(?<!\d)({_YEAR})([-/.]?)(1[0-2]|0?[1-9])\2({_DAY})(?!\d)")
DOTTED_DATE = re.compile(rf"(?<!\d)({_DAY})\.\s?(1[0-2]|0?[1-9])\.\s?({_YEAR})(?!\d)")
SLASH_DATE = re.compile(rf"(?<![\d/])(\d\d?)/(\d\d?)/({_YEAR})(?!\d)")
MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s", re.IGNORECASE)
YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
# 01.07.17: a day with a two-digit year, as pages show them in lists (read as 20xx)
SHORT_DOTTED_DATE = re.compile(rf"(?<![\d.])({_DAY})\.(1[0-2]|0?[1-9])\.(\d\d)(?![\d.])")


def valid_date(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None when the numbers do not make a day from 1800 to two days after today."""
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    if date.year < EARLIEST_YEAR or date > datetime.date.today() + LATEST_AHEAD:
        return None
    return date


def valid_year(year: int) -> bool:
    """Can a publication date lie in this year (the rule of :func:`valid_date`)?"""
    return EARLIEST_YEAR <= year <= (datetime.date.today() + LATEST_AHEAD).year


# --- running text -------------------------------------------------------------------------------


def text_dates(text: str):
    """Yield ``(date, start, end)`` for every valid full date written in ``text``, in order."""
    for match in TEXT_DATE.finditer(text):
        groups = match.groupdict()
        if groups["m"] or groups["m2"]:
            month = MONTHS.get((groups["m"] or groups["m2"]).lower())
            day, year = int(groups["d"] or groups["d2"]), int(groups["y"] or groups["y2"])
        elif groups["d3"]:
            day, month, year = int(groups["d3"]), int(groups["m3"]), int(groups["y3"])
        else:
            day, month, year = int(groups["d4"]), int(groups["m4"]), int(groups["y4"])
        found = valid_date(year, month, day) if month else None
        if found:
            yield found, match.start(), match.end()


def shown_days(text: str) -> list[datetime.date]:
    """Every day written in a text: the full dates of :func:`text_dates`, and 01.07.17 as 2017-07-01."""
    days = [found for found, _, _ in text_dates(text)]
    for match in SHORT_DOTTED_DATE.finditer(text):
        day, month, year = map(int, match.groups())
        found = valid_date(2000 + year, month, day)
        if found:
            days.append(found)
    return days


def first_text_date(text: str) -> tuple[datetime.date | None, int]:
    """The first full date written in running text, and where it starts (None, -1 if none)."""
    for found, start, _ in text_dates(text):
        return found, start
    return None, -1


def _first_month_day(text: str) -> tuple[int, int] | None:
    found = []
    for pattern in (MONTH_DAY, DAY_MONTH):
        match = pattern.search(text)
        if match:
            found.append((match.start(), (MONTHS[match["month"].lower()], int(match["day"]))))
    return min(found)[1] if found else None


def find_date_in_text(text: str):
    """The first full date, a stated current year, and the first month-day found in ``text``.

    :return: ``(date or None, year or None, (month, day) or None)``.
    """
    date, _ = first_text_date(text)
    match = THIS_YEAR.search(text)
    year = int(match["year"] or match["year2"]) if match else None
    return date, year if year and valid_year(year) else None, _first_month_day(text)


# --- metadata strings ---------------------------------------------------------------------------


def parse_date_string(text: str | None) -> datetime.date | None:
    """A day from a metadata string: ISO-like (2019-03-12, 20190312), 12.03.2019, 03/13/2019, or written out."""
    if not text:
        return None
    match = ISO_DATE.search(text)
    if match:
        year, _, month, day = match.groups()
        return valid_date(int(year), int(month), int(day))
    match = DOTTED_DATE.search(text)
    if match:
        day, month, year = map(int, match.groups())
        return valid_date(year, month, day)
    match = SLASH_DATE.search(text)
    if match:
        return _slash_date(*map(int, match.groups()))
    return _written_date(text) if MONTH_NAME.search(text) else None


def _slash_date(first: int, second: int, year: int) -> datetime.date | None:
    """03/12/2019 is read only when one part is over 12 (then the order is certain), else None."""
    if first > 12 >= second:
        return valid_date(year, second, first)
    if second > 12 >= first:
        return valid_date(year, first, second)
    return None


def _written_date(text: str) -> datetime.date | None:
    """'Sat, 19 Oct 2019 00:04' → 2019-10-19; None unless year, month and day are all given."""
    from dateutil import parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown time zone names ("CEST") do not matter here
            first = parser.parse(text[:80], default=datetime.datetime(1, 1, 1))
            second = parser.parse(text[:80], default=datetime.datetime(2, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if first != second:
        return None
    return valid_date(first.year, first.month, first.day)


def string_year(text: str | None) -> int | None:
    """A valid year named in a metadata string ("2019", "Spring 2019"), else None."""
    match = YEAR.search(text or "")
    return int(match.group(1)) if match and valid_year(int(match.group(1))) else None


def parse_date_value(value) -> tuple[datetime.date | None, int | None]:
    """A date from a JSON Lines value: ISO date or datetime, ``YYYY-MM``, ``YYYY``; never raises.

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
    return (None, year) if valid_year(year) else (None, None)
