"""A real ``newsearch serve`` for end-to-end tests: started on a free loopback port, stopped gracefully."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The newsearch CLI in this interpreter, whether or not the console script is on PATH.
CLI = [sys.executable, "-c", "import newsearch; newsearch.cli(prog_name='newsearch')"]


def cli_here(*args) -> str:
    """The same CLI command run in this process (click's runner: no interpreter to start and import), where
    the process itself is not what is tested; assert it succeeds and return what it printed."""
    from click.testing import CliRunner

    import newsearch

    result = CliRunner().invoke(newsearch.cli, [str(arg) for arg in args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir, log: Path, host="127.0.0.1", workers=1, threads=4):
    """Start ``newsearch serve`` (``host=None``: its default) and wait until it answers.

    :return: ``(process, port)``.
    """
    port = free_port()
    command = [*CLI, "serve", "--index", str(index_dir), "--port", str(port),
               "--workers", str(workers), "--threads", str(threads)]
    if host is not None:
        command += ["--host", host]
    with open(log, "wb") as out:
        server = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/api/search", server, log)
    except BaseException:
        stop(server)
        raise
    return server, port


@contextlib.contextmanager
def serving(index_dir, log: Path, **options):
    """The base URL of a server of ``index_dir`` for the duration of the block."""
    server, port = start_server(index_dir, log, **options)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


def wait_until_answering(url: str, server: subprocess.Popen, log: Path, seconds=20.0) -> None:
    """Poll ``url`` until it answers; fail at once on an error answer or when the server exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with status {server.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError as e:
            e.close()
            pytest.fail(f"{url} answered {e.code}:\n{tail(log)}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"the server did not answer {url} within {seconds:.0f} s:\n{tail(log)}")


def tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def stop(server: subprocess.Popen) -> None:
    """SIGTERM the gunicorn master (it stops its workers); kill its whole group if it lingers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the group is still ours: its leader is alive
            server.wait(timeout=5)
