"""Crash safety: a reindex killed with SIGKILL at chosen points, a full disk, a read-only index folder,
a stale lock.

The reindex runs as the real CLI in its own process group (with its extraction workers); the
``NEWSEARCH_TEST_PAUSE_AT`` hook of :mod:`index.store` makes it stop at a known point, where the test
kills it with ``kill -9``, the reindex process alone, as a user or an out-of-memory killer would: its
workers must die with it and leave the lock free. A ``segment`` point (all segment files written, the
Whoosh TOC that would name them not yet) is reached by a wrapper that pauses in
``whoosh.index.TOC.write``. Meanwhile a real server keeps answering; after each kill it must still
answer from the last good index, and the next plain reindex must run (never "Another reindex is
writing") and recover by itself to the count of an uninterrupted run.
Recovery is checked by a freshly opened reader, and for full rebuilds also by the running server. The
running server is not asked after an incremental commit: it keeps deleted articles visible (a read-side
bug, see :func:`test_server_sees_incremental_deletions_without_restart`).
"""

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import reindex
from index.store import current_generation
from index.store import open_current
from servers import CLI
from servers import REPO
from servers import cli_here
from servers import serving

pytestmark = [pytest.mark.slow, pytest.mark.cost(27)]

#: Articles per input file: more than two extraction batches, so the worker pool is used.
PER_FILE = 130
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


def articles(tag: str, n: int = PER_FILE) -> list:
    """``n`` literal articles whose bodies all carry the word ``tag``."""
    return [
        {"id": f"{tag}-{i}", "title": f"Report {i} on {tag}", "date": f"2020-{i % 12 + 1:02d}-15",
         "body": f"The {tag.replace('-', '')} story number {i}. " + _sentences(f"{tag}-{i}"),
         "figures": ["Valentina Matvienko"] if i % 3 == 0 else []}
        for i in range(n)
    ]


#: Nouns the bodies are made of.
NOUNS = ("grain wheat barley harbour ship cargo price market trader broker minister ministry deal quota "
         "tariff season harvest field farmer drought silo rail truck road port quay crane buyer seller "
         "contract index demand supply record estimate forecast report agency official").split()


def _sentences(seed: str) -> str:
    """Six plainly English sentences of nouns drawn for ``seed``: each body its own, as real articles
    are. (One repeated sentence made every article a near-duplicate candidate of every other: the
    clustering's checks were two thirds of each reindex here.)"""
    rng = random.Random(seed)
    return " ".join(f"The {a} of the {b} and the {c} was {d} for the {e}."
                    for a, b, c, d, e in (rng.sample(NOUNS, 5) for _ in range(6)))


def write_source(folder: Path, tag: str, n: int = PER_FILE) -> Path:
    path = folder / f"{tag}.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles(tag, n)))
    return path


def api_total(base_url: str, q: str = "") -> int:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", "/api/search?per_page=1&q=" + q)
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200, body
    return body["total"]


def fresh_total(index_dir, q: str = "") -> int:
    """The total a newly opened reader sees (what a restarted server would answer)."""
    import search

    service = search.SearchService(index_dir)
    try:
        return search.search(service, search.SearchRequest(q=q, per_page=1)).total
    finally:
        service.close()


def run_cli(*args, env=None, **kwargs):
    return subprocess.run([*CLI, *args], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env=env, **kwargs)


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


#: The read-side bug that keeps deleted articles visible after an incremental commit.
STALE_DELETIONS = (
    "search/service.py refreshes with whoosh's Searcher.refresh(), which reuses the old reader of every "
    "segment with the same id (whoosh.index.FileIndex._reader keys reuse by Segment, whose __eq__ "
    "compares segment_id() only), so deletions committed to an existing segment are not seen: deleted "
    "articles stay found and updated ones are counted twice until a restart or a full reindex")


def kill_reindex(proc: subprocess.Popen) -> list:
    """kill -9 the reindex process alone; return the processes of its group still alive 10 s later
    (its extraction workers must die with it), killing them then."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = _group_members(proc.pid)
    if survivors:
        os.killpg(proc.pid, signal.SIGKILL)
    return survivors


def _group_members(pgid: int) -> list:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def leftovers(index_dir: Path) -> list:
    """What a dead reindex left in the folder besides the live generation."""
    live = current_generation(index_dir)
    found = [p.name for p in index_dir.glob("gen-*") if p.name.endswith(".tmp") or p.name > live.name]
    in_use = _whoosh_files_in_use(live)
    found += [f"{live.name}/{f.name}" for f in sorted(live.iterdir())
              if _is_index_file(f.name) and f.name not in in_use]
    return found


def _is_index_file(name: str) -> bool:
    """Whoosh's segment and TOC files, and any temporary file a writer leaves."""
    return name.endswith((".seg", ".toc", ".tmp")) or ".toc." in name


def _whoosh_files_in_use(gen: Path) -> set:
    _, ix = open_current(gen.parent)
    try:
        with ix.reader() as reader:
            segments = [r.segment() for r, _ in reader.leaf_readers() if r.segment() is not None]
        names = {f"{seg.segment_id()}.seg" for seg in segments}
        return names | {f"_MAIN_{ix.latest_generation()}.toc"}
    finally:
        ix.close()


def assert_clean(index_dir: Path) -> None:
    """No half-built generation, no unused segment or TOC file, at most one previous generation."""
    assert not list(index_dir.glob("gen-*.tmp")), list(index_dir.iterdir())
    assert leftovers(index_dir) == []
    finished = [p for p in index_dir.glob("gen-*") if p.is_dir()]
    assert len(finished) <= 2, finished


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
    if mode == "full":
        assert api_total(url) == expected, "the new articles must be visible without a restart"
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


# A full disk and a read-only index folder --------------------------------------------------------


@pytest.fixture
def small_site(tmp_path):
    """A source folder and its index (one file)."""
    sources = tmp_path / "src"
    sources.mkdir()
    write_source(sources, "base")
    index_dir = tmp_path / "ix"
    reindex([sources], index_dir, workers=0)
    yield sources, index_dir
    _make_writable(tmp_path)


def _documents(index_dir) -> int:
    _, ix = open_current(index_dir)
    try:
        return ix.doc_count()
    finally:
        ix.close()


def _make_writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_full_disk_gives_clear_error_and_keeps_index(small_site, full):
    """Writes past a size limit fail (RLIMIT_FSIZE, SIGXFSZ ignored: EFBIG, as a full disk gives ENOSPC)."""
    import resource

    sources, index_dir = small_site
    live, before = current_generation(index_dir), _documents(index_dir)
    write_source(sources, "more")

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    args = ["reindex", str(sources), "--index", str(index_dir), "--workers", "0"] + (["--full"] if full else [])
    failed = run_cli(*args, preexec_fn=limit_file_size)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(rf"Error: cannot write the index in {re.escape(str(index_dir))}: File too large "
                     r"\(the previous index is untouched\)", failed.stderr), failed.stderr
    assert "Traceback" not in failed.stderr
    assert current_generation(index_dir) == live and _documents(index_dir) == before
    cli_here(*args)
    assert _documents(index_dir) == before + PER_FILE
    assert_clean(index_dir)


#: Runs a command with one folder mounted read-only, in a private mount namespace (root only).
READ_ONLY_MOUNT = ["unshare", "--mount", "sh", "-c",
                   'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"', "sh"]


def read_only_runner(index_dir: Path):
    """How to run the CLI so that ``index_dir`` is read-only: chmod for a user, a read-only bind mount
    for root (who may write anyway)."""
    if os.geteuid() != 0:
        for path in [index_dir, *index_dir.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return lambda *args: run_cli(*args), "Permission denied"
    probe = subprocess.run([*READ_ONLY_MOUNT, str(index_dir), "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"running as root without the right to mount a read-only folder: {probe.stderr!r}")
    return (lambda *args: subprocess.run([*READ_ONLY_MOUNT, str(index_dir), *CLI, *args], cwd=REPO,
                                         capture_output=True, text=True, timeout=120),
            "Read-only file system")


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_read_only_index_folder_gives_clear_error_and_keeps_index(small_site, full):
    sources, index_dir = small_site
    live, before = current_generation(index_dir), _documents(index_dir)
    write_source(sources, "more")
    run_read_only, reason = read_only_runner(index_dir)
    args = ["reindex", str(sources), "--index", str(index_dir), "--workers", "0"] + (["--full"] if full else [])
    failed = run_read_only(*args)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(rf"Error: cannot write the index in {re.escape(str(index_dir))}: {reason} "
                     r"\(the previous index is untouched\)", failed.stderr), failed.stderr
    _make_writable(sources.parent)
    assert current_generation(index_dir) == live and _documents(index_dir) == before
    cli_here(*args)
    assert _documents(index_dir) == before + PER_FILE


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


# A full disk leaves debris; the next run removes it -----------------------------------------------

#: Runs inside a private mount namespace, with the index folder on a 1,500 KB tmpfs: index 130
#: articles (they fit), add 300 more (the disk fills), take them away again and run once more.
FULL_DISK_RUN = """
import json, os, subprocess, sys
from pathlib import Path
from test_robust_crash import write_source
index_dir, sources = Path(sys.argv[1]) / "ix", Path(sys.argv[2])
cli = [sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')",
       "reindex", str(sources), "--index", str(index_dir), "--workers", "0"]
def run():
    done = subprocess.run(cli, capture_output=True, text=True)
    return {"code": done.returncode, "output": done.stdout + done.stderr}
def files():
    return sorted(str(p.relative_to(index_dir)) for p in index_dir.rglob("*"))
steps = {"base": run()}
steps["base"]["files"] = files()
write_source(sources, "more", 300)
steps["full"] = run()
steps["full"]["files"] = files()
(sources / "more.jsonl").unlink()
steps["after"] = run()
steps["after"]["files"] = files()
print(json.dumps(steps))
"""


def test_debris_of_a_full_disk_is_removed_by_the_next_run(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    write_source(sources, "base")
    disk = tmp_path / "disk"
    disk.mkdir()
    command = ["unshare", "--mount", "sh", "-c", 'mount -t tmpfs -o size=1500k tmpfs "$1" && shift && exec "$@"',
               "sh", str(disk), sys.executable, "-c", FULL_DISK_RUN, str(disk), str(sources)]
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs in a private mount namespace")
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": f"{REPO}:{REPO / 'tests'}"})
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr}")
    steps = json.loads(done.stdout)
    assert steps["base"]["code"] == 0, steps["base"]
    assert steps["full"]["code"] == 1 and "No space left on device" in steps["full"]["output"], steps["full"]
    debris = sorted(set(steps["full"]["files"]) - set(steps["base"]["files"]))
    assert debris, "the failed run left nothing to clean: the test proves nothing"
    assert steps["after"]["code"] == 0, steps["after"]
    assert re.search(r"Note: removed \d+ files and folders \([\d.]+ MB\) that an interrupted reindex left",
                     steps["after"]["output"]), steps["after"]["output"]
    assert set(steps["after"]["files"]) - {"reindex.lock.takeover"} <= set(steps["base"]["files"]), debris
    print(f"\nleft by the run that filled the disk, removed by the next: {debris}")


# A stale lock ------------------------------------------------------------------------------------

#: A reindex as an older version ran: it takes the lock, leaves a forked child with a copy of it (as
#: its workers did: the copy is one the fork handler of index.lock does not know), and is killed.
ORPHANING_HOLDER = """
import os, signal, sys, time
import index.lock
with index.lock.reindex_lock(sys.argv[1]):
    copy = os.dup(next(iter(index.lock._held)))
    if os.fork() == 0:
        time.sleep(300)
        os._exit(0)
    print("locked", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_stale_lock_is_taken_over(tmp_path, monkeypatch):
    import index.lock

    monkeypatch.setattr(index.lock, "GRACE_SECONDS", 0.2)
    sources = tmp_path / "src"
    sources.mkdir()
    write_source(sources, "base", 5)
    holder = subprocess.Popen([sys.executable, "-c", ORPHANING_HOLDER, str(tmp_path / "ix")], cwd=REPO,
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        holder.wait(timeout=10)
        orphans = _group_members(holder.pid)
        assert orphans, "the simulated orphan must hold the lock"
        report = reindex([sources], tmp_path / "ix", workers=0)
        assert report.added == 5
        assert report.notes[0] == (f"took over the reindex lock of process {holder.pid}, which is gone; "
                                   f"processes {', '.join(map(str, orphans))} still held the old lock (stop them)")
        assert not reindex([sources], tmp_path / "ix", workers=0).notes, "taken over once, then a plain lock"
    finally:
        holder.stdout.close()
        os.killpg(holder.pid, signal.SIGKILL)


def test_a_lock_whose_holder_runs_is_never_taken_over(tmp_path):
    import index.lock

    with index.lock.reindex_lock(tmp_path / "ix"):
        busy = run_cli("reindex", str(tmp_path), "--index", str(tmp_path / "ix"))
    assert busy.returncode == 1
    assert f"Error: Another reindex is writing to this index folder: {tmp_path / 'ix'} (process {os.getpid()}" \
        in busy.stderr
