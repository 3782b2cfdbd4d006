"""A reindex that cannot write: a full disk and a read-only index folder give a clear error and keep
the index; the debris a full disk leaves is removed by the next run; a stale lock is taken over, a
live one never."""

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from index import reindex
from index.store import current_generation
from index.store import open_current
from reindexing import PER_FILE
from reindexing import assert_clean
from reindexing import group_members
from reindexing import run_cli
from reindexing import write_source
from servers import CLI
from servers import REPO
from servers import cli_here

pytestmark = [pytest.mark.slow, pytest.mark.cost(10)]


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


# A full disk leaves debris; the next run removes it -----------------------------------------------

#: Runs inside a private mount namespace, with the index folder on a 1,500 KB tmpfs: index 130
#: articles (they fit), add 300 more (the disk fills), take them away again and run once more.
FULL_DISK_RUN = """
import json, os, subprocess, sys
from pathlib import Path
from reindexing import write_source
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
        orphans = group_members(holder.pid)
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
