"""Every hit of a search, streamed: CSV and JSON Lines exports, and an Atom feed of the newest hits.

An export ranks the matches a chunk at a time (:func:`search.engine.ordered`) and turns each hit
into a row as it goes, so memory stays flat however many articles match: only the matching document
numbers (with their scores for relevance order) are held, never the hits (stored text, snippets).
Snippets are plain text here: ``<mark>`` removed and HTML entities decoded.

An export streams under its own time limit (``EXPORT_TIME_LIMIT``, :mod:`search.deadline`): past it,
or when its matching was itself cut short, the export ends cleanly with a last line that says so
(:class:`Cut`), never with a broken connection. A client that goes away closes the stream, and the
work stops with it.
"""

import csv
import datetime
import html
import io
import json
import re
import xml.etree.ElementTree as ET

from index.hygiene import repair_surrogates
from index.store import current_generation
from search import deadline as dl
from search.deadline import TimeUp
from search.engine import Matched
from search.engine import highlight_terms
from search.engine import make_hit
from search.engine import ordered

#: Export formats and their media types.
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Fields of every exported row, in column order.
COLUMNS = ("id", "title", "date", "year", "figures", "url", "source", "snippet")
#: Hits ranked in the first step of an export (each later step ranks twice as many).
CHUNK = 500
#: Entries in a feed.
FEED_SIZE = 50
#: How a CSV cell joins the figure names of a row (JSON Lines keeps them a list). Not the index's
#: ``FIGURE_SEPARATOR``: a cell is read by people and spreadsheets, so names are joined readably.
CSV_LIST_JOINER = "; "

ATOM = "http://www.w3.org/2005/Atom"
_MARK = re.compile(r"<mark(?: class=\"figure\")?>|</mark>")
#: Leading characters that make a spreadsheet read a cell as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class Cut:
    """The end of an export that stopped early: how many rows were written (None: not known), of how
    many, and why."""

    def __init__(self, rows: int | None, total: int | None, reason: str):
        self.rows, self.total, self.reason = rows, total, reason

    @property
    def message(self) -> str:
        if self.rows is None:
            return f"export cut: {self.reason}"
        return (f"export cut: {self.reason}; {self.rows:,} of {self.total:,} rows written; "
                "narrow the search to export the rest")

    def to_json(self) -> dict:
        return {"export_cut": True, "rows": self.rows, "total": self.total, "message": self.message}


def cut_line(fmt: str, cut: Cut) -> str:
    """The last line of an export of format ``fmt`` that was cut: a CSV comment line (one cell,
    ``# export cut: …``) or a JSON object with ``"export_cut": true``."""
    if fmt == "csv":
        return _csv_line(["# " + cut.message])
    return json.dumps(cut.to_json(), ensure_ascii=False) + "\n"


def rows(searcher, matched: Matched, chunk: int = CHUNK, until: float | None = None):
    """Every hit of ``matched`` in the request's order, as an export row (a dict of :data:`COLUMNS`),
    then a :class:`Cut` if the export stopped early.

    Each step ranks twice as many hits as the one before: ranking the hits up to ``stop`` costs
    about as much for any ``start``, so doubling keeps the total work to about two full rankings.

    :param until: when the export must end (a ``time.monotonic()`` value), or None.
    """
    start, written, total = 0, 0, matched.total
    with dl.within(None, until=until, replace=True):
        try:
            terms = highlight_terms(searcher, matched)
            while start < total:
                stop = min(total, start + chunk)
                for docnum, score in ordered(searcher, matched, start, stop, fallback=False):
                    dl.check_deadline()
                    yield export_row(make_hit(searcher, docnum, score, matched, terms))
                    written += 1
                start, chunk = stop, chunk * 2
        except TimeUp:
            yield Cut(written, total, "the export time limit was reached")
            return
    if matched.timed_out:
        yield Cut(written, total, "matching reached the search time limit, so only the articles "
                                "found by then were exported")


def export_row(hit: dict) -> dict:
    """One API hit as an export row: its stored fields and a plain-text snippet."""
    row = {name: hit.get(name) for name in COLUMNS}
    row["snippet"] = plain_text(hit["snippet"])
    return row


def plain_text(snippet_html: str) -> str:
    """A highlighted snippet as plain text (``<mark>`` removed, entities decoded)."""
    return html.unescape(_MARK.sub("", snippet_html or ""))


def csv_lines(rows_):
    """A header line, then one CSV line (RFC 4180) per row; figures joined by ``"; "``."""
    yield _csv_line(COLUMNS)
    for row in rows_:
        if isinstance(row, Cut):
            yield cut_line("csv", row)
            continue
        cells = [_csv_cell(name, row[name]) for name in COLUMNS]
        yield _csv_line(cells)


def jsonl_lines(rows_):
    """One JSON object per row and line (a cut export ends with ``{"export_cut": true, …}``)."""
    for row in rows_:
        yield cut_line("jsonl", row) if isinstance(row, Cut) else json.dumps(row, ensure_ascii=False) + "\n"


def lines(searcher, matched: Matched, fmt: str, until: float | None = None):
    """The lines of an export of ``matched`` in format ``fmt`` (a key of :data:`FORMATS`), ending by
    ``until`` (a ``time.monotonic()`` value) with a last line saying the export was cut."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    writer = csv_lines if fmt == "csv" else jsonl_lines
    return writer(rows(searcher, matched, until=until))


def _csv_line(cells) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


def _csv_cell(name, value) -> str:
    if value is None:
        return ""
    text = CSV_LIST_JOINER.join(value) if name == "figures" else str(value)
    # Any scraped cell (a title, a figure, a source, an id) like "=HYPERLINK(…)" must stay text when
    # a spreadsheet opens the file.
    return "'" + text if text.startswith(_FORMULA) else text


def newest_hits(searcher, matched: Matched, size: int = FEED_SIZE) -> list:
    """The ``size`` newest hits of ``matched`` (its request should sort by ``newest``)."""
    ranked = ordered(searcher, matched, 0, size)
    terms = highlight_terms(searcher, matched)
    return [make_hit(searcher, docnum, score, matched, terms) for docnum, score in ranked]


def index_time(index_dir) -> datetime.datetime:
    """When the live index was last committed (UTC), for feed timestamps."""
    gen = current_generation(index_dir)
    tocs = list(gen.glob("*.toc")) if gen else []
    stamp = max((p.stat().st_mtime for p in tocs), default=0.0)
    return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).replace(microsecond=0)


def atom_feed(hits: list, title: str, self_url: str, alternate_url: str, article_url,
              updated) -> bytes:
    """An Atom 1.0 document of ``hits`` (newest first), as UTF-8 bytes.

    :param article_url: a function from an article id to the absolute URL of its page.
    :param updated: a UTC datetime for articles without a full date (the index's commit time).
    """
    feed = ET.Element("feed", xmlns=ATOM)
    stamps = [_entry_time(hit, updated) for hit in hits]
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    _text(feed, "updated", _rfc3339(max(stamps, default=updated)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _text(ET.SubElement(feed, "author"), "name", "newsearch")
    _text(feed, "generator", "newsearch")
    for hit, stamp in zip(hits, stamps):
        _entry(feed, hit, article_url(hit["id"]), stamp)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed, hit, url, stamp):
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", url)
    _text(entry, "title", hit["title"] or hit["id"])
    _text(entry, "updated", _rfc3339(stamp))
    if hit.get("date"):
        _text(entry, "published", _rfc3339(stamp))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=url)
    if isinstance(hit.get("url"), str) and hit["url"].lower().startswith(("http://", "https://")):
        ET.SubElement(entry, "link", rel="related", href=_xml_safe(hit["url"]))
    _text(ET.SubElement(entry, "author"), "name", hit.get("source") or "newsearch")
    for name in hit["figures"]:
        ET.SubElement(entry, "category", term=_xml_safe(name))
    _text(entry, "summary", plain_text(hit["snippet"]), type="text")


def _entry_time(hit, updated):
    if hit.get("date"):
        day = datetime.date.fromisoformat(hit["date"])
        return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
    return updated


def _rfc3339(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent, tag, text, **attrib):
    element = ET.SubElement(parent, tag, **attrib)
    element.text = _xml_safe(text)
    return element


def _xml_safe(text: str) -> str:
    """``text`` without what XML 1.0 cannot hold: control characters (ElementTree writes them as is)
    and lone surrogates (it writes them as ``&#55296;``, which no parser accepts)."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", repair_surrogates(text or ""))
