"""The search page's date-range control: histograms of the results over time whose bars are links.

The bars come from the date facets: a row of years, and when the dates chosen lie in one year a row of
its months, and in one month a row of its days; in date order, months and days without articles
included so gaps show. Each bar is
a link that sets ``from``/``to`` (so it works without JavaScript): with no range, to the bar's period;
a bar outside the current range stretches the range to take it in; a bar inside narrows the range to
it. Choosing a range replaces the year, month and day selections. Bar heights are on a log scale, so a
year with 20 articles still shows beside one with 20,000; the count is written on each bar.
"""

import calendar
import dataclasses
import datetime
import math

from web.urls import search_url

#: Height classes of a bar (``h0`` … ``h20`` in the stylesheet): steps of 5 %.
STEPS = 20
#: Past this many bars, counts are not written on the bars (they are in each bar's label and the lists).
COUNTS_UP_TO = 12


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    count: int
    start: datetime.date
    end: datetime.date
    step: int
    selected: bool
    url: str | None


def date_control(facets: dict, req) -> dict | None:
    """What the template draws: ``rows`` of bars (years; with one year, its months; with one month,
    its days), each ``{unit, heading, bars, counts_on_bars}``, and the range inputs' values and bounds."""
    low, high = _effective_range(req)
    rows = []
    for unit in ("year", "month", "day"):
        dated = [v for v in facets.get(unit, ()) if v["label"] != "undated"]
        if unit != "year" and not any(v["count"] for v in dated):
            break
        if dated:
            rows.append(_row(unit, dated, req, low, high))
    if not rows:
        return None
    return {
        "rows": rows,
        "min": rows[0]["bars"][0].start.isoformat(),
        "max": rows[0]["bars"][-1].end.isoformat(),
        "from": low.isoformat() if low else "",
        "to": high.isoformat() if high else "",
        "clear_url": search_url(req, **{"from": "", "to": ""}) if req.date_from or req.date_to else None,
    }


def _row(unit, dated, req, low, high) -> dict:
    periods = _periods(unit, dated)
    peak = max(periods.values(), default=0)
    bars = [_bar(req, label, count, peak, low, high) for label, count in periods.items()]
    return {"unit": unit, "heading": _heading(unit, dated), "bars": bars,
            "counts_on_bars": len(bars) <= COUNTS_UP_TO}


def _periods(unit, values) -> dict:
    """``{label: count}`` in date order; the months of a year and the days of a month complete."""
    counts = {v["label"]: v["count"] for v in values}
    if unit == "month":
        year = values[0]["label"][:4]
        if all(label[:4] == year for label in counts):
            return {f"{year}-{m:02d}": counts.get(f"{year}-{m:02d}", 0) for m in range(1, 13)}
    if unit == "day":
        month = values[0]["label"][:7]
        if all(label[:7] == month for label in counts):
            days = calendar.monthrange(int(month[:4]), int(month[5:]))[1]
            return {f"{month}-{d:02d}": counts.get(f"{month}-{d:02d}", 0) for d in range(1, days + 1)}
    return {label: counts[label] for label in sorted(counts)}


def period(label: str) -> tuple:
    """The first and last day of a year (``YYYY``), month (``YYYY-MM``) or day."""
    parts = [int(p) for p in label.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return datetime.date(parts[0], parts[1], 1), datetime.date(parts[0], parts[1], last)
    day = datetime.date(*parts)
    return day, day


def _bar(req, label, count, peak, low, high) -> Bar:
    start, end = period(label)
    inside = (low or high) is not None and (low is None or start >= low) and (high is None or end <= high)
    if inside or not (low or high):
        new = (start, end)
    else:
        new = (min(low, start) if low else None, max(high, end) if high else None)
    url = search_url(req, year=[], month=[], day=[],
                     **{"from": new[0].isoformat() if new[0] else "", "to": new[1].isoformat() if new[1] else ""})
    step = round(STEPS * math.log1p(count) / math.log1p(peak)) if count and peak else 0
    return Bar(label, count, start, end, max(step, 1) if count else 0, inside, url if count else None)


def _heading(unit, values) -> str:
    if unit == "day":
        return f"Articles per day, {values[0]['label'][:7]}"
    if unit == "month":
        years = {v["label"][:4] for v in values}
        return f"Articles per month, {years.pop()}" if len(years) == 1 else "Articles per month"
    return "Articles per year"


def _effective_range(req) -> tuple:
    """The chosen dates as a range: ``from``/``to``, else the span of the chosen days, months or years."""
    labels = list(req.days) or list(req.months) or [str(y) for y in req.years if y]
    chosen = [period(label) for label in labels]
    low = req.date_from or (min(start for start, _ in chosen) if chosen else None)
    high = req.date_to or (max(end for _, end in chosen) if chosen else None)
    return low, high


def facet_headings(facets: dict) -> dict:
    """Headings of the month and day facets: "Months of 2020" when all are of one year, else "Months"."""
    years = {v["label"][:4] for v in facets.get("month", ())}
    months = {v["label"][:7] for v in facets.get("day", ())}
    return {
        "month": f"Months of {years.pop()}" if len(years) == 1 else "Months",
        "day": f"Days of {months.pop()}" if len(months) == 1 else "Days",
    }
