"""Files that break a reindex: FIFOs, devices and sockets, symbolic links out of the source folders
and in loops, a line of JSON Lines too long to hold, millions of lines to skip.

Only regular files are read; links are followed only inside the named folders; every one of these is
listed with its reason, and the run finishes in bounded time and memory.
"""

import contextlib
import gzip
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tracemalloc

import pytest

import search
from index import reindex
from index.extract import iter_items
from index.sources import UnreadableFile
from index.sources import iter_sources
from index.sources import open_regular
from index.sources import read_lines
from newsearch import cli

#: Seconds a run that must not hang may take before the test fails (a FIFO used to hang forever).
HANG_GUARD = 20


class Hung(BaseException):
    """Raised in a run that hangs (not an OSError: the code under test must not catch it)"""


@contextlib.contextmanager
def fails_if_hanging(seconds=HANG_GUARD):
    def hung(signum, frame):
        raise Hung(f"still running after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def record(n, word="harbour"):
    return json.dumps({"id": f"r{n}", "title": f"Record {n}", "body": f"The {word} story {n}."}) + "\n"


def skips(report) -> dict:
    return {os.path.basename(s.where): s.reason for s in report.skipped}


# Not regular files -------------------------------------------------------------------------------


@pytest.fixture
def special_files(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.jsonl").write_text(record(1))
    os.mkfifo(src / "pipe.jsonl")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(src / "sock.txt"))
    try:
        os.mknod(src / "dev.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null
    except PermissionError:
        pass
    yield src
    listening.close()


def test_fifo_socket_and_device_are_skipped_with_their_reason(special_files, tmp_path):
    with fails_if_hanging():
        report = reindex([special_files], tmp_path / "ix", workers=0)
    assert report.added == 1
    found = skips(report)
    assert found["pipe.jsonl"] == "not a regular file (a FIFO)"
    assert found["sock.txt"] == "not a regular file (a socket)"
    if (special_files / "dev.txt").exists():
        assert found["dev.txt"] == "not a regular file (a character device)"


def test_a_named_fifo_is_skipped(special_files, tmp_path):
    with fails_if_hanging():
        report = reindex([special_files / "pipe.jsonl"], tmp_path / "ix", workers=0)
    assert skips(report) == {"pipe.jsonl": "not a regular file (a FIFO)"}


def test_a_fifo_put_in_place_of_a_found_file_is_not_opened(tmp_path):
    """Between finding a file and reading it, a FIFO may take its place: never block on it."""
    (tmp_path / "late.jsonl").write_text(record(1))
    found = list(iter_sources([tmp_path]))
    (tmp_path / "late.jsonl").unlink()
    os.mkfifo(tmp_path / "late.jsonl")
    with fails_if_hanging(10):
        items = list(iter_items(found[0]))
        with pytest.raises(UnreadableFile, match=r"not a regular file \(a FIFO\)"):
            open_regular(tmp_path / "late.jsonl")
    assert [i.reason for i in items] == ["not a regular file (a FIFO)"]


# Symbolic links ------------------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path):
    """A source folder with links in and out of it, and a second named folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Shadow file\n\nroot:secretword:0:0 the shadow line.\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "o.jsonl").write_text(record(2, "otherword"))
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "real.jsonl").write_text(record(1))
    (src / "shadow.txt").symlink_to(outside / "secret.txt")
    (src / "outdir").symlink_to(outside)
    (src / "inside.jsonl").symlink_to(src / "sub" / "real.jsonl")
    (src / "to-other.jsonl").symlink_to(other / "o.jsonl")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (src / "sub" / "up").symlink_to(src)
    (src / "picture.png").symlink_to(outside / "secret.txt")  # not an input: not listed
    return src, other


def test_links_leaving_the_named_folders_are_never_read(linked, tmp_path):
    src, other = linked
    report = reindex([src, other], tmp_path / "ix", workers=0)
    assert {k: v for k, v in skips(report).items() if not v.startswith("duplicate id")} == {
        "shadow.txt": f"symbolic link to {tmp_path / 'outside' / 'secret.txt'}, outside the source folders",
        "outdir": f"symbolic link to {tmp_path / 'outside'}, outside the source folders",
        "loop.txt": "symbolic link loop",
        "gone.txt": "broken symbolic link",
        "up": "symbolic link loop (a link to a folder it is in)",
    }
    service = search.SearchService(tmp_path / "ix")
    try:
        assert search.search(service, search.SearchRequest(q="secretword")).total == 0
        ids = {h["id"] for h in search.search(service, search.SearchRequest(per_page=100)).hits}
    finally:
        service.close()
    # Links that stay inside a named folder are followed (under the link's own path).
    assert ids == {"r1", "r2"}
    assert report.skipped.kinds["duplicate id, already indexed"] == 2  # inside.jsonl, to-other.jsonl


def test_the_cli_lists_skipped_links(linked, tmp_path, runner):
    src, _ = linked
    result = runner.invoke(cli, ["reindex", str(src), "--index", str(tmp_path / "ix"), "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert f"{src / 'shadow.txt'}: symbolic link to" in result.output
    assert f"{src / 'loop.txt'}: symbolic link loop" in result.output


# Bounded memory -------------------------------------------------------------------------------------


def write_long_line_gz(path, megabytes, before=1, after=1):
    """A JSON Lines gzip with ``before`` good lines, one line of ``megabytes`` MB, ``after`` good lines."""
    chunk = b"a" * (1024 * 1024)
    with gzip.open(path, "wb", compresslevel=1) as f:
        for n in range(before):
            f.write(record(n).encode())
        f.write(b'{"id": "bomb", "body": "')
        for _ in range(megabytes):
            f.write(chunk)
        f.write(b'"}\n')
        for n in range(before, before + after):
            f.write(record(n).encode())
    return path


def test_read_lines_skips_a_long_line_in_pieces(tmp_path):
    path = write_long_line_gz(tmp_path / "long.jsonl.gz", 3)
    got = [(n, None if line is None else json.loads(line)["id"]) for n, line in read_lines(path, 1024 * 1024)]
    assert got == [(1, "r0"), (2, None), (3, "r1")]


def test_a_line_over_the_limit_is_never_held(tmp_path):
    """A 64 MB line (past the 16 MB limit) costs no more than the limit to skip."""
    write_long_line_gz(tmp_path / "long.jsonl.gz", 64)
    src, = iter_sources([tmp_path / "long.jsonl.gz"])
    tracemalloc.start()
    try:
        items = list(iter_items(src))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [getattr(i, "id", None) or i.reason for i in items] == ["r0", "line longer than 16 MB", "r1"]
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB of Python allocations"


def test_skipped_lines_are_counted_not_kept(tmp_path, capsys):
    """100,000 lines that are not articles: every one counted, a thousand kept; the summary is not
    "Nothing to do" on a fresh index."""
    from newsearch import _print_report

    path = tmp_path / "empties.jsonl.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"{}\n" * 100_000)
    report = reindex([path], tmp_path / "ix", workers=0)
    assert len(report.skipped) == 100_000 and len(report.skipped.kept) == 1000
    _print_report(report)
    printed = capsys.readouterr().out
    assert "Nothing to do" not in printed
    assert "Full reindex done" in printed and "100,000 skipped; 0 articles in the index" in printed
    assert "… and 99,950 more (all 100,000 by reason: no 'id': 100,000)" in printed


#: Run the CLI on a file and print the peak RSS (KB) of it and its worker processes.
PEAK_RSS = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')",
                       "reindex", sys.argv[1], "--index", sys.argv[2]], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.returncode)
print(done.stdout + done.stderr)
"""


@pytest.mark.slow
def test_gzip_bomb_of_one_long_line_stays_small(tmp_path):
    """A 256 MB line in a gzip (about 250 KB on disk): peak RSS under 300 MB (it was 3× the line)."""
    bomb = write_long_line_gz(tmp_path / "bomb.jsonl.gz", 256, before=0, after=0)
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, str(bomb), str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=300)
    peak_kb, code, output = done.stdout.split("\n", 2)
    assert code == "0", output
    assert "line longer than 16 MB" in output and "Nothing to do" not in output
    print(f"\npeak RSS of a reindex of a 256 MB line in a gzip: {int(peak_kb) / 1024:.0f} MB")
    assert int(peak_kb) < 300 * 1024, f"peak RSS {int(peak_kb) / 1024:.0f} MB"
