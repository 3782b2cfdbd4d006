"""THE BASELINE: a straightforward Whoosh + Flask search service, for comparison only.

This is what a competent first version of newsearch would look like, written the way Whoosh's and
Flask's documentation suggest, so that ``bench.perf`` can print every newsearch figure as a ratio to it:

* a plain schema (below) and a plain indexer that extracts nothing: it indexes the JSON Lines'
  ``title``, ``body`` and ``date`` and takes the record's ``figures`` as they are (:mod:`bench.corpus`
  writes there the names newsearch extracts from the same text, so both facet on the same people);
  one ``ix.writer()``, one process, one commit;
* a Flask app that opens a new searcher per request (``with ix.searcher() as s:``), parses the query
  with a ``MultifieldParser`` over title and body, filters with ``Term``/``DateRange`` queries, counts
  facets with ``groupedby`` (``FieldFacet`` on figures with ``allow_overlap=True``, and on year), and
  makes snippets with the default highlighter (``hit.highlights("body")``);
* served by gunicorn with the same processes and threads as ``newsearch serve`` gets.

Index: ``python -m bench.baseline_app index SOURCE_DIR INDEX_DIR``.
Serve: ``BASELINE_INDEX_DIR=INDEX_DIR gunicorn -k gthread -w 2 --threads 4 'bench.baseline_app:create_app()'``.
"""

import argparse
import datetime
import json
import os
import shutil
import sys
import time
from pathlib import Path

from flask import Flask
from flask import jsonify
from flask import request
from whoosh import index
from whoosh import query as wq
from whoosh.fields import DATETIME
from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import NUMERIC
from whoosh.fields import TEXT
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser
from whoosh.sorting import FieldFacet

FACET_SIZE = 20


def make_schema() -> Schema:
    """The baseline's plain schema: Whoosh's defaults, nothing tuned."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(stored=True),
        date=DATETIME(stored=True, sortable=True),
        year=NUMERIC(stored=True, sortable=True),
        figures=KEYWORD(stored=True, commas=True),
    )


def to_document(record: dict) -> dict:
    """One JSON Lines record as the baseline indexes it (no extraction)."""
    doc = {"id": str(record["id"]), "title": record.get("title") or "", "body": record.get("body") or ""}
    if record.get("date"):
        date = datetime.datetime.fromisoformat(record["date"])
        doc["date"], doc["year"] = date, date.year
    figures = [f for f in record.get("figures") or [] if f]
    if figures:
        doc["figures"] = ",".join(figures)
    return doc


def build_index(source_dir, index_dir) -> int:
    """Index every ``*.jsonl`` under ``source_dir`` into a new index; return the document count."""
    shutil.rmtree(index_dir, ignore_errors=True)
    os.makedirs(index_dir)
    ix = index.create_in(index_dir, make_schema())
    writer = ix.writer()
    count = 0
    for path in sorted(Path(source_dir).rglob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    writer.add_document(**to_document(json.loads(line)))
                    count += 1
    writer.commit()
    return count


def create_app(index_dir=None):
    """The baseline's Flask app over ``index_dir`` (default ``$BASELINE_INDEX_DIR``)."""
    app = Flask(__name__)
    ix = index.open_dir(index_dir or os.environ["BASELINE_INDEX_DIR"])
    parser = MultifieldParser(["title", "body"], ix.schema)

    @app.get("/api/search")
    def search():
        q = request.args.get("q", "")
        page = int(request.args.get("page", "1"))
        with ix.searcher() as s:
            results = s.search_page(
                parser.parse(q) if q else wq.Every(),
                page,
                pagelen=10,
                groupedby={"figures": FieldFacet("figures", allow_overlap=True), "year": FieldFacet("year")},
                filter=make_filter(request.args),
            )
            hits = [hit_json(hit) for hit in results]
            return jsonify(
                ok=True,
                query=dict(request.args),
                total=results.total,
                page=results.pagenum,
                per_page=10,
                pages=results.pagecount,
                hits=hits,
                facets={
                    "figures": facet_json(results.results.groups("figures"))[:FACET_SIZE],
                    "year": facet_json(results.results.groups("year")),
                },
            )

    return app


def make_filter(args):
    """``figure``, ``year``, ``from`` and ``to`` as a Whoosh filter query, or None."""
    parts = [wq.Term("figures", f) for f in args.getlist("figure")]
    years = [wq.Term("year", int(y)) for y in args.getlist("year")]
    if years:
        parts.append(wq.Or(years))
    start, end = args.get("from"), args.get("to")
    if start or end:
        low = datetime.datetime.fromisoformat(start) if start else None
        high = datetime.datetime.fromisoformat(end) + datetime.timedelta(days=1) if end else None
        parts.append(wq.DateRange("date", low, high, endexcl=True))
    return wq.And(parts) if parts else None


def hit_json(hit) -> dict:
    date = hit.get("date")
    return {
        "id": hit["id"],
        "title": hit.get("title"),
        "date": date.date().isoformat() if date else None,
        "year": hit.get("year"),
        "figures": [f for f in (hit.get("figures") or "").split(",") if f],
        "snippet": hit.highlights("body"),
        "score": round(hit.score, 4) if hit.score is not None else None,
    }


def facet_json(groups: dict) -> list:
    counts = [(value, len(docs) if isinstance(docs, list) else docs)
              for value, docs in groups.items() if value is not None]
    counts.sort(key=lambda vc: (-vc[1], str(vc[0])))
    return [{"value": v, "count": n} for v, n in counts]


def main(argv=None):
    parser = argparse.ArgumentParser(description="The benchmark baseline's indexer.")
    sub = parser.add_subparsers(dest="command", required=True)
    idx = sub.add_parser("index", help="build the baseline index from a folder of JSON Lines")
    idx.add_argument("source_dir")
    idx.add_argument("index_dir")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = build_index(args.source_dir, args.index_dir)
    seconds = time.perf_counter() - started
    print(f"baseline: indexed {count} articles in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
