"""A damaged index: a truncated, emptied, missing or overwritten segment or table of contents.

The server answers 503 ``index_broken`` in the JSON error shape on every API endpoint (a proper error
page elsewhere), never a 500; the CLI says to rebuild with ``newsearch reindex SOURCE... --full`` and
exits 1 (it printed only "Aborted!"); a full rebuild repairs it.
"""

import gc
import json
import shutil
import warnings
from pathlib import Path

import pytest

import search
from index import reindex
from index.store import current_generation
from literal import ARTICLES
from literal import write_jsonl
from newsearch import cli
from web import create_app

REBUILD = "rebuild it with `newsearch reindex SOURCE... --full`"
API = ["/api/search?q=alfa", "/api/search.csv?q=alfa", "/api/search.jsonl", "/api/articles/a1",
       "/api/articles/a1?q=alfa", "/api/suggest?q=al", "/api/facets/figures?prefix=ig",
       "/api/figures/Igor%20Rudeni", "/feed?q=alfa"]  # a feed reader gets its errors as JSON
PAGES = ["/?q=alfa", "/articles/a1", "/figures/Igor%20Rudeni"]


def truncate(fraction):
    def damage(path: Path):
        path.write_bytes(path.read_bytes()[: int(path.stat().st_size * fraction)])
    return damage


def overwrite(at):
    def damage(path: Path):
        data = bytearray(path.read_bytes())
        start = int(len(data) * at)
        data[start:start + 200] = bytes((b * 7 + 13) % 256 for b in data[start:start + 200])
        path.write_bytes(bytes(data))
    return damage


#: Ways to damage an index: which file, and what is done to it. Each raised something else.
DAMAGE = {
    "segment-half": ("*.seg", truncate(0.5)),          # EOFError
    "segment-end-cut": ("*.seg", truncate(0.99)),      # UnpicklingError
    "segment-emptied": ("*.seg", truncate(0)),         # struct.error
    "segment-missing": ("*.seg", Path.unlink),         # FileNotFoundError
    "segment-overwritten": ("*.seg", None),            # found mid-search (see mid_search_damage)
    "toc-half": ("*.toc", truncate(0.5)),              # UnpicklingError
    "toc-emptied": ("*.toc", truncate(0)),             # TypeError
}


#: What ``newsearch query alfa`` and ``newsearch query alfa --format csv`` run.
CLI_QUERIES = [
    lambda service: search.search(service, search.SearchRequest(q="alfa")),
    lambda service: list(search.export_lines(service, search.SearchRequest(q="alfa"), "csv")),
]


def _fails_with_damage(run) -> bool:
    try:
        run()
    except Exception as e:  # noqa: BLE001
        return search.is_index_damage(e)
    return False


def mid_search_damage(good: Path, scratch: Path):
    """An overwrite of the segment that opens but fails in a search (where depends on the bytes:
    the first of a few places that does, in this index)."""
    with warnings.catch_warnings():
        # Whoosh leaves files it failed to read to the garbage collector; collect the trials' now.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return _first_mid_search_damage(good, scratch)
        finally:
            gc.collect()


#: Where an overwrite that opens and then fails a search lies depends on the segment's bytes (names, stamps):
#: the trials step through the file finely (in thousandths) and the first found serves the module's tests.
_FOUND: dict = {}


def _first_mid_search_damage(good: Path, scratch: Path):
    if good in _FOUND:
        return _FOUND[good]
    for permille in range(5, 1000, 5):
        trial = scratch / f"trial{permille}"
        shutil.copytree(good, trial)
        overwrite(permille / 1000)(next(current_generation(trial).glob("*.seg")))
        service = search.SearchService(trial)
        try:
            service.searcher()  # opens the segment and builds what every search reads
        except search.IndexBroken:
            continue
        except Exception as e:  # noqa: BLE001  (damage found before any search: not this case)
            service.close()
            if search.is_index_damage(e):
                continue
            raise
        try:
            if all(_fails_with_damage(lambda: run(service)) for run in CLI_QUERIES):
                _FOUND[good] = overwrite(permille / 1000)
                return _FOUND[good]
        finally:
            service.close()
    pytest.fail("no overwrite of the segment opened and then failed a search: the test proves nothing")


@pytest.fixture(scope="module")
def good_index(tmp_path_factory):
    source = write_jsonl(tmp_path_factory.mktemp("src") / "articles.jsonl", ARTICLES)
    index_dir = tmp_path_factory.mktemp("good") / "ix"
    reindex([source], index_dir, workers=0)
    return source, index_dir


#: A missing segment costs half a second a request (Whoosh retries, as if a commit had just removed it).
SLOW = {"segment-missing"}


@pytest.fixture(params=[pytest.param(how, marks=[pytest.mark.slow] * (how in SLOW)) for how in DAMAGE])
def damaged(request, good_index, tmp_path):
    source, good = good_index
    index_dir = tmp_path / "ix"
    shutil.copytree(good, index_dir)
    pattern, damage = DAMAGE[request.param]
    damage = damage or mid_search_damage(good, tmp_path / "trials")
    damage(next(current_generation(index_dir).glob(pattern)))
    return source, index_dir, request.param


def test_every_endpoint_answers_index_broken(damaged):
    _, index_dir, how = damaged
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    if how == "segment-overwritten":  # what reads the damaged part says so; the rest still answers
        statuses = {path: client.get(path).status_code for path in API + PAGES}
        assert set(statuses.values()) <= {200, 503} and 503 in statuses.values(), statuses
        return
    for path in API:
        response = client.get(path)
        assert response.status_code == 503, (path, response.get_data()[:300])
        body = json.loads(response.get_data())
        assert body["ok"] is False and body["status"] == 503, path
        assert body["error"]["code"] == "index_broken" and REBUILD in body["error"]["message"], path
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 503 and response.mimetype == "text/html", path
        assert REBUILD.replace("`", "") in response.get_data(as_text=True).replace("`", ""), path
    assert client.get("/help").status_code == 200


def test_the_cli_says_to_rebuild(damaged, runner):
    source, index_dir, how = damaged
    commands = [["query", "alfa"], ["query", "alfa", "--format", "csv"]]
    if how != "segment-overwritten":  # an incremental run with nothing to do never reads the damage
        commands.append(["reindex", str(source)])
    for args in commands:
        result = runner.invoke(cli, [*args, "--index", str(index_dir)])
        assert result.exit_code == 1, (args, result.output)
        assert "Error: The index is damaged" in result.output and REBUILD in result.output, (args, result.output)
        assert "Aborted!" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_serve_refuses_a_damaged_index(damaged, runner, monkeypatch):
    _, index_dir, how = damaged
    if how == "segment-overwritten":
        pytest.skip("found only mid-search: serve starts, and answers 503 (the test above)")
    started = []
    monkeypatch.setattr("web.server.run", lambda *args: started.append(args))  # never serve for real
    result = runner.invoke(cli, ["serve", "--index", str(index_dir)])
    assert result.exit_code == 1 and REBUILD in result.output, result.output
    assert started == []


def test_a_full_rebuild_repairs_it(damaged, runner):
    source, index_dir, _ = damaged
    result = runner.invoke(cli, ["reindex", str(source), "--index", str(index_dir), "--full"])
    assert result.exit_code == 0, result.output
    found = runner.invoke(cli, ["query", "alfa", "--index", str(index_dir)])
    assert found.exit_code == 0 and found.output.startswith("1 articles"), found.output


def test_what_whoosh_raises_reading_a_column_file_is_damage():
    """Garbage in a segment's column (read whole at start) fails inside whoosh/columns.py with any error,
    e.g. a UnicodeEncodeError for a bad type code: that is a damaged index (503), not a bug (500)."""
    from index.store import is_damage

    code = compile("raise UnicodeEncodeError('ascii', '\\xdb', 0, 1, 'ordinal not in range(128)')",
                   str(Path("/venv/site-packages/whoosh/columns.py")), "exec")
    with pytest.raises(UnicodeEncodeError) as raised:
        exec(code)
    assert is_damage(raised.value)
    assert not is_damage(UnicodeEncodeError("ascii", "x", 0, 1, "raised elsewhere"))
