"""index/whoosh_compat.py: the one door to Whoosh's internals, its version guard, its speed fix."""

import ast
import functools
import re
from pathlib import Path

import pytest
import whoosh
from whoosh.codec import whoosh3

from index import whoosh_compat
from literal import ARTICLES
from literal import ram_index

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "index" / "whoosh_compat.py"
#: Our code, whose Python files may use Whoosh only through its public names.
TREE = ["index", "search", "web", "bench", "tests", "newsearch.py"]


@functools.lru_cache(maxsize=1)
def whoosh_private_names() -> frozenset:
    """Every ``_name`` in Whoosh's sources (functions, classes, attributes, parameters, locals)."""
    names = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"\b(_[A-Za-z]\w*)", path.read_text(encoding="utf-8")))
    return frozenset(n for n in names if not n.startswith("__"))


def private_uses(path: Path):
    """``(line, name)`` for each private Whoosh name ``path`` uses on an object other than its own
    (``self.``/``cls.``), as a keyword argument, or in an import from whoosh."""
    private = whoosh_private_names()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                yield node.lineno, node.attr
        elif isinstance(node, ast.keyword) and node.arg in private:
            yield node.lineno, node.arg
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            yield from ((node.lineno, a.name) for a in node.names if a.name in private)


def python_files():
    for name in TREE:
        path = ROOT / name
        yield from ([path] if path.suffix == ".py" else sorted(path.rglob("*.py")))


def test_private_whoosh_names_are_used_only_in_the_compat_module():
    found = {f"{path.relative_to(ROOT)}:{line}": name for path in python_files() if path != COMPAT
             for line, name in private_uses(path)}
    assert found == {}


def test_the_compat_module_is_where_they_are():
    """The scan above finds what it looks for: the compat module itself is full of them."""
    assert {"_postfile", "_merge_segments", "_commit_toc", "_tempstorage", "_lk", "_lenfield"} <= \
        {name for _, name in private_uses(COMPAT)}


def test_nothing_is_grafted_onto_whoosh_objects():
    """No attribute of ours stored on Whoosh's objects (``reader._newsearch_live``, ``reader.__dict__``)."""
    offenders = [f"{path.relative_to(ROOT)}" for path in python_files()
                 if path.name != Path(__file__).name
                 and ("_newsearch" in path.read_text() or ".__dict__" in path.read_text())]
    assert offenders == []


def test_another_whoosh_version_is_refused_with_a_clear_message():
    whoosh_compat.check_version(whoosh_compat.SUPPORTED_VERSION)
    with pytest.raises(whoosh_compat.UnsupportedWhoosh, match=r"found Whoosh 2\.7\.4, newsearch needs 2\.7\.5 "
                                                                 r"\(pip install whoosh-reloaded==2\.7\.5"):
        whoosh_compat.check_version((2, 7, 4))


def test_lengths_read_once_equal_whoosh_lengths():
    ix = ram_index(ARTICLES + [{"id": "empty-body", "title": "Only a title", "body": ""}])
    with ix.reader() as reader:
        segment = reader.segment()
        for field in ("title", "body", "figure_words", "id", "dup_bands"):
            patched = whoosh_compat.LengthsReadOnce(ix.storage, segment)
            for docnum in range(reader.doc_count_all()):
                original = whoosh3.W3PerDocReader(ix.storage, segment).doc_field_length(docnum, field)
                assert patched.doc_field_length(docnum, field) == (original or 0), (field, docnum)


@pytest.mark.slow
def test_patches_are_applied_explicitly_not_on_import():
    import subprocess
    import sys

    code = ("import web, index.build\nfrom whoosh.codec import whoosh3\nfrom index import whoosh_compat\n"
            "assert whoosh3.W3Codec.per_document_reader is not whoosh_compat._per_document_reader\n"
            "import search\nsearch.SearchService('nowhere')\n"
            "assert whoosh3.W3Codec.per_document_reader is whoosh_compat._per_document_reader\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def spilled_pool(pool_class, tmp_path, items, limit_items):
    """A posting pool of ``pool_class`` over a file store, spilled to a run every ``limit_items``."""
    from whoosh.filedb.filestore import FileStorage

    store = FileStorage(str(tmp_path)).create()
    pool = pool_class(store, segment=None, limitmb=1)
    pool.limit = limit_items * 200  # an item counts ~170 bytes here: a run every few items
    for item in items:
        pool.add(item)
    return pool


POSTINGS = [("body", f"w{n % 37:02d}".encode(), n, float(n % 5), bytes([n % 7]) if n % 3 else None)
            for n in range(5000)] + [("title", "ümlaut".encode(), 3, 1.0, b"\x00\x01"), ("id", b"x", 0, 0.0, None)]


def test_compact_runs_give_the_postings_whoosh_runs_give(tmp_path):
    """Chunked, compressed runs: the same postings in the same order as Whoosh's one-per-call runs,
    over several runs and chunks, and the run files are gone once read."""
    plain_pool = whoosh_compat.CompactPostingPool.__mro__[1]  # Whoosh's, even once patched in
    whoosh_compat.RUN_CHUNK, chunk = 100, whoosh_compat.RUN_CHUNK
    try:
        plain = spilled_pool(plain_pool, tmp_path / "plain", POSTINGS, 700)
        compact = spilled_pool(whoosh_compat.CompactPostingPool, tmp_path / "compact", POSTINGS, 700)
        assert len(compact.runs) >= 5
        run_bytes = sum(p.stat().st_size for p in (tmp_path / "compact").iterdir())
        plain_bytes = sum(p.stat().st_size for p in (tmp_path / "plain").iterdir())
        assert run_bytes < plain_bytes / 3
        assert list(compact.items()) == list(plain.items()) == sorted(POSTINGS)
        assert list((tmp_path / "compact").iterdir()) == []
    finally:
        whoosh_compat.RUN_CHUNK = chunk


def test_postings_added_out_of_order_come_out_sorted_as_whoosh_sorts_them(tmp_path):
    """Postings grouped by term come out in Whoosh's order even when a term's documents were not
    added in increasing order (within a run, across runs) or repeat (Whoosh's spelling postings all
    have document 0)."""
    import random

    shuffled = POSTINGS + [("body", b"w03", 0, 1.0, None), ("body", b"w03", 0, 0.5, b"\x01")]
    random.Random(7).shuffle(shuffled)
    grouped = spilled_pool(whoosh_compat.CompactPostingPool, tmp_path / "runs", shuffled, 500)
    assert len(grouped.runs) >= 5
    assert list(grouped.items()) == sorted(shuffled)
    in_memory = spilled_pool(whoosh_compat.CompactPostingPool, tmp_path / "none", shuffled, 10 ** 6)
    assert not in_memory.runs
    assert list(in_memory.items()) == sorted(shuffled)


def test_compact_runs_merged_down_when_too_many_to_open(tmp_path):
    """Past ``maxfiles`` runs, Whoosh merges runs into runs (``reduce_to``): written compact too."""
    compact = spilled_pool(whoosh_compat.CompactPostingPool, tmp_path, POSTINGS, 400)
    assert len(compact.runs) > 4
    assert list(compact.items(maxfiles=3)) == sorted(POSTINGS)


def test_writers_use_compact_runs_once_patched():
    from whoosh import writing

    whoosh_compat.apply_patches()
    assert writing.PostingPool is whoosh_compat.CompactPostingPool
