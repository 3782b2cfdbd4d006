"""Fuzz the API from its published description: schemathesis against a live ``newsearch serve``.

Reads ``/api/openapi.json`` from the server, lets schemathesis (hypothesis underneath) generate
requests for every operation from it, round after round until ``--requests`` were sent, then the
hostile requests of :mod:`bench.worst`; every answer is checked: no 5xx, a status the description
lists, its content type, and a body that validates against the schema of that status. Prints the
table the issue asks for (requests, statuses, slowest) and the first failures::

    .venv/bin/python -m bench.fuzz --index var/index --requests 2000 --limit 3

The server runs with ``SEARCH_TIME_LIMIT`` ``--limit`` (``NEWSEARCH_SEARCH_TIME_LIMIT``), one
worker, four threads.
"""

import argparse
import collections
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.worst import requests as hostile_requests

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')"]
#: A client waits this long for an answer (well past any limit: a request cut by it is a finding).
TIMEOUT = 120


@contextlib.contextmanager
def served(index_dir: str, limit: float, log: Path):
    """The base URL of a ``newsearch serve`` of ``index_dir`` while the block runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEWSEARCH_SEARCH_TIME_LIMIT": str(limit)}
    command = [*CLI, "serve", "--index", index_dir, "--port", str(port), "--workers", "1", "--threads", "4"]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "/api/openapi.json", timeout=2).close()
                break
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(30)


class Tally:
    """What the run saw: statuses, failed checks, and the slowest requests."""

    def __init__(self):
        self.statuses = collections.Counter()
        self.failures = []
        self.times = []

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def add(self, label: str, status, seconds: float, failure: str | None = None) -> None:
        self.statuses[status] += 1
        self.times.append((seconds, label))
        if failure:
            self.failures.append((label, failure))

    def report(self, limit: float) -> str:
        slowest = sorted(self.times, reverse=True)[:5]
        lines = [f"requests: {self.requests:,}",
                 "statuses: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(self.statuses.items(), key=str)),
                 f"failures (5xx, status, content type or body outside the description): {len(self.failures)}",
                 f"slowest: {slowest[0][0]:.2f} s ({slowest[0][0] / limit:.2f} x SEARCH_TIME_LIMIT)"
                 if slowest else "slowest: -"]
        lines += [f"  {seconds:6.2f} s  {label[:150]}" for seconds, label in slowest]
        searches = [(seconds, label) for seconds, label in self.times if not _export(label)]
        if searches:
            seconds, label = max(searches)
            lines.append(f"slowest outside exports (which have EXPORT_TIME_LIMIT): {seconds:.2f} s "
                         f"({seconds / limit:.2f} x SEARCH_TIME_LIMIT)  {label[:150]}")
        lines += [f"FAIL {label[:150]}\n     {failure[:400]}" for label, failure in self.failures[:10]]
        return "\n".join(lines)


def _export(label: str) -> bool:
    return "/api/search.csv" in label or "/api/search.jsonl" in label or label.startswith(("hostile: csv",
                                                                                           "hostile: jsonl"))


def fuzz(base: str, target: int, tally: Tally, seconds: float) -> None:
    """Schemathesis cases for every operation, round by round, until ``target`` requests."""
    import schemathesis
    from hypothesis import HealthCheck
    from hypothesis import Phase
    from hypothesis import given
    from hypothesis import settings
    from schemathesis import checks

    schema = schemathesis.openapi.from_url(base + "/api/openapi.json")
    operations = [op.ok() for op in schema.get_all_operations()]
    wanted = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
              checks.response_schema_conformance]
    ends = time.monotonic() + seconds
    per_round = max(1, target // (len(operations) * 3))
    while tally.requests < target and time.monotonic() < ends:
        for op in operations:
            @settings(max_examples=per_round, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(op.as_strategy())
            def call(case):
                if tally.requests >= target or time.monotonic() > ends:
                    return
                started = time.monotonic()
                try:
                    response = case.call(base_url=base, timeout=TIMEOUT)
                except Exception as e:  # noqa: BLE001 (no answer at all is a finding)
                    tally.add(f"{case.method} {case.formatted_path} {case.query}", "no answer",
                              time.monotonic() - started, repr(e))
                    return
                elapsed = time.monotonic() - started
                failure = None
                try:
                    case.validate_response(response, checks=wanted)
                except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 (schemathesis's FailureGroup)
                    failure = f"{e}: " + "; ".join(str(x).splitlines()[0] for x in getattr(e, "exceptions", ()))
                tally.add(f"{case.method} {response.request.url}", response.status_code, elapsed, failure)

            call()


def hostile(base: str, tally: Tally) -> None:
    """The worst requests we know of (:mod:`bench.worst`), each once."""
    first = urllib.request.urlopen(base + "/api/search?q=oil+OR+memorial&per_page=1", timeout=TIMEOUT)
    import json

    hits = json.load(first)["hits"]
    for label, path in hostile_requests(hits[0]["id"] if hits else "none"):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=TIMEOUT) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            status = e.code
            e.close()
        failure = f"{status} on a hostile request" if isinstance(status, int) and status >= 500 else None
        tally.add(f"hostile: {label}", status, time.monotonic() - started, failure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--limit", type=float, default=3.0, help="SEARCH_TIME_LIMIT of the server")
    parser.add_argument("--seconds", type=float, default=1800, help="stop generating after this long")
    args = parser.parse_args(argv)
    tally = Tally()
    with tempfile.TemporaryDirectory() as scratch, served(args.index, args.limit, Path(scratch) / "log") as base:
        fuzz(base, args.requests, tally, args.seconds)
        hostile(base, tally)
    print(tally.report(args.limit))
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
