import os

# Before anything imports numpy (web below does): OpenBLAS's own threads only spin beside the test processes.
# The fits of tests/test_quality_html.py multiply small matrices, where a second thread wins no time but
# busy-waits on the other CPU: that file took 113 user CPU-s in 91 s alone (-n 0) with it, 80 in 81 s
# without, and 208 against 82 CPU-s in the parallel suite. Test processes inherit the setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from literal import index_folder  # noqa: E402
from web import create_app  # noqa: E402


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


#: The cost counted for a slow test in a file without a ``cost`` marker, in CPU-seconds.
UNMARKED_SLOW_TEST = 0.5


def pytest_collection_modifyitems(config, items):
    """The costliest files run first, so that the parallel run ends with short files on every worker
    instead of one long file on one. pytest-xdist hands out whole files in collection order
    (``--no-loadscope-reorder`` in pyproject), two to each worker at the start: with the files in
    decreasing cost, the worker given the costliest file is given the (W+1)-th of W workers as its second.

    A file's cost is its ``cost`` marker (CPU-seconds measured alone: ``pytest FILE -n 0``), given to
    the files that take more than a few seconds; else UNMARKED_SLOW_TEST a slow test. Each file's tests stay
    together and in their order."""
    cost = {}
    for item in items:
        marker = item.get_closest_marker("cost")
        if marker is not None:
            cost[item.path] = max(cost.get(item.path, 0), marker.args[0])
        elif item.get_closest_marker("slow"):
            cost[item.path] = cost.get(item.path, 0) + UNMARKED_SLOW_TEST
    items.sort(key=lambda item: -cost.get(item.path, 0))


def pytest_xdist_auto_num_workers(config):
    """One test process per CPU and one more (``--maxprocesses`` in pyproject caps them): some tests wait
    for a server, a subprocess or a deadline, and the spare process runs meanwhile. Two per CPU kept the
    CPUs as busy but spent more CPU-seconds on the same tests (2 CPUs, alternating runs: 158 and 175 s
    with four processes, 155 and 163 s with three)."""
    return (os.cpu_count() or 1) + 1
