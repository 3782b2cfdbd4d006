"""What a server worker pays before its first search: ``import web`` time and per-worker memory, in two checkouts.

For this checkout and another one (its own virtualenv and code, e.g. main), alternating so both see
the same machine load:

* the wall time of ``python -X importtime -c "import web"`` (its cumulative total), median of runs;
* the resident memory (VmRSS) of each worker of ``newsearch serve --workers 2`` once it answers a page
  that reads no index ("cold"), and after two searches with the background warm-up done ("warm").

::

    .venv/bin/python -m bench.read_side_weight --base /work/main --base-index MAIN_INDEX --index THIS_INDEX
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def import_seconds(checkout: Path) -> float:
    """Cumulative seconds ``import web`` takes in ``checkout`` (``-X importtime``'s last line)."""
    done = subprocess.run([str(checkout / ".venv/bin/python"), "-X", "importtime", "-c", "import web"],
                          cwd=checkout, capture_output=True, text=True, check=True)
    return int(done.stderr.strip().splitlines()[-1].split("|")[1]) / 1e6


def worker_rss_mb(checkout: Path, index_dir: str, warm: bool) -> list:
    """VmRSS (MB) of each worker of a ``newsearch serve --workers 2`` of ``index_dir``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NEWSEARCH_WARM_UP": "true" if warm else "false"}
    server = subprocess.Popen([str(checkout / ".venv/bin/newsearch"), "serve", "--index", index_dir, "--port",
                               str(port), "--workers", "2"], cwd=checkout, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/help")
        if warm:
            for _ in range(2):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=oil", timeout=60).read()
            time.sleep(4)  # the warm-up threads
        time.sleep(1)
        return [_rss_mb(pid) for pid in _children(server.pid)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _wait(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _children(pid):
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _rss_mb(pid) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the other checkout (with its .venv)")
    parser.add_argument("--base-index", required=True)
    parser.add_argument("--index", required=True, help="an index for this checkout")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    checkouts = {"base": (Path(args.base), args.base_index), "this": (HERE, args.index)}
    imports = {name: [] for name in checkouts}
    for _ in range(args.rounds * 3):
        for name, (checkout, _) in checkouts.items():
            imports[name].append(import_seconds(checkout))
    for name, found in imports.items():
        print(f"import web, {name}: median {statistics.median(found):.3f} s of {len(found)} runs")
    for warm in (False, True):
        rss = {name: [] for name in checkouts}
        for _ in range(args.rounds):
            for name, (checkout, index_dir) in checkouts.items():
                rss[name] += worker_rss_mb(checkout, index_dir, warm)
        for name, found in rss.items():
            print(f"worker RSS {'warm' if warm else 'cold'}, {name}: median {statistics.median(found):.1f} MB "
                  f"({', '.join(f'{v:.1f}' for v in found)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
