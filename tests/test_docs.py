"""The README documents what exists, and CI runs the README's test command."""

import re
from pathlib import Path

import pytest

import newsearch
from search.request import SearchRequest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def commands():
    return re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", README)


def test_readme_has_exactly_two_fresh_machine_commands():
    assert len(commands()) == 2
    assert "newsearch serve" in commands()[0] and "pytest" in commands()[1]


def test_ci_runs_the_readme_test_command():
    assert commands()[1] in (ROOT / ".ci" / "run").read_text().splitlines()


@pytest.mark.parametrize("command", newsearch.cli.commands)
def test_every_command_is_documented(command):
    assert f"newsearch {command}" in README


@pytest.mark.parametrize("param", ["q", "figure", "year", "month", "day", "source", "from", "to", "sort", "page", "collapse", "cluster",
                                   "per_page"])
def test_every_search_parameter_is_documented(param):
    assert f"`{param}`" in README
    assert param in SearchRequest().echo()


def curl_examples():
    return re.findall(r"curl (?:-OJ )?'http://127\.0\.0\.1:5000(/[^']*)'", README)


def test_the_api_examples_work_on_the_sample_index(tmp_path):
    """Every ``curl`` example of the README answers 200 (and JSON with ``ok`` where it is JSON) on the
    index of the quick start."""
    import index
    from web import create_app

    index.reindex([str(ROOT / "sample")], str(tmp_path / "ix"))
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    examples = curl_examples()
    assert len(examples) >= 8
    for path in examples:
        with client.get(path) as response:
            assert response.status_code == 200, path
            if response.mimetype == "application/json" and "openapi" not in path:
                assert response.get_json()["ok"] is True, path
                hits = response.get_json().get("hits")
                assert hits is None or hits, f"{path} finds nothing on the sample"
