"""The architecture's one-way data flow, checked: files → index/ → search/ → web/."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports(package):
    for path in (ROOT / package).rglob("*.py"):
        for line in path.read_text().splitlines():
            match = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
            if match:
                yield path.relative_to(ROOT), match[1].split(".")[0]


@pytest.mark.parametrize("package", ["index", "search"])
def test_read_and_write_sides_never_import_flask(package):
    assert [(p, m) for p, m in imports(package) if m in ("flask", "werkzeug", "web")] == []


def test_index_never_imports_the_read_side():
    assert [(p, m) for p, m in imports("index") if m == "search"] == []


def test_web_makes_no_whoosh_calls():
    assert [(p, m) for p, m in imports("web") if m == "whoosh"] == []


@pytest.mark.parametrize("package", ["index", "search", "web"])
def test_no_package_imports_the_cli(package):
    assert [(p, m) for p, m in imports(package) if m == "newsearch"] == []


def test_only_index_declares_fields():
    offenders = [p for pkg in ("search", "web") for p in (ROOT / pkg).rglob("*.py")
                 if re.search(r"\bwhoosh\.fields\b|SchemaClass|\bTEXT\(", p.read_text())]
    assert offenders == []


#: All the read side may load of the index package: the schema (and its analyzers, with each language's
#: rules), the index
#: folder's layout, the door to Whoosh's internals, the posting arrays' codec and the text rules both
#: sides apply (stored text of an older index is repaired on the way out). Never extraction, lexicons
#: or the reindex.
READ_SIDE_INDEX_MODULES = {"index", "index.schema", "index.analysis", "index.languages", "index.store",
                           "index.whoosh_compat", "index.whoosh_compat.reading", "index.whoosh_compat.files",
                           "index.posting_arrays", "index.hygiene"}
SERVE_A_FEW_REQUESTS = """
import sys
def loaded():
    return sorted(m for m in sys.modules if m == "index" or m.startswith("index."))
import search
print(*loaded())
import web
app = web.create_app({"TESTING": True, "INDEX_DIR": sys.argv[1]})
client = app.test_client()
for path in ("/api/search?q=charlie", "/?q=alfa&figure=Igor+Rudeni", "/api/articles/a1",
             "/api/suggest?q=rud", "/api/figures/Igor%20Rudeni", "/api/search.csv", "/feed"):
    assert client.get(path).status_code == 200, path
print(*loaded())
"""


def test_the_read_side_loads_no_write_side_module(index_dir):
    """``import search``, ``import web`` and serving requests load only the index modules it may."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", SERVE_A_FEW_REQUESTS, str(index_dir)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after_import, after_requests = (set(line.split()) for line in done.stdout.splitlines())
    assert after_import <= after_requests <= READ_SIDE_INDEX_MODULES
