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
table with the machine's details and load to ``bench/RESULTS.md`` (``bench/RESULTS-1m.md`` for ``1m``). Servers are stopped in ``finally``
(also on Ctrl-C); every loop is bounded.

``python -m bench.perf --profile`` instead runs the query mix in-process under cProfile against the
real-size newsearch index (built by a previous run) and prints where the time goes per query kind.

``--build-only`` times newsearch's full build alone (no baseline, no servers) and prints one line:
wall seconds, docs/s, peak RSS, peak disk of the index folder, scratch and final index size. At ``1m``
(Reuters ×47, 1,014,166 articles) that is the measure of issue 17 (≤ 1,500 s, scratch ≤ 1.5× the index).
"""

import argparse
import cProfile
import datetime
import http.client
import io
import json
import os
import platform
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from bench import corpus

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
QUERIES = BENCH / "queries.json"
RESULTS = BENCH / "RESULTS.md"
RESULTS_1M = BENCH / "RESULTS-1m.md"
WORKERS, THREADS, CLIENTS = 2, 4, 4
LATENCY_PASSES = 3
#: Upper bound on requests per throughput slice, whatever the duration.
MAX_REQUESTS = 100_000
BUILD_TIMEOUT = 3 * 3600
CHANGED_FILE = corpus.part_name(5)
ADDED_FILE = "part-999-added.jsonl"

#: The issue's targets per size: ratios are newsearch / baseline.
TARGETS = {
    "real": {"p50": 1 / 15, "p95": 1 / 4, "rate": 8.0, "docs_per_s": 1.0, "incr_change": 2.0, "rss_mb": 500},
    "scaled": {"p50": 1 / 20, "p95": 1 / 5, "rate": 10.0, "docs_per_s": None, "incr_change": 3.0,
               "rss_mb": 1536},
    "1m": {"p50": 1 / 20, "p95": 1 / 5, "rate": 10.0, "docs_per_s": None, "incr_change": 3.0, "rss_mb": 1536,
           "build_s": 1500, "scratch_ratio": 1.5, "p95_ms": 300, "ready_s": 10},
}
#: Sizes measured without the baseline (see the module's docstring).
NO_BASELINE = {"1m"}
#: Seconds a server may take to answer its first search.
START_TIMEOUT = 600
#: Seconds between samples of a build's disk use (a walk of the index folder: some hundred files).
DISK_SAMPLE_SECONDS = 1.0


# --- queries ---------------------------------------------------------------------------------------

def load_queries(path: Path = QUERIES) -> list:
    return json.loads(path.read_text())["queries"]


def query_path(query: dict, side: str) -> str:
    """The ``/api/search`` URL of one query for ``newsearch`` or ``baseline``."""
    params = [("q", query["q"])]
    figure = query.get("figure") if side == "newsearch" else query.get("baseline_figure")
    if figure:
        params.append(("figure", figure))
    for name in ("from", "to"):
        if query.get(name):
            params.append((name, query[name]))
    return "/api/search?" + urllib.parse.urlencode(params)


# --- servers ---------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn server in its own session, stopped (and its whole group killed if need be) by ``stop``."""

    def __init__(self, name: str, make_cmd, log: Path, env=None):
        self.name, self.make_cmd, self.log = name, make_cmd, log
        self.port = None
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        #: Seconds from launch to the first search answered (set by :meth:`start`).
        self.ready_s = None

    def start(self, port: int, timeout: float = START_TIMEOUT) -> None:
        self.port = port
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.make_cmd(port), cwd=ROOT, env=self.env, stdout=log, stderr=log,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited with {self.proc.returncode}; see {self.log}")
            try:
                status, _ = Client(port).get("/api/search?q=reuter")
                if status == 200:
                    self.ready_s = time.monotonic() - started
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} server did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        """SIGTERM the master (graceful), then SIGKILL its process group if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def rss_mb(self) -> list:
        """Resident memory of the master and each of its descendants, in MB (master first)."""
        return [vm_rss_kb(pid) / 1024 for pid in process_tree(self.proc.pid)]

    def memory_mb(self) -> dict:
        """The process tree's memory in MB, summed: ``pss`` (each page shared by n of its processes
        counted 1/n in each: the index pages both workers map, once) and ``anonymous`` (heaps, a page
        the workers still share with the master since the fork counted in each)."""
        totals = {"pss": 0.0, "anonymous": 0.0}
        for pid in process_tree(self.proc.pid):
            for key, kb in proc_kb(pid, "smaps_rollup", {"Pss": "pss", "Anonymous": "anonymous"}).items():
                totals[key] += kb / 1024
        return totals


def process_tree(root: int) -> list:
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def proc_kb(pid: int, file: str, names: dict) -> dict:
    """The ``names`` lines (line name → key) of ``/proc/PID/FILE``, in kB (0 for a process gone)."""
    found = dict.fromkeys(names.values(), 0)
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in names:
                found[names[name]] = int(rest.split()[0])
    except OSError:
        pass
    return found


def vm_rss_kb(pid: int) -> int:
    return proc_kb(pid, "status", {"VmRSS": "rss"})["rss"]


def newsearch_server(index_dir: Path, log: Path) -> Server:
    def cmd(port):
        return [str(BIN / "newsearch"), "serve", "--index", str(index_dir), "--host", "127.0.0.1",
                "--port", str(port), "--workers", str(WORKERS), "--threads", str(THREADS)]
    return Server("newsearch", cmd, log)


def baseline_server(index_dir: Path, log: Path) -> Server:
    def cmd(port):
        return [str(BIN / "gunicorn"), "-k", "gthread", "-w", str(WORKERS), "--threads", str(THREADS),
                "-b", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "10",
                "--log-level", "warning", "bench.baseline_app:create_app()"]
    return Server("baseline", cmd, log, env={"BASELINE_INDEX_DIR": str(index_dir)})


# --- HTTP client -----------------------------------------------------------------------------------

class Client:
    """A keep-alive HTTP/1.1 connection to 127.0.0.1 that reconnects once when the server closed it."""

    def __init__(self, port: int, timeout: float = 60):
        self.port, self.timeout, self.conn = port, timeout, None

    def get(self, path: str):
        """``(status, body)``; the time of the successful attempt is in ``self.seconds``."""
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request("GET", path)
                resp = self.conn.getresponse()
                body = resp.read()
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
                continue
            self.seconds = time.perf_counter() - started
            if resp.will_close:
                self.close()
            return resp.status, body

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --- measurements ----------------------------------------------------------------------------------

def percentile(values: list, p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def measure_latency(servers: dict, queries: list, passes: int, clients: dict) -> dict:
    """Per side: list of ``{kind, i, ms, status, total, listed, unsnipped, error}`` (see
    :func:`answer_counts`); the sides take turns per query.

    :param clients: one keep-alive :class:`Client` per side (the caller closes them).
    """
    out = {side: [] for side in servers}
    sides = list(servers)
    for p in range(passes):
        for i, q in enumerate(queries):
            for side in sides if (p + i) % 2 == 0 else sides[::-1]:
                status, body = clients[side].get(query_path(q, side))
                ms = clients[side].seconds * 1000  # before answer_counts's own requests
                total, listed, unsnipped = None, 0, 0
                if status == 200:
                    total, listed, unsnipped = answer_counts(json.loads(body), clients[side], side)
                out[side].append({"kind": q["kind"], "i": i, "ms": ms,
                                  "status": status, "total": total, "listed": listed, "unsnipped": unsnipped,
                                  "error": None if status == 200 else body[:300].decode("utf-8", "replace")})
    return out


def answer_counts(answer: dict, client: "Client", side: str) -> tuple:
    """``(total, hits listed, hits listed without a snippet though they have body text)`` of one
    ``/api/search`` answer. newsearch's article endpoint tells whether a hit has body text (an article
    with none has no snippet to show); the baseline's every empty snippet counts."""
    hits = answer.get("hits") or []
    empty = [hit for hit in hits if not (hit.get("snippet") or "").strip()]
    if side == "newsearch":
        empty = [hit for hit in empty if has_body(client, hit["id"])]
    return answer.get("total"), len(hits), len(empty)


def has_body(client: "Client", article_id: str) -> bool:
    status, body = client.get("/api/articles/" + urllib.parse.quote(article_id))
    return status != 200 or bool((json.loads(body)["article"].get("body") or "").strip())


def measure_throughput(server: Server, side: str, queries: list, seconds: float) -> dict:
    """``CLIENTS`` threads looping over the mix for ``seconds`` (at most ``MAX_REQUESTS`` requests)."""
    paths = [query_path(q, side) for q in queries]
    lock = threading.Lock()
    counts = {"ok": 0, "errors": 0, "sent": 0}
    deadline = time.perf_counter() + seconds

    def loop(offset):
        client = Client(server.port)
        n = offset
        while time.perf_counter() < deadline:
            with lock:
                if counts["sent"] >= MAX_REQUESTS:
                    break
                counts["sent"] += 1
            try:
                status, _ = client.get(paths[n % len(paths)])
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1
            n += 1
        client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i * len(paths) // CLIENTS,), daemon=True)
               for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - started
    return {"ok": counts["ok"], "errors": counts["errors"], "seconds": elapsed}


def alternate_throughput(servers: dict, queries: list, duration: float, slices: int = 4) -> dict:
    """Each side gets ``duration`` seconds in total, in ``slices`` alternating turns."""
    totals = {side: {"ok": 0, "errors": 0, "seconds": 0.0} for side in servers}
    sides = list(servers)
    for n in range(slices):
        for side in sides if n % 2 == 0 else sides[::-1]:
            r = measure_throughput(servers[side], side, queries, duration / slices)
            for key in totals[side]:
                totals[side][key] += r[key]
    for t in totals.values():
        t["rate"] = t["ok"] / t["seconds"] if t["seconds"] else 0.0
    return totals


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


# --- report ----------------------------------------------------------------------------------------

def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    return f"{r:.3f}× (1/{1 / r:.1f})" if 0 < r < 1 else f"{r:.2f}×"


def summary_rows(res: dict) -> list:
    """``[metric, newsearch, baseline, ratio, target, met]`` rows of one size (baseline "—" when left out)."""
    t = TARGETS[res["size"]]
    lat = {side: [r["ms"] for r in rows if r["status"] == 200] for side, rows in res["latency"].items()}
    errs = {side: sum(r["status"] != 200 for r in rows) for side, rows in res["latency"].items()}
    rows = []

    def add(metric, ns, base, fmt, target=None, better="lower", absolute=None):
        ratio = ns / base if ns is not None and base else None
        if absolute is not None:
            met = ns is not None and ns <= absolute
            target_text = f"≤ {absolute:g}"
        elif target is not None and ratio is not None:
            met = ratio <= target if better == "lower" else ratio >= target
            target_text = f"≤ 1/{1 / target:.0f}" if better == "lower" else f"≥ {target:g}×"
        else:
            met, target_text = None, "—"
        show = lambda v: "—" if v is None else fmt(v)  # noqa: E731
        rows.append([metric, show(ns), show(base), fmt_ratio(ratio), target_text,
                     "—" if met is None else ("yes" if met else "**no**")])

    def of(values: dict, side: str, pick):
        return pick(values[side]) if values.get(side) else None

    ms = lambda v: f"{v:.1f}"  # noqa: E731
    for name, p in (("p50", 50), ("p95", 95)):
        add(f"HTTP {name} latency, ms ({len(lat['newsearch'])} requests)",
            percentile(lat["newsearch"], p), of(lat, "baseline", lambda v: percentile(v, p)), ms, t[name],
            absolute=t.get(f"{name}_ms"))
    if res.get("cold"):
        cold = {side: [r["ms"] for r in rows if r["status"] == 200] for side, rows in res["cold"].items()}
        for name, p in (("p50", 50), ("p95", 95)):
            add(f"first pass after start (cold caches): {name} latency, ms", percentile(cold["newsearch"], p),
                of(cold, "baseline", lambda v: percentile(v, p)), ms)
    if res.get("ready"):
        add("server ready after start (first search answered), s", res["ready"]["newsearch"],
            res["ready"].get("baseline"), lambda v: f"{v:.1f}", absolute=t.get("ready_s"))
    answers = {side: rows + res.get("cold", {}).get(side, []) for side, rows in res["latency"].items()}
    if all("listed" in r for rows in answers.values() for r in rows):
        listed = sum(r["listed"] for r in answers["newsearch"])
        add(f"hits listed without a snippet but with body text, all passes (of {listed:,} listed)",
            sum(r["unsnipped"] for r in answers["newsearch"]),
            of(answers, "baseline", lambda v: sum(r["unsnipped"] for r in v)), str, absolute=0)
    r = res["rate"]
    add(f"searches/s, {CLIENTS} clients", r["newsearch"]["rate"], of(r, "baseline", lambda v: v["rate"]),
        lambda v: f"{v:.1f}", t["rate"], better="higher")
    add("errors (non-200 / failed requests)", errs["newsearch"] + r["newsearch"]["errors"],
        of(r, "baseline", lambda v: v["errors"] + errs["baseline"]), str, absolute=0)
    b = res["builds"]
    if b["newsearch"] is not None:
        add("full index build, s", b["newsearch"], b["baseline"], lambda v: f"{v:.1f}", absolute=t.get("build_s"))
        add("full index build, docs/s", b["docs"] / b["newsearch"], b["docs"] / b["baseline"] if b["baseline"]
            else None, lambda v: f"{v:,.0f}", t["docs_per_s"], better="higher")
        if b.get("peak"):
            add("full index build, peak RSS of all its processes, MB", b["peak"]["newsearch"].get("rss_mb"),
                b["peak"]["baseline"].get("rss_mb"), lambda v: f"{v:.0f}")
            disk = b["peak"]["newsearch"].get("disk_bytes")
            if disk:
                scratch = max(disk - b["sizes"]["newsearch"], 0) / b["sizes"]["newsearch"]
                add("full index build, scratch disk (peak − final) / final index", scratch, None,
                    lambda v: f"{v:.2f}", absolute=t.get("scratch_ratio"))
    mb = lambda v: v / 1e6 if v is not None else None  # noqa: E731
    add("index size, MB", mb(b["sizes"]["newsearch"]), mb(b["sizes"]["baseline"]), lambda v: f"{v:.1f}")
    memory = res.get("memory")
    add(f"server RSS, MB (master + {WORKERS} workers; pages they share counted in each)",
        sum(res["rss"]["newsearch"]), of(res["rss"], "baseline", sum), lambda v: f"{v:.0f}",
        absolute=None if memory else t["rss_mb"])
    if memory:
        add("server memory (PSS: shared pages counted once), MB", memory["newsearch"]["pss"],
            of(memory, "baseline", lambda v: v["pss"]), lambda v: f"{v:.0f}", absolute=t["rss_mb"])
        add("server anonymous memory (heaps; pages shared since the fork counted in each), MB",
            memory["newsearch"]["anonymous"],
            of(memory, "baseline", lambda v: v["anonymous"]), lambda v: f"{v:.0f}")
    i = res["incr"]
    if i["change_s"] is None:
        rows.append(["incremental reindex", "**failed**", "—", "—", f"≤ {t['incr_change']:g}", "**no**"])
        return rows
    rows.append(["incremental reindex, 1 changed file, s", f"{i['change_s']:.2f}", "—", "—",
                 f"≤ {t['incr_change']:g}", "yes" if i["change_s"] <= t["incr_change"] and i["change_seen"]
                 else "**no**" if i["change_seen"] else "**change not seen by server**"])
    before, after = i.get("totals", (None, None))
    rows.append(["incremental reindex, +1,000 articles, s", f"{i['add_s']:.2f}", "—", "—", "—",
                 "—" if i["add_seen"] else f"**server total {after} ≠ {before} + 1,000**"])
    return rows


def kind_rows(res: dict) -> list:
    """Per query kind: p50 of each side, ratio, and how many queries' totals differ."""
    out = []
    lat = res["latency"]
    for kind in dict.fromkeys(r["kind"] for r in lat["newsearch"]):
        ns = [r["ms"] for r in lat["newsearch"] if r["kind"] == kind and r["status"] == 200]
        base = [r["ms"] for r in lat.get("baseline", []) if r["kind"] == kind and r["status"] == 200]
        totals = {}
        for side in lat:
            for r in lat[side]:
                if r["kind"] == kind:
                    totals.setdefault(r["i"], {})[side] = r["total"]
        ns_total = sum(t.get("newsearch") or 0 for t in totals.values())
        base_total = sum(t.get("baseline") or 0 for t in totals.values())
        p50n, p50b = statistics.median(ns) if ns else None, statistics.median(base) if base else None
        out.append([kind, f"{p50n:.1f}" if p50n else "—", f"{p50b:.1f}" if p50b else "—",
                    fmt_ratio(p50n / p50b if p50n and p50b else None), f"{ns_total:,}",
                    f"{base_total:,}" if "baseline" in lat else "—"])
    return out


def table(header: list, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_info() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30}


def report(results: list, info: dict, args) -> str:
    alone = [res["stamp"]["label"] for res in results if "baseline" not in res["latency"]]
    parts = [
        "# newsearch vs the baseline: performance",
        "",
        f"Last run: {info['started']} → {info['finished']} (UTC), `python -m bench.perf {info['argv']}`.",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']:.0f} GB RAM, Python {info['python']}; "
        f"**shared** with other jobs — load average (1/5/15 min) before: {info['load_before']}, "
        f"after: {info['load_after']}.",
        "",
        "Both systems ran in the same run, side by side: both servers up at once with "
        f"{WORKERS} gunicorn workers × {THREADS} threads (gthread); latency = {args.passes} sequential passes "
        "of the 50-query mix (`bench/queries.json`), each query sent to both in turn over keep-alive "
        "connections on 127.0.0.1, after a first pass timed apart (the \"cold caches\" rows: newsearch "
        "keeps decoded posting lists and per-segment facet arrays between requests, so the later passes, "
        f"which repeat the mix, find them warm); throughput = {CLIENTS} client threads for {args.duration:g} s per system "
        "in 4 alternating slices. Ratios are newsearch / baseline. The baseline (`bench/baseline_app.py`) is "
        "a straightforward Whoosh + Flask service: new searcher per request, `groupedby` facets, "
        "`hit.highlights(\"body\")`, plain schema, an indexer that extracts nothing, one writer process. "
        "Both systems facet on the same people: the baseline's records carry the figure names newsearch "
        "extracts from the same text (written by `bench/corpus.py`; the baseline does not extract them).",
    ]
    if alone:
        parts[-1] += (f" Measured without the baseline (newsearch alone, against absolute targets): {', '.join(alone)}"
                      " — see the docstring of `bench/perf.py`.")
    for res in results:
        parts += ["", f"## {res['stamp']['label']}: {res['stamp']['documents']:,} articles", "",
                  table(["metric", "newsearch", "baseline", "ratio", "target", "met?"], summary_rows(res)),
                  "", "Per query kind (p50 ms; summed `total` of the kind's queries — they differ because "
                  "newsearch stems words and counts a figure under all its spellings (aliases), while the "
                  "baseline matches words and figure names exactly):", "",
                  table(["kind", "newsearch p50", "baseline p50", "ratio", "newsearch totals",
                         "baseline totals"], kind_rows(res))]
        parts += ["", "Server RSS per process after the load, MB (master first): "
                  + "; ".join(f"{side} " + " + ".join(f"{mb:.0f}" for mb in mbs) for side, mbs in res["rss"].items())
                  + "."]
        if res["incr"]["problems"]:
            parts += ["", "Problems after newsearch's incremental reindex (server up):", ""]
            parts += [f"- {p}" for p in res["incr"]["problems"]]
        errors = [r for rows in res["latency"].values() for r in rows if r["status"] != 200]
        if errors:
            parts += ["", "Errors seen in the latency passes:", ""]
            parts += [f"- {r['kind']} #{r['i']}: HTTP {r['status']} {r['error']!r}" for r in errors[:10]]
    return "\n".join(parts) + "\n"


def loadavg() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


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
