"""The index folder's reindex lock: one reindex at a time, and never blocked by one that is gone.

The lock is an ``flock`` on ``reindex.lock``, which the kernel frees when every descriptor of it is
closed, so a reindex killed with ``kill -9`` frees it at once, provided nothing else holds a copy:

* forked children (the extraction workers) close their copy as they start (``os.register_at_fork``),
  and die with their parent anyway (see :mod:`index.parallel`);
* the holder writes who it is in the file (pid, start time, command line). When the lock is taken and
  the process the file names is gone, something else holds a copy: orphaned workers of a version
  that let them keep it, say. After a grace period (a holder writes its name just after locking),
  the lock is taken over: a fresh lock file replaces the old one (under a second lock, so two runs
  cannot both take over), and the run's report says which processes still held the old one.
  A lock whose holder is alive, or unnamed (written by an older version), is never taken over.
"""

import contextlib
import fcntl
import json
import os
import time
from pathlib import Path

LOCK = "reindex.lock"
#: Held while deciding to take over a stale lock (never for longer).
TAKEOVER_LOCK = "reindex.lock.takeover"
#: Seconds to wait before judging a lock stale: a new holder names itself right after locking.
GRACE_SECONDS = 2.0

#: Descriptors of the locks this process holds (closed in forked children).
_held = set()


class ReindexRunning(Exception):
    """Another reindex is writing to this index folder"""


def _close_held_in_child() -> None:
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_held_in_child)


@contextlib.contextmanager
def reindex_lock(index_dir, notes: list | None = None):
    """Hold the folder's reindex lock for the duration of the block.

    :param notes: where to say that a stale lock was taken over (the run's report notes).
    :raise ReindexRunning: when another reindex holds it.
    """
    path = Path(index_dir) / LOCK
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    fd = _locked(path)
    if fd is None:
        fd = _take_over(path, notes if notes is not None else [])
    _held.add(fd)
    try:
        _name_holder(fd)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # frees the lock


def _locked(path: Path) -> int | None:
    """A descriptor of ``path`` holding its lock, or None when another holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    if os.fstat(fd).st_ino != _inode(path):  # replaced while we locked it (a takeover): not the lock
        os.close(fd)
        return None
    return fd


def _take_over(path: Path, notes: list) -> int:
    """Take a lock whose named holder is gone; raise :class:`ReindexRunning` otherwise."""
    holder = _read_holder(path)
    if holder is None or _alive(holder):
        raise ReindexRunning(_running_message(path, holder))
    time.sleep(GRACE_SECONDS)
    guard = os.open(path.with_name(TAKEOVER_LOCK), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)
        fd = _locked(path)
        if fd is not None:  # freed meanwhile
            return fd
        now = _read_holder(path)
        if now != holder or now is None or _alive(now):
            raise ReindexRunning(_running_message(path, now))
        keepers = _holding(path)
        fresh = path.with_name(f"{LOCK}.{os.getpid()}")
        fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(fresh, path)
    finally:
        os.close(guard)
    notes.append(f"took over the reindex lock of process {holder['pid']}, which is gone"
                 + (f"; processes {', '.join(map(str, keepers))} still held the old lock (stop them)"
                    if keepers else ""))
    return fd


def _running_message(path: Path, holder) -> str:
    if holder:
        return f"{ReindexRunning.__doc__}: {path.parent} (process {holder['pid']}: {holder.get('command', '?')})"
    keepers = _holding(path)
    held = f" (held by processes {', '.join(map(str, keepers))})" if keepers else ""
    return f"{ReindexRunning.__doc__}: {path.parent}{held}"


def _name_holder(fd: int) -> None:
    """Write who holds the lock into the lock file."""
    me = _identity(os.getpid())
    data = json.dumps({"pid": os.getpid(), **(me or {})}).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)


def _read_holder(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_bytes() or b"null")
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None


def _alive(holder: dict) -> bool:
    """Whether the process a lock file names is running (the same process: its start time matches)."""
    found = _identity(holder["pid"])
    return found is not None and found.get("start") == holder.get("start")


def _identity(pid: int) -> dict | None:
    """A process's start time (clock ticks since boot) and command line, from /proc; None when gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return {}  # alive, but no /proc here
    start = int(stat.rsplit(")", 1)[1].split()[19])
    return {"start": start, "command": command.replace(b"\0", b" ").decode(errors="replace").strip()}


def _holding(path: Path) -> list[int]:
    """Processes that have ``path`` open (from /proc; empty where it cannot be read)."""
    wanted = _inode(path), os.stat(path).st_dev
    found = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                st = os.stat(fd)
                if (st.st_ino, st.st_dev) == wanted:
                    found.append(int(fd_dir.parent.name))
                    break
        except OSError:
            continue
    return sorted(set(found) - {os.getpid()})


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None
