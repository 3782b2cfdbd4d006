"""One table of extraction quality, measured on the shared development sets (never copied into the repo).

Runs the project's own extraction over ../shared/corpora and prints every row of the extraction issue's
targets side by side with plain trafilatura on the HTML sets:

    .venv/bin/python -m bench.quality            # quality rows (about two minutes)
    .venv/bin/python -m bench.quality --speed    # plus a timed full reindex of Reuters-21578

Rows come from :mod:`bench.quality_html` (body, title, date), :mod:`bench.quality_figures` (named
figures, English and German), :mod:`bench.quality_languages` (language detection, the German figures audit) and
:func:`seed_rows` below, which checks the two seed pages through the real pipeline
(``index.extract_articles``, the same code ``newsearch extract`` runs).
"""

import argparse
import datetime
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import quality_figures
from bench import quality_html
from bench import quality_languages
from index import extract_articles
from index import reindex

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
SEED_000_TITLE = "Tribute to the Memory from Russian senators"
SEED_002_TITLE = ("The final stage of the installation of the central figure of the Rzhev Memorial to the "
                  "Soviet Soldier has begun")
SEED_002_FIGURES = {"Grigory Rapota", "Nikolai Ovsienko", "Igor Rudeni", "Alexander Shkolnik"}
SEED_000_FIGURES = {"Valentina Matvienko", "Dmitry Vasilenko", "Patriarch Kirill"}
TEASER_FIGURES = {"Imangali Tasmagambetov", "Ararat Mirzoyan"}
BOILERPLATE = ("Tasmagambetov", "June 6, 2024", ".jpeg", "Go back", "Back to the all news")
SPEED_TARGET_SECONDS = 120


def row(what, set_, measure, value, target, ok, detail):
    return {"what": what, "set": set_, "measure": measure, "value": value, "target": target, "ok": ok,
            "detail": detail}


def seed_rows() -> list[dict]:
    """The seed pages through the real pipeline: titles, dates, figures, clean bodies."""
    seeds = CORPORA / "seeds"
    if not seeds.is_dir():
        return []
    articles = {a.id.rsplit("/", 1)[-1][:3]: a for a in extract_articles([seeds], workers=0)
                if hasattr(a, "title")}
    a000, a002 = articles["000"], articles["002"]
    checks = [
        ("000 title", a000.title == SEED_000_TITLE, a000.title),
        ("000 year 2020, no day", (a000.year, a000.date) == (2020, None), f"{a000.year} / {a000.date}"),
        ("000 figures include", SEED_000_FIGURES <= set(a000.figures), ", ".join(a000.figures)),
        ("000 no teaser figures", not TEASER_FIGURES & set(a000.figures), ""),
        ("002 title", a002.title == SEED_002_TITLE, a002.title),
        ("002 date", a002.date == datetime.date(2020, 1, 30), str(a002.date)),
        ("002 figures exactly", set(a002.figures) == SEED_002_FIGURES, ", ".join(a002.figures)),
        ("bodies clean", not any(b in a.body for a in (a000, a002) for b in BOILERPLATE),
         "no teaser, image names or footer"),
    ]
    return [row("seeds", "seeds", name, 1.0 if ok else 0.0, 1.0, ok, detail) for name, ok, detail in checks]


def speed_rows() -> list[dict]:
    """A full reindex of Reuters-21578 from JSON Lines (figures extracted), timed."""
    source = CORPORA / "reuters21578" / "articles.jsonl.gz"
    if not source.exists():
        return []
    folder = Path(tempfile.mkdtemp(prefix="newsearch-speed-"))
    try:
        started = time.perf_counter()
        report = reindex([source], folder / "ix", full=True)
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    done = report.added + report.updated
    detail = (f"{done:,} articles in {seconds:.1f} s wall ({done / seconds:,.0f}/s); extraction "
              f"{report.extract_cpu_seconds:.1f} CPU-s ({done / max(report.extract_cpu_seconds, 1e-9):,.0f}"
              f"/CPU-s, in worker processes); writing {report.write_seconds:.1f} s "
              f"({done / max(report.write_seconds, 1e-9):,.0f}/s)")
    return [row("speed", "reuters21578", "reindex --full wall seconds", round(seconds, 1),
                SPEED_TARGET_SECONDS, seconds <= SPEED_TARGET_SECONDS, detail)]


def print_table(rows) -> None:
    print(f"{'what':8} {'set':22} {'measure':38} {'value':>9} {'target':>7} {'ok':4} detail")
    for r in rows:
        target = "" if r["target"] is None else (f"≤{r['target']}" if r["what"] == "speed" else r["target"])
        value = f"{r['value']:.4f}" if isinstance(r["value"], float) and r["value"] < 10 else r["value"]
        print(f"{r['what']:8} {r['set']:22} {r['measure']:38} {value!s:>9} {target!s:>7} "
              f"{'yes' if r['ok'] else 'NO':4} {r['detail']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", action="store_true", help="also time a full reindex of Reuters-21578")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"No corpora at {CORPORA}: nothing to measure.")
        return 0
    rows = quality_html.rows() + quality_figures.rows() + quality_languages.rows() + seed_rows()
    if args.speed:
        rows += speed_rows()
    print_table(rows)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
