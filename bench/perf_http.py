"""The servers :mod:`bench.perf` measures, and what it measures of them over HTTP.

A :class:`Server` is one gunicorn server (``newsearch serve``, or the baseline of :mod:`bench.baseline_app`)
started in its own session and stopped with its whole process group; its memory is read from ``/proc``. A
:class:`Client` is one keep-alive connection to it. Latency sends each query of the mix
(``bench/queries.json``) to both servers in turn; throughput loops client threads over the mix for a fixed
time, in alternating slices. Every loop is bounded in time and in count.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUERIES = Path(__file__).resolve().parent / "queries.json"
WORKERS, THREADS, CLIENTS = 2, 4, 4
#: Upper bound on requests per throughput slice, whatever the duration.
MAX_REQUESTS = 100_000
#: Seconds a server may take to answer its first search.
START_TIMEOUT = 600


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
