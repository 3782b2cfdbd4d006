"""Does a change keep search behaviour? The 50-query mix of bench.perf, through the app, in two checkouts.

``snapshot`` runs the mix (``bench/queries.json``) through the Flask app in-process against an index
and records, per query, the total, the hit ids, a hash of the snippets and the top five figures, plus
the latency of each request. ``compare`` takes a snapshot with another checkout (its own virtualenv and
code, e.g. main) and one with this checkout, alternating rounds so both see the same machine load,
and prints whether every query answered the same and the latencies side by side::

    .venv/bin/python -m bench.mix_snapshot compare --base /work/main --base-index /path/main-index \\
        --index /path/this-index --rounds 3

The other checkout needs nothing of this file's: it is run there with that checkout's own python.
"""

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def snapshot(index_dir: str, repeat: int) -> dict:
    """The mix's answers and latencies (ms) against ``index_dir``, with the code of the current folder."""
    sys.path.insert(0, ".")
    from bench.perf_http import load_queries
    from bench.perf_http import query_path
    from web import create_app

    client = create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()
    paths = [query_path(q, "newsearch") for q in load_queries()]
    answers = [_answer(path, client.get(path).get_json()) for path in paths]
    times = []
    for _ in range(repeat):
        for path in paths:
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    return {"answers": answers, "ms": times}


def _answer(path: str, body: dict) -> dict:
    hits = body.get("hits", [])
    return {"path": path, "total": body.get("total"), "ids": [h["id"] for h in hits],
            "snippets": hashlib.sha1(json.dumps([h["snippet"] for h in hits]).encode()).hexdigest(),
            "figures": [f["value"] for f in body.get("facets", {}).get("figures", [])[:5]]}


def run_snapshot(checkout: Path, python: Path, index_dir: str, repeat: int) -> dict:
    """:func:`snapshot` run by ``python`` in ``checkout`` (its code, not this one's)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        code = (f"import json, runpy, sys; sys.argv = ['mix_snapshot', 'snapshot', {index_dir!r}, {out.name!r}, "
                f"'--repeat', '{repeat}']; runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')")
        subprocess.run([str(python), "-c", code], cwd=checkout, check=True)
        return json.loads(Path(out.name).read_text())


def differences(base: list, this: list) -> list:
    """``(path, field)`` of every answer that differs."""
    return [(a["path"], k) for a, b in zip(base, this) for k in a if a[k] != b.get(k)] + \
        [("(count)", "queries")] * (len(base) != len(this))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def compare(args) -> int:
    base, this = {"answers": None, "ms": []}, {"answers": None, "ms": []}
    rounds = []
    for _ in range(args.rounds):
        for name, found, checkout, python, index_dir in (
                ("base", base, Path(args.base), Path(args.base) / ".venv/bin/python", args.base_index),
                ("this", this, HERE, Path(sys.executable), args.index)):
            shot = run_snapshot(checkout, python, index_dir, args.repeat)
            found["answers"] = found["answers"] or shot["answers"]
            found["ms"] += shot["ms"]
            rounds.append((name, statistics.median(shot["ms"])))
    diff = differences(base["answers"], this["answers"])
    print(f"queries: {len(this['answers'])}; answers that differ (total, ids, snippets, top figures): {len(diff)}")
    for path, field in diff[:20]:
        print(f"  {field:9} {path}")
    print(f"per-round p50 (ms): {', '.join(f'{n} {v:.2f}' for n, v in rounds)}")
    for p in (0.5, 0.95):
        b, t = percentile(base["ms"], p), percentile(this["ms"], p)
        print(f"p{int(p * 100)}: base {b:.2f} ms, this {t:.2f} ms, ratio {t / b:.3f}")
    return 1 if diff else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("snapshot", help="run the mix in this folder's code; write JSON")
    one.add_argument("index")
    one.add_argument("out")
    one.add_argument("--repeat", type=int, default=3, help="timed passes of the mix")
    two = sub.add_parser("compare", help="snapshot another checkout and this one, alternating; compare")
    two.add_argument("--base", required=True, help="the other checkout (with its .venv)")
    two.add_argument("--base-index", required=True, help="an index built by the other checkout")
    two.add_argument("--index", required=True, help="an index built by this checkout")
    two.add_argument("--rounds", type=int, default=3)
    two.add_argument("--repeat", type=int, default=3, help="timed passes of the mix per round")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        Path(args.out).write_text(json.dumps(snapshot(args.index, args.repeat)))
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
