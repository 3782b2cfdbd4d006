"""The index format: what every index stores of our code, and how another format is refused."""

import json
import pickle
import pickletools
import subprocess
import sys

import pytest

import index.analysis
import newsearch
from index.schema import INDEX_FORMAT
from index.schema import PICKLED_CLASSES
from index.schema import ArticleSchema
from index.store import FORMAT
from index.store import IndexIncompatible
from index.store import current_generation
from index.store import open_current
from index.store import read_format
from literal import index_folder
from web import create_app

REBUILD = "newsearch reindex SOURCE... --full"


def pickled_classes(obj) -> set:
    """``module.name`` of every class of ours (index, search, web) a pickle of ``obj`` refers to."""
    found, strings, memo, last = set(), [], {}, None
    for opcode, arg, _ in pickletools.genops(pickle.dumps(obj)):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
            last = arg
            continue
        if opcode.name == "MEMOIZE":
            memo[len(memo)] = last
        elif opcode.name in ("BINGET", "LONG_BINGET") and isinstance(memo.get(arg), str):
            strings.append(memo[arg])  # a string pickled before (a module's second class)
        elif opcode.name == "STACK_GLOBAL":
            found.add(".".join(strings[-2:]))
        elif opcode.name == "GLOBAL":
            found.add(arg.replace(" ", "."))
        last = None
    return {name for name in found if name.split(".")[0] in ("index", "search", "web")}


def test_the_schema_pickles_only_the_declared_import_paths():
    """Whoosh pickles the schema into every index: these paths must not move (or bump the format)."""
    assert pickled_classes(ArticleSchema()) == set(PICKLED_CLASSES)


def test_an_index_built_by_the_suite_opens_in_a_fresh_process(index_dir):
    """Only the declared import paths are needed to read it: nothing else of ours is imported first."""
    code = ("import sys\nfrom index.store import open_current\n_, ix = open_current(sys.argv[1])\n"
            "print(type(ix.schema['body'].analyzer).__module__, ix.doc_count())")
    done = subprocess.run([sys.executable, "-c", code, str(index_dir)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["index.analysis", "5"]


def test_a_new_index_is_stamped_with_the_format(index_dir):
    assert json.loads((current_generation(index_dir) / FORMAT).read_text()) == {"format": INDEX_FORMAT}


def test_an_index_without_a_stamp_is_format_one_and_refused(tmp_path):
    """Format 1 (before the stamp) lacks ``language`` and ``derived_title``: refused, not half served."""
    folder = index_folder(tmp_path / "ix")
    (current_generation(folder) / FORMAT).unlink()
    assert read_format(current_generation(folder)) == 1
    with pytest.raises(IndexIncompatible, match=rf"{REBUILD}.*index format 1;"):
        open_current(folder)


@pytest.fixture
def other_format(tmp_path):
    folder = index_folder(tmp_path / "ix")
    (current_generation(folder) / FORMAT).write_text(json.dumps({"format": INDEX_FORMAT + 1}))
    return folder


def test_another_format_is_refused(other_format):
    with pytest.raises(IndexIncompatible, match=rf"{REBUILD}.*index format {INDEX_FORMAT + 1}"):
        open_current(other_format)


# Whoosh leaves the TOC file it could not unpickle to the garbage collector (a ResourceWarning).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_schema_naming_a_moved_class_is_refused(tmp_path, monkeypatch):
    folder = index_folder(tmp_path / "ix")
    monkeypatch.delattr(index.analysis, "StemmedWords")  # as if the analyzer had moved
    with pytest.raises(IndexIncompatible, match=rf"{REBUILD}.*schema .* cannot be read: AttributeError"):
        open_current(folder)


def test_the_api_answers_503_index_incompatible(other_format):
    response = create_app({"TESTING": True, "INDEX_DIR": str(other_format)}).test_client().get("/api/search")
    assert response.status_code == 503
    error = response.json["error"]
    assert error["code"] == "index_incompatible" and REBUILD in error["message"]


@pytest.mark.parametrize("command", [["query", "x"], ["serve"], ["reindex", "SOURCE"]])
def test_the_cli_refuses_with_the_message(other_format, runner, tmp_path, command):
    command = [tmp_path / "src" if arg == "SOURCE" else arg for arg in command]
    (tmp_path / "src").mkdir()
    result = runner.invoke(newsearch.cli, [*map(str, command), "--index", str(other_format)])
    assert result.exit_code == 1 and REBUILD in result.output


def test_a_full_reindex_replaces_an_incompatible_index(other_format, runner, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.jsonl").write_text(json.dumps({"id": "x", "title": "Fresh", "body": "New."}) + "\n")
    result = runner.invoke(newsearch.cli, ["reindex", str(tmp_path / "src"), "--index", str(other_format),
                                           "--full", "--workers", "0"])
    assert result.exit_code == 0, result.output
    _, ix = open_current(other_format)
    assert ix.doc_count() == 1
    ix.close()
