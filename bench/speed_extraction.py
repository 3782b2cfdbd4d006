"""Extraction speed of two checkouts side by side: CPU seconds of ``build_article`` over the same inputs.

Each measurement runs in a fresh process (so the lexicons, models and caches are loaded as a reindex worker
loads them, inside the timed loop) with the other checkout's code nowhere on its path; the checkouts alternate
round by round and the median of each is reported with their ratio and the load average.

    .venv/bin/python -m bench.speed_extraction /work/main . --rounds 3

Corpora: Reuters-21578 (its first :data:`REUTERS_STORIES` stories as JSON Lines records without figures, so
figures are found) and the HTML pages of ``html-trafilatura-dev``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
REUTERS_STORIES = 6000

#: Run inside the measured checkout: build the items, then time ``build_article`` over them.
PROBE = r"""
import gzip, json, sys, time
from pathlib import Path
from index.extract import Item, Skipped, build_article, iter_items
from index.sources import iter_sources
corpus, path = sys.argv[1], Path(sys.argv[2])
if corpus == "reuters":
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(int(sys.argv[3])), lines)]
    items = [Item("jsonl", r["id"], "reuters", "", {"id": r["id"], "title": r["title"], "body": r["body"]})
             for r in records]
else:  # the items a reindex of the folder makes, with what the collection teaches its pages
    files = list(iter_sources([path]))
    try:
        from index.extract import collection_key, learn_collections
    except ImportError:  # a checkout from before collection learning
        items = [item for src in files for item in iter_items(src)]
    else:
        learned = learn_collections(files)
        items = [item for src in files for item in iter_items(src, learned.get(collection_key(src)))]
    items = [item for item in items if not isinstance(item, Skipped)]
started, failed = time.process_time(), 0
for item in items:
    try:
        build_article(item)
    except Exception:
        failed += 1
print(time.process_time() - started, len(items), failed)
"""


def measure(checkout: Path, corpus: str) -> tuple[float, int]:
    path = CORPORA / ("reuters21578/articles.jsonl.gz" if corpus == "reuters" else "html-trafilatura-dev/html")
    python = checkout / ".venv" / "bin" / "python"
    done = subprocess.run([str(python if python.exists() else sys.executable), "-c", PROBE, corpus, str(path),
                           str(REUTERS_STORIES)], cwd=checkout, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(checkout)})
    seconds, count, failed = done.stdout.split()
    if int(failed) * 10 > int(count):  # a probe that cannot build the items measures nothing
        raise SystemExit(f"{checkout}: {failed} of {count} {corpus} items failed to extract: not a measurement")
    return float(seconds), int(count)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the checkout compared against (e.g. main)")
    parser.add_argument("new", type=Path, help="the checkout measured")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", choices=("reuters", "html"), action="append")
    args = parser.parse_args(argv)
    for corpus in args.corpus or ("reuters", "html"):
        times: dict[Path, list[float]] = {args.base: [], args.new: []}
        for _ in range(args.rounds):
            for checkout in (args.base, args.new):
                seconds, count = measure(checkout.resolve(), corpus)
                times[checkout].append(seconds)
        base, new = (statistics.median(times[c]) for c in (args.base, args.new))
        print(f"{corpus}: {count} items; {args.base}: {base:.2f} CPU-s, {args.new}: {new:.2f} CPU-s "
              f"(medians of {args.rounds}), ratio {new / base:.2f}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
