"""Serving defaults: loopback only unless told otherwise, gunicorn (never Flask's debug server),
searchers per thread and reused, graceful shutdown."""

import http.client
import re
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

import search
from newsearch import cli
from servers import REPO
from servers import start_server

pytestmark = pytest.mark.slow


def listening_addresses(port: int) -> set:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def started_without_host(index_dir, log: Path):
    """``newsearch serve`` started with no --host: ``(process, port, log)``; killed after the block."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc/net/tcp to see where the server listens")
    server, port = start_server(index_dir, log, host=None, threads=2)
    yield server, port, log
    if server.poll() is None:
        server.kill()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def default_server(index_dir, tmp_path_factory):
    """One server with no --host for the tests that only ask it (a server costs ~1 CPU-s to start)."""
    yield from started_without_host(index_dir, tmp_path_factory.mktemp("default") / "server.log")


@pytest.fixture
def stopped_server(index_dir, tmp_path):
    """A server with no --host of the test's own, which the test stops."""
    yield from started_without_host(index_dir, tmp_path / "server.log")


def test_binds_loopback_unless_told_otherwise(default_server):
    _, port, _ = default_server
    assert listening_addresses(port) == {"0100007F"}, "only 127.0.0.1 listens"
    help_text = [p for p in cli.commands["serve"].params if p.name == "host"][0]
    assert help_text.default == "127.0.0.1"


def test_served_by_gunicorn_never_the_debug_server(default_server):
    _, port, _ = default_server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/no/such/page")
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.getheader("Server", "").startswith("gunicorn")
    assert b"Traceback" not in body and b"Werkzeug" not in body and b"debugger" not in body.lower()
    sources = "".join(p.read_text() for p in [REPO / "newsearch.py", *(REPO / "web").glob("*.py")])
    assert not re.search(r"\.run\([^)]*debug|debug\s*=\s*True|app\.run\(", sources)


def test_graceful_shutdown_finishes_requests_in_flight(stopped_server):
    server, port, log = stopped_server
    results = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        for _ in range(20):
            try:
                conn.request("GET", "/api/search?q=alfa OR bravo OR charlie".replace(" ", "%20"))
                response = conn.getresponse()
                response.read()
                results.append(response.status)
            except (OSError, http.client.HTTPException) as e:
                results.append(type(e).__name__)
                break
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=15) == 0, log.read_text()
    for t in threads:
        t.join(timeout=20)
    assert time.monotonic() - started < 12, "gunicorn's graceful timeout is 10 s"
    answered = [r for r in results if r != 200]
    # A request either got its whole answer or was never taken (the connection is closed between
    # keep-alive requests once the worker stops accepting): never a 5xx or a half answer.
    assert all(isinstance(r, str) for r in answered), results
    assert results.count(200) >= 3
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "nothing listens after shutdown"


def test_searchers_are_per_thread_and_reused(index_dir):
    service = search.SearchService(index_dir)
    try:
        mine = [service.searcher() for _ in range(5)]
        assert all(s is mine[0] for s in mine), "one thread reuses its searcher"
        other = []
        thread = threading.Thread(target=lambda: other.extend(service.searcher() for _ in range(5)))
        thread.start()
        thread.join()
        assert all(s is other[0] for s in other) and other[0] is not mine[0]
        for _ in range(10):
            search.search(service, search.SearchRequest(q="alfa"))
        assert service.opened == 2, "searchers are opened once per thread, not per request"
    finally:
        service.close()
