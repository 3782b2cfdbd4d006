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
