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


@pytest.mark.parametrize("param", ["q", "figure", "year", "month", "day", "source", "from", "to", "sort", "page", "collapse", "cluster", "syntax",
                                   "per_page"])
def test_every_search_parameter_is_documented(param):
    assert f"`{param}`" in README
    assert param in SearchRequest().echo()
