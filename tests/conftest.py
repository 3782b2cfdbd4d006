import json

import pytest
from click.testing import CliRunner

from index import reindex
from web import create_app

#: Five literal articles, with their figures given so search tests do not depend on extraction.
ARTICLES = [
    {"id": "a1", "title": "Alfa bravo summit", "date": "2020-01-30",
     "body": "Alfa bravo charlie delta. Valentina Matvienko opened the summit in Moscow.",
     "figures": ["Valentina Matvienko", "Igor Rudeni"]},
    {"id": "a2", "title": "Charlie report", "date": "2020-03-02",
     "body": "Charlie echo foxtrot. The new upstream release was discussed by Igor Rudeni.",
     "figures": ["Igor Rudeni"]},
    {"id": "a3", "title": "Delta news", "date": "2019-07-14",
     "body": "Delta golf hotel; new ideas came up. An upstream patch and a release followed.",
     "figures": ["Valentina Matvienko"], "url": "https://example.org/delta"},
    {"id": "a4", "title": "Echo year only", "date": "2021",
     "body": "Echo india juliet.", "figures": []},
    {"id": "a5", "title": "Undated kilo", "date": None,
     "body": "Kilo lima <script>alert(1)</script> mike & november.", "figures": ["Grigory Rapota"],
     "url": "javascript:alert(1)"},
]


def write_jsonl(path, articles):
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return path


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory):
    """An index of :data:`ARTICLES`, built by the real reindex pipeline."""
    root = tmp_path_factory.mktemp("corpus")
    write_jsonl(root / "articles.jsonl", ARTICLES)
    target = tmp_path_factory.mktemp("index")
    reindex([root / "articles.jsonl"], target, workers=0)
    return target


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
