"""Crash safety: a reindex killed with SIGKILL at chosen points, and a server that sees every commit.

The reindex runs as the real CLI in its own process group (with its extraction workers); the
``NEWSEARCH_TEST_PAUSE_AT`` hook of :mod:`index.store` makes it stop at a known point, where the test
kills it with ``kill -9``, the reindex process alone, as a user or an out-of-memory killer would: its
workers must die with it and leave the lock free. A ``segment`` point (all segment files written, the
Whoosh TOC that would name them not yet) is reached by a wrapper that pauses in
``whoosh.index.TOC.write``. Meanwhile a real server keeps answering; after each kill it must still
answer from the last good index, and the next plain reindex must run (never "Another reindex is
writing") and recover by itself to the count of an uninterrupted run, which a freshly opened reader and
the running server both see. A full disk, a read-only folder and stale locks: tests/test_robust_disk.py.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import reindex
from index.store import open_current
from reindexing import PER_FILE
from reindexing import api_total
from reindexing import assert_clean
from reindexing import fresh_total
from reindexing import group_members
from reindexing import leftovers
from reindexing import write_source
from servers import CLI
from servers import REPO
from servers import cli_here
from servers import serving

pytestmark = [pytest.mark.slow, pytest.mark.cost(17)]

#: The CLI, pausing just before Whoosh writes the TOC that would name the new segments.
CLI_PAUSING_AT_SEGMENT = [sys.executable, "-c", """
import sys, time
import whoosh.index as wi
_write = wi.TOC.write
def write(self, storage, indexname):
    if self.segments:
        print("paused at segment", file=sys.stderr, flush=True)
        time.sleep(3600)
    return _write(self, storage, indexname)
wi.TOC.write = write
import newsearch
newsearch.cli(prog_name="newsearch")
"""]
PAUSE_SECONDS = 60

#: What the kill tests saw, printed at the end of the module (numbers for the report).
OBSERVED = []


def start_paused(command, point, log: Path) -> subprocess.Popen:
    """Start a reindex that stops at ``point``; return once it says it has."""
    env = {**os.environ, "NEWSEARCH_TEST_PAUSE_AT": point}
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.monotonic() + PAUSE_SECONDS
    while f"paused at {point}" not in log.read_text(errors="replace"):
        if proc.poll() is not None:
            pytest.fail(f"the reindex ended ({proc.returncode}) before pausing at {point}:\n"
                        + log.read_text(errors="replace"))
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"the reindex did not reach {point} in {PAUSE_SECONDS} s")
        time.sleep(0.05)
    return proc


def kill_reindex(proc: subprocess.Popen) -> list:
    """kill -9 the reindex process alone; return the processes of its group still alive 10 s later
    (its extraction workers must die with it), killing them then."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = group_members(proc.pid)
    if survivors:
        os.killpg(proc.pid, signal.SIGKILL)
    return survivors


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def crash_site(tmp_path_factory):
    """A source folder and its index (one file, uninterrupted run), shared by the kill tests, and the
    URL of one server of that index kept running through all of them (as a deployment would be)."""
    sources = tmp_path_factory.mktemp("crash-sources")
    write_source(sources, "base")
    index_dir = tmp_path_factory.mktemp("crash") / "ix"
    reindex([sources], index_dir, workers=0)
    with serving(index_dir, tmp_path_factory.mktemp("crash-server") / "server.log", threads=2) as url:
        yield sources, index_dir, url
    print("\nkill points (mode, point, old count, count while killed, leftovers, count after recovery, "
          "time of the next run):")
    for row in OBSERVED:
        print("  ", row)


#: Ten points of a reindex: reading and extracting, after all is added, merging small segments in
#: the commit, segments written but not yet named by a TOC, and after the commit (incremental: before
#: the manifest) or the rename of the new generation (full: before CURRENT switches).
KILL_POINTS = [(mode, point) for mode in ("incremental", "full")
               for point in ("extract", "write", "merge", "segment", "commit" if mode == "incremental" else "publish")]


@pytest.mark.parametrize(("mode", "point"), KILL_POINTS)
def test_killed_reindex_keeps_serving_and_recovers(crash_site, tmp_path, mode, point):
    sources, index_dir, url = crash_site
    old_total = api_total(url)
    # The change this run brings: the previous test's file goes, a new one comes.
    for previous in sources.glob("kill-*.jsonl"):
        previous.unlink()
    tag = f"kill-{mode}-{point}"
    write_source(sources, tag)
    word = tag.replace("-", "")
    expected = PER_FILE * 2

    args = ["reindex", str(sources), "--index", str(index_dir), "--workers", "2"]
    args += ["--full"] if mode == "full" else []
    command = [*CLI_PAUSING_AT_SEGMENT, *args] if point == "segment" else [*CLI, *args]
    proc = start_paused(command, point, tmp_path / "reindex.log")
    committed = (mode, point) == ("incremental", "commit")
    # An incremental commit that already happened shows the new articles; before it, and for a full
    # rebuild until the switch, the server answers from the old index. Never a mix.
    during = fresh_total(index_dir) if committed else api_total(url)
    assert during == (expected if committed else old_total)
    survivors = kill_reindex(proc)
    assert survivors == [], "the reindex's workers must die with it"
    left = leftovers(index_dir)
    after_kill = fresh_total(index_dir) if committed else api_total(url)
    assert after_kill == during, "the server must keep answering from the last good index"

    # The next plain run (the same CLI command, in this process) is not blocked and recovers by itself.
    started = time.perf_counter()
    cli_here(*args)
    seconds = time.perf_counter() - started
    assert fresh_total(index_dir) == expected and fresh_total(index_dir, word) == PER_FILE
    assert api_total(url) == expected, "the new articles, and not the previous run's, without a restart"
    assert api_total(url, word) == PER_FILE
    assert_clean(index_dir)
    assert not reindex([sources], index_dir, workers=0).changed, "the manifest must be up to date"
    OBSERVED.append((mode, point, old_total, after_kill, left, fresh_total(index_dir), f"{seconds:.1f} s"))


def test_uninterrupted_run_gives_the_same_count(crash_site, tmp_path):
    """The reference: the same input indexed once, without a kill, in a fresh folder."""
    sources, index_dir, _ = crash_site
    report = reindex([sources], tmp_path / "reference", workers=0)
    _, ix = open_current(index_dir)
    try:
        assert ix.doc_count() == report.documents == PER_FILE * 2
    finally:
        ix.close()


def test_server_sees_incremental_commits_without_restart(tmp_path, serve_index):
    """Regression: the refresh after a small commit reuses the old reader's segments; closing the old
    searcher used to close them too, and every later search on that thread answered 500."""
    sources = tmp_path / "src"
    sources.mkdir()
    write_source(sources, "base")
    index_dir = tmp_path / "ix"
    reindex([sources], index_dir, workers=0)
    url = serve_index(index_dir, workers=1, threads=1)
    assert api_total(url) == PER_FILE
    for n in range(1, 4):  # small commits: some keep the old segments, so the new reader reuses them
        write_source(sources, f"more{n}", 1)
        reindex([sources], index_dir, workers=0)
        assert api_total(url) == PER_FILE + n


def test_server_sees_incremental_deletions_without_restart(tmp_path, serve_index):
    sources = tmp_path / "src"
    sources.mkdir()
    write_source(sources, "base")
    gone = write_source(sources, "gone", 20)
    index_dir = tmp_path / "ix"
    reindex([sources], index_dir, workers=0)
    url = serve_index(index_dir, workers=1, threads=1)
    assert api_total(url) == PER_FILE + 20
    gone.unlink()
    report = reindex([sources], index_dir, workers=0)
    assert report.deleted == 20 and fresh_total(index_dir) == PER_FILE
    assert api_total(url, "gone") == 0
    assert api_total(url) == PER_FILE
