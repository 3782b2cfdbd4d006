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
