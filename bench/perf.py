"""Performance of newsearch against a straightforward Whoosh + Flask baseline, side by side, over HTTP.

``python -m bench.perf [--size real|scaled|1m|both] [--duration 20] [--quick] [--reuse] [--write]``
``python -m bench.perf --size 1m [--build-only]``

For each corpus size (:mod:`bench.corpus`) one run:

1. builds both indexes from scratch — ``newsearch reindex DIR --index X --full`` and the baseline's
   plain indexer (:mod:`bench.baseline_app`) — timing each (wall seconds, docs/s) and measuring its size,
   peak memory and peak disk (the index folder sampled every second while it builds: the new
   generation, Whoosh's sort runs, near-duplicate signatures); scratch = peak − final size;
2. starts both servers on free 127.0.0.1 ports with the same processes and threads
   (``newsearch serve --workers 2 --threads 4``; gunicorn ``-k gthread -w 2 --threads 4`` for the baseline)
   and times a first pass of the query mix (``bench/queries.json``) on each: latency with cold caches,
   reported apart; it also warms both;
3. latency: 3 sequential passes of the 50-query mix, each query sent to newsearch and to the baseline in
   turn (alternating who goes first), over the same keep-alive connections → p50/p95 per system;
4. throughput: 4 client threads looping over the mix for a fixed time (bounded by a request count too),
   in alternating slices (newsearch, baseline, newsearch, baseline) → searches/s and errors;
5. server memory: VmRSS summed over each server's process tree (gunicorn master + workers);
6. newsearch's incremental reindex with the server up: one article's title changed in one
   1,000-article file, then a new file of 1,000 articles added (both checked through the server),
   after which the corpus files are restored.

At ``1m`` (Reuters ×47, 1,014,166 articles) the baseline is left out (``--no-baseline`` does the same at
any size): its plain indexer and ``groupedby`` facets take over an hour to build and seconds a query there,
and issue 17 states absolute targets. One run then measures newsearch alone, in the same steps: full
build with scratch disk, server ready after start, latency (p95 ≤ 300 ms), top-10 hits without a
snippet, server memory, incremental reindex.

Every figure is printed as a ratio to the baseline, with the issue's target. ``--write`` also writes the
table with the machine's details and load to ``bench/RESULTS.md`` (``bench/RESULTS-1m.md`` for ``1m``).
Servers are stopped in ``finally`` (also on Ctrl-C); every loop is bounded.

This module builds and runs; the servers, the HTTP client and the latency and throughput loops are in
:mod:`bench.perf_http`, the table and its verdicts in :mod:`bench.perf_report`.

``python -m bench.perf --profile`` instead runs the query mix in-process under cProfile against the
real-size newsearch index (built by a previous run) and prints where the time goes per query kind.

``--build-only`` times newsearch's full build alone (no baseline, no servers) and prints one line:
wall seconds, docs/s, peak RSS, peak disk of the index folder, scratch and final index size. At ``1m``
(Reuters ×47, 1,014,166 articles) that is the measure of issue 17 (≤ 1,500 s, scratch ≤ 1.5× the index).
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import corpus
from bench.perf_http import BIN
from bench.perf_http import ROOT
from bench.perf_http import Client
from bench.perf_http import Server
from bench.perf_http import alternate_throughput
from bench.perf_http import baseline_server
from bench.perf_http import free_port
from bench.perf_http import load_queries
from bench.perf_http import measure_latency
from bench.perf_http import newsearch_server
from bench.perf_http import process_tree
from bench.perf_http import query_path
from bench.perf_http import vm_rss_kb
from bench.perf_report import loadavg
from bench.perf_report import machine_info
from bench.perf_report import report

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
RESULTS_1M = BENCH / "RESULTS-1m.md"
LATENCY_PASSES = 3
BUILD_TIMEOUT = 3 * 3600
CHANGED_FILE = corpus.part_name(5)
ADDED_FILE = "part-999-added.jsonl"
#: Sizes measured without the baseline (see the module's docstring).
NO_BASELINE = {"1m"}
#: Seconds between samples of a build's disk use (a walk of the index folder: some hundred files).
DISK_SAMPLE_SECONDS = 1.0


# --- builds ----------------------------------------------------------------------------------------


def run_timed(cmd: list, log: Path, peak: dict | None = None, watch: Path | None = None) -> float:
    """Run ``cmd`` to the end; return its wall seconds.

    :param peak: when given, ``peak["rss_mb"]`` gets the highest resident memory of the command's
        whole process tree (all its processes summed), sampled every 0.2 s.
    :param watch: a folder whose size is sampled every :data:`DISK_SAMPLE_SECONDS` (and at the end):
        ``peak["disk_bytes"]`` gets the largest.
    """
    started = time.perf_counter()
    disk = DiskPeak(watch)
    with open(log, "ab") as f:
        f.write(("\n$ " + " ".join(cmd) + "\n").encode())
        f.flush()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=f, stdin=subprocess.DEVNULL)
        highest = 0
        try:
            while proc.poll() is None:
                if peak is not None:
                    highest = max(highest, sum(vm_rss_kb(pid) for pid in process_tree(proc.pid)))
                    disk.sample()
                if time.perf_counter() - started > BUILD_TIMEOUT:
                    raise subprocess.TimeoutExpired(cmd, BUILD_TIMEOUT)
                time.sleep(0.2)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if proc.returncode:
            raise subprocess.CalledProcessError(proc.returncode, cmd)
    if peak is not None:
        peak["rss_mb"] = highest / 1024
        if watch is not None:
            peak["disk_bytes"] = disk.sample(force=True)
    return time.perf_counter() - started


class DiskPeak:
    """The largest size a folder reached, sampled at most every :data:`DISK_SAMPLE_SECONDS`."""

    def __init__(self, folder: Path | None):
        self.folder, self.highest, self.last = folder, 0, 0.0

    def sample(self, force: bool = False) -> int:
        now = time.perf_counter()
        if self.folder is not None and (force or now - self.last >= DISK_SAMPLE_SECONDS):
            self.last = now
            self.highest = max(self.highest, dir_bytes(self.folder))
        return self.highest


def dir_bytes(path: Path) -> int:
    """Bytes of the files under ``path`` (files vanishing during the walk, as in a running build, skipped)."""
    total = 0
    for root, _, names in os.walk(path):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def full_build(root: Path, log: Path) -> dict:
    """A full build of newsearch's index alone: wall seconds, peak RSS and disk, final size."""
    index = root / "newsearch-index"
    shutil.rmtree(index, ignore_errors=True)
    peak = {}
    seconds = run_timed([str(BIN / "newsearch"), "reindex", str(root / "newsearch"), "--index", str(index),
                         "--full"], log, peak, watch=index)
    return {"seconds": seconds, "peak": peak, "size": dir_bytes(index)}


def build_line(docs: int, build: dict) -> str:
    """One line saying how a full build went (time, rate, memory, disk)."""
    size, disk = build["size"], build["peak"].get("disk_bytes", 0)
    scratch = max(disk - size, 0)
    return (f"full build: {build['seconds']:,.0f} s, {docs / build['seconds']:,.0f} docs/s, peak RSS "
            f"{build['peak'].get('rss_mb', 0):,.0f} MB, peak disk {disk / 1e9:.2f} GB, scratch (peak − final) "
            f"{scratch / 1e9:.2f} GB = {scratch / size:.2f}× the final index of {size / 1e9:.2f} GB")


def build_both(root: Path, docs: int, log: Path, reuse: bool, baseline: bool = True) -> dict:
    """Full builds of both indexes (or, with ``reuse``, an untimed catch-up of existing ones); without
    ``baseline``, newsearch's alone."""
    ns_index, base_index = root / "newsearch-index", root / "baseline-index"
    ns_cmd = [str(BIN / "newsearch"), "reindex", str(root / "newsearch"), "--index", str(ns_index)]
    base_cmd = [sys.executable, "-m", "bench.baseline_app", "index", str(root / "baseline"), str(base_index)]
    out = {}
    if reuse and ns_index.is_dir() and (base_index.is_dir() or not baseline):
        run_timed(ns_cmd, log)
        out["newsearch"] = out["baseline"] = None
    else:
        ours = full_build(root, log)
        print(build_line(docs, ours), flush=True)
        out["peak"] = {"newsearch": ours["peak"], "baseline": {}}
        out["newsearch"] = ours["seconds"]
        out["baseline"] = run_timed(base_cmd, log, out["peak"]["baseline"]) if baseline else None
    out["sizes"] = {"newsearch": dir_bytes(ns_index), "baseline": dir_bytes(base_index) if baseline else None}
    out["docs"] = docs
    return out


def incremental(server: Server, root: Path, log: Path) -> dict:
    """Time newsearch's incremental reindex after changing 1 file and after adding 1,000 articles."""
    folder, index_dir = root / "newsearch", root / "newsearch-index"
    cmd = [str(BIN / "newsearch"), "reindex", str(folder), "--index", str(index_dir)]
    changed, added = folder / CHANGED_FILE, folder / ADDED_FILE
    original = changed.read_bytes()
    client = Client(server.port)
    out = {"problems": []}
    try:
        before = api_total(client, "/api/search?q=", out)
        rows = corpus.read_jsonl(changed)
        marker = f"benchedit{int(time.time())}"
        rows[0]["title"] = f"{rows[0]['title']} {marker}"
        corpus.write_jsonl(changed, rows)
        out["change_s"] = run_timed(cmd, log)
        out["change_seen"] = api_total(client, f"/api/search?q={marker}", out) == 1
        new = [dict(r, id=r["id"] + "-added") for r in corpus.read_jsonl(folder / corpus.part_name(0))]
        corpus.write_jsonl(added, new)
        out["add_s"] = run_timed(cmd, log)
        after = api_total(client, "/api/search?q=", out)
        out["add_seen"] = before is not None and after == before + len(new)
        out["totals"] = (before, after)
    finally:
        client.close()
        changed.write_bytes(original)
        added.unlink(missing_ok=True)
    return out


def api_total(client: Client, path: str, out: dict):
    """The ``total`` of one search, or None (the problem noted in ``out["problems"]``)."""
    status, body = client.get(path)
    if status != 200:
        text = body[:200].decode("utf-8", "replace").strip()
        out["problems"].append(f"GET {path} → HTTP {status}: {text}")
        return None
    return json.loads(body)["total"]


def bench_size(size: str, queries: list, duration: float, passes: int, reuse: bool, baseline: bool) -> dict:
    stamp = corpus.write_corpus(size)
    root = corpus.size_dir(size)
    log = root / "perf.log"
    print(f"\n== {size}: {stamp['label']}, {stamp['documents']:,} articles; load {loadavg()} ==", flush=True)
    builds = build_both(root, stamp["documents"], log, reuse, baseline)
    print(f"builds: {builds}", flush=True)
    servers = {"newsearch": newsearch_server(root / "newsearch-index", log)}
    if baseline:
        servers["baseline"] = baseline_server(root / "baseline-index", log)
    try:
        for server in servers.values():
            server.start(free_port())
            print(f"{server.name} answered {server.ready_s:.1f} s after start", flush=True)
        clients = {side: Client(server.port) for side, server in servers.items()}
        try:
            # The first pass after start is timed apart (cold caches); it also warms both servers.
            cold = measure_latency(servers, queries, 1, clients)
            latency = measure_latency(servers, queries, passes, clients)
        finally:
            for client in clients.values():
                client.close()
        print("latency done", flush=True)
        rate = alternate_throughput(servers, queries, duration)
        print(f"throughput: {rate}", flush=True)
        rss = {side: s.rss_mb() for side, s in servers.items()}
        memory = {side: s.memory_mb() for side, s in servers.items()}
        try:
            incr = incremental(servers["newsearch"], root, log)
        except subprocess.CalledProcessError as e:
            incr = {"problems": [f"`{' '.join(e.cmd[1:])}` failed with exit status {e.returncode} "
                                 f"(its traceback is in {log})"], "change_s": None, "add_s": None,
                    "change_seen": False, "add_seen": False}
        print(f"incremental: {incr}", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    ready = {side: server.ready_s for side, server in servers.items()}
    res = {"size": size, "stamp": stamp, "builds": builds, "latency": latency, "cold": cold, "rate": rate,
           "rss": rss, "memory": memory, "incr": incr, "ready": ready}
    (root / "perf-results.json").write_text(json.dumps(res, indent=1, default=str))
    return res


def build_only(size: str) -> dict:
    """Time newsearch's full build of one size alone; print and keep (``build-results.json``) the result."""
    stamp = corpus.write_corpus(size)
    root = corpus.size_dir(size)
    print(f"== {size}: {stamp['label']}, {stamp['documents']:,} articles; load {loadavg()} ==", flush=True)
    build = full_build(root, root / "perf.log")
    build.update(docs=stamp["documents"], load_after=loadavg())
    print(build_line(stamp["documents"], build) + f"; load after {build['load_after']}", flush=True)
    (root / "build-results.json").write_text(json.dumps(build, indent=1))
    return build


# --- profile ---------------------------------------------------------------------------------------

def profile(index_dir: Path, queries: list, repeat: int) -> None:
    """Run the mix in-process (Flask test client) under cProfile; print the top costs per query kind."""
    sys.path.insert(0, str(ROOT))
    from web import create_app

    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    client = app.test_client()
    for q in queries:
        client.get(query_path(q, "newsearch"))
    kinds = list(dict.fromkeys(q["kind"] for q in queries))
    for kind in kinds + ["all"]:
        mix = [q for q in queries if kind in ("all", q["kind"])]
        prof = cProfile.Profile()
        started = time.perf_counter()
        prof.enable()
        for _ in range(repeat):
            for q in mix:
                resp = client.get(query_path(q, "newsearch"))
                assert resp.status_code == 200, resp.get_data(as_text=True)[:200]
        prof.disable()
        per_query = (time.perf_counter() - started) * 1000 / (repeat * len(mix))
        print(f"\n### {kind}: {len(mix)} queries × {repeat}, {per_query:.1f} ms/query under the profiler\n")
        for order in ("cumulative", "tottime"):
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(order).print_stats(18)
            print(f"-- by {order} --")
            print("\n".join(buf.getvalue().splitlines()[6:]))


# --- main ------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=[*corpus.COPIES, "both"], default="real")
    parser.add_argument("--build-only", action="store_true",
                        help="time newsearch's full build alone (no baseline, no servers) and print it")
    parser.add_argument("--duration", type=float, default=20.0, help="throughput seconds per system")
    parser.add_argument("--quick", action="store_true",
                        help="1 latency pass, 5 s throughput, reuse existing indexes (no build timing)")
    parser.add_argument("--reuse", action="store_true", help="reuse existing indexes (no build timing)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="measure newsearch alone (always so at 1m: see the module's docstring)")
    parser.add_argument("--write", action="store_true",
                        help="write the tables to bench/RESULTS.md (bench/RESULTS-1m.md for --size 1m)")
    parser.add_argument("--profile", action="store_true", help="profile newsearch's search path in-process")
    parser.add_argument("--repeat", type=int, default=3, help="--profile: passes of the mix per kind")
    args = parser.parse_args(argv)
    queries = load_queries()
    if args.profile:
        profile(corpus.size_dir("real") / "newsearch-index", queries, args.repeat)
        return
    args.passes = 1 if args.quick else LATENCY_PASSES
    if args.quick:
        args.duration = min(args.duration, 5.0)
    info = dict(machine_info(), load_before=loadavg(), argv=" ".join(sys.argv[1:] if argv is None else argv),
                started=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"))
    sizes = ("real", "scaled") if args.size == "both" else (args.size,)
    if args.build_only:
        for size in sizes:
            build_only(size)
        return
    results = [bench_size(size, queries, args.duration, args.passes, args.reuse or args.quick,
                          baseline=not args.no_baseline and size not in NO_BASELINE)
               for size in sizes]
    info.update(load_after=loadavg(),
                finished=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"))
    text = report(results, info, args)
    print("\n" + text)
    if args.write:
        path = RESULTS_1M if sizes == ("1m",) else RESULTS
        path.write_text(text)
        print(f"written to {path}")


if __name__ == "__main__":
    main()
