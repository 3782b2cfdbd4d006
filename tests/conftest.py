import os

import pytest
from click.testing import CliRunner

from literal import index_folder
from web import create_app


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory):
    """An index folder of :data:`literal.ARTICLES`, written with the writer directly."""
    return index_folder(tmp_path_factory.mktemp("index"))


@pytest.fixture(scope="session")
def service(index_dir):
    from search import SearchService

    svc = SearchService(index_dir)
    yield svc
    svc.close()


@pytest.fixture
def app(index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()


# Shared by the robustness tests (tests/test_robust_*.py): real `newsearch serve` processes.


@pytest.fixture
def serve_index(tmp_path_factory):
    """A factory: ``serve_index(index_dir, workers=1, threads=4)`` starts ``newsearch serve`` on a free
    loopback port and returns its base URL; every server it started stops (gracefully) after the test.
    """
    from servers import start_server
    from servers import stop

    servers = []

    def start(index_dir, workers=1, threads=4):
        log = tmp_path_factory.mktemp("server") / "server.log"
        server, port = start_server(index_dir, log, workers=workers, threads=threads)
        servers.append(server)
        return f"http://127.0.0.1:{port}"

    yield start
    for server in servers:
        stop(server)


def pytest_collection_modifyitems(config, items):
    """The costliest files run first, so the parallel run (which hands out whole files in collection order:
    ``--no-loadscope-reorder`` in pyproject) ends with short files on every worker instead of one long file
    on one: files whose slow tests read the corpora (quality evaluations with a minute of session setup),
    then files by their number of slow tests. Each file's tests stay together and in their order."""
    heavy, slow = set(), {}
    for item in items:
        if item.get_closest_marker("slow"):
            slow[item.path] = slow.get(item.path, 0) + 1
            if item.get_closest_marker("corpora"):
                heavy.add(item.path)
    items.sort(key=lambda item: (item.path not in heavy, -slow.get(item.path, 0)))


def pytest_xdist_auto_num_workers(config):
    """Twice as many test processes as CPUs (``--maxprocesses`` in pyproject caps them): many tests wait
    for a server, a subprocess or a deadline, and a second process per CPU runs meanwhile."""
    return 2 * (os.cpu_count() or 1)
