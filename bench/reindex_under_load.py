"""Reindex the whole of Reuters-21578 while a real server answers a steady stream of searches.

The robustness tests do this on a Reuters subset to stay quick; this script does it at full size:

    .venv/bin/python -m bench.reindex_under_load

It copies a built index (``--index``, default: builds one first), serves it with ``newsearch serve``
(2 workers × 4 threads, 127.0.0.1 only), runs 4 client threads (bounded: 50,000 requests each, and
they stop when the reindex ends), and meanwhile runs an incremental reindex that adds 500 articles and
then a ``--full`` rebuild. It prints, per phase, the responses by status and every distinct ``total``
seen for two fixed queries: each must be the old index's or the new one's, never a mix.
"""

import argparse
import collections
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REUTERS = REPO.parent / "shared" / "corpora" / "reuters21578" / "articles.jsonl.gz"
CLI = [sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')"]
QUERIES = ("oil", "dividend")
PORT = 5091


def get(conn, q):
    conn.request("GET", f"/api/search?q={q}&per_page=5")
    response = conn.getresponse()
    body = response.read()
    return response.status, json.loads(body).get("total") if response.status == 200 else None


def connect():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)


def client(stop, results, totals):
    conn, n = connect(), 0
    while not stop.is_set() and n < 50_000:
        for q in QUERIES:
            try:
                status, total = get(conn, q)
            except (OSError, http.client.HTTPException, ValueError):
                results["failed"] += 1
                conn = connect()
                continue
            results[status] += 1
            totals[q][total] += 1
            n += 1


def phase(name, command):
    stop, results = threading.Event(), collections.Counter()
    totals = collections.defaultdict(collections.Counter)
    threads = [threading.Thread(target=client, args=(stop, results, totals)) for _ in range(4)]
    for t in threads:
        t.start()
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.time() - started
    time.sleep(2)
    stop.set()
    for t in threads:
        t.join(60)
    summary = done.stdout.strip().splitlines()[0] if done.stdout.strip() else done.stderr[-300:]
    print(f"== {name}: reindex {seconds:.1f} s, exit {done.returncode}: {summary}")
    print(f"   responses: {dict(results)}; totals seen: { {q: dict(v) for q, v in totals.items()} }")


def wait_for_server():
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            get(connect(), "oil")
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
    raise SystemExit("the server did not answer within 30 s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="an index of Reuters-21578 to copy (default: build one)")
    args = parser.parse_args(argv)
    if not REUTERS.exists():
        print(f"No corpus at {REUTERS}: nothing to measure.")
        return 0
    work = Path(tempfile.mkdtemp(prefix="newsearch-load-"))
    index = work / "ix"
    if args.index:
        shutil.copytree(args.index, index)
    else:
        subprocess.run([*CLI, "reindex", str(REUTERS), "--index", str(index)], check=True,
                       capture_output=True, cwd=REPO)
    extra = work / "extra.jsonl"
    with extra.open("w") as out:
        for line in subprocess.run(["zcat", str(REUTERS)], capture_output=True, text=True).stdout.splitlines()[:500]:
            record = json.loads(line)
            record["id"] += "-extra"
            out.write(json.dumps(record) + "\n")
    server = subprocess.Popen([*CLI, "serve", "--index", str(index), "--port", str(PORT), "--workers", "2",
                               "--threads", "4"], cwd=REPO, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_server()
        sources = [str(REUTERS), str(extra)]
        phase("incremental (+500 articles)", [*CLI, "reindex", *sources, "--index", str(index)])
        phase("full rebuild", [*CLI, "reindex", *sources, "--index", str(index), "--full"])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
