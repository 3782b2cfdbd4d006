import json
from pathlib import Path

import pytest

import newsearch

SAMPLE = Path(__file__).resolve().parents[1] / "sample"


@pytest.mark.parametrize("command", newsearch.cli.commands.values(), ids=lambda c: c.name)
def test_commands_have_help_with_example(command):
    assert command.help and "Example:" in command.help


def test_reindex_then_nothing_to_do(runner, tmp_path):
    result = runner.invoke(newsearch.cli, ["reindex", str(SAMPLE), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "Full reindex done" in result.output and "2 added" in result.output
    again = runner.invoke(newsearch.cli, ["reindex", str(SAMPLE), "--index", str(tmp_path / "ix")])
    assert again.exit_code == 0
    assert again.output.startswith("Nothing to do: the index is up to date (2 articles")


def test_reindex_missing_source_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(newsearch.cli, ["reindex", str(tmp_path / "nope"), "--index", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error: No such file or folder" in result.output


def test_reindex_reports_skipped_files(runner, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text("A headline for the test\n\nSome body text about a harbour.\n")
    (pages / "empty.txt").write_text("")
    (pages / "binary.html").write_bytes(b"\x00\x01\x02garbage" * 100)
    (pages / "bad.jsonl").write_text('{"id": "j1", "title": "Fine", "body": "ok"}\nnot json\n')
    result = runner.invoke(newsearch.cli, ["reindex", str(pages), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output and "3 skipped" in result.output
    assert "empty.txt: empty file" in result.output
    assert "binary.html: binary content" in result.output
    assert "bad.jsonl:2: not valid JSON" in result.output


def test_extract_prints_json_lines(runner):
    result = runner.invoke(newsearch.cli, ["extract", str(SAMPLE)])
    assert result.exit_code == 0
    articles = [json.loads(line) for line in result.output.splitlines()]
    assert [a["id"] for a in articles] == ["sample/000_4e6a0e2e2de44bf4.txt",
                                           "sample/002_7824e3bba50f0235.txt"]
    assert set(articles[0]) == {"id", "title", "body", "date", "year", "date_precision", "figures",
                                "source", "url"}
    assert articles[1]["title"].startswith("The final stage of the installation")


def test_query_prints_hits(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "charlie", "--index", str(index_dir),
                                           "--figure", "Valentina Matvienko"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("1 articles")
    assert "Alfa bravo summit" in result.output


def test_query_json(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "", "--index", str(index_dir), "--json",
                                           "--from", "2020-01-01"])
    assert json.loads(result.output)["total"] == 3


def test_query_bad_input_exits_nonzero(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "(", "--index", str(index_dir)])
    assert result.exit_code == 1 and "never closed" in result.output
    result = runner.invoke(newsearch.cli, ["query", "x", "--index", str(index_dir), "--from", "2020"])
    assert result.exit_code == 1 and "from:" in result.output


def test_serve_without_index_says_what_to_do(runner, tmp_path):
    result = runner.invoke(newsearch.cli, ["serve", "--index", str(tmp_path)])
    assert result.exit_code == 1 and "newsearch reindex" in result.output


def test_a_rerun_says_what_it_looked_at(runner, tmp_path):
    """Issue 15 (16): not "330 files unchanged, 0 articles unchanged"."""
    ix = str(tmp_path / "ix")
    runner.invoke(newsearch.cli, ["reindex", str(SAMPLE), "--index", ix])
    again = runner.invoke(newsearch.cli, ["reindex", str(SAMPLE), "--index", ix])
    assert again.output.splitlines()[0] == (
        "Nothing to do: the index is up to date (2 articles; 2 files unchanged since the last run, not read).")


def test_query_filters_by_source_month_and_day(runner, index_dir):
    def ids(*options):
        result = runner.invoke(newsearch.cli, ["query", "", "--index", str(index_dir), "--json", *options])
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.output)["hits"]]

    assert ids("--month", "2020-03") == ["a2"]
    assert ids("--day", "2020-01-30", "--day", "2019-07-14") == ["a1", "a3"]
    assert ids("--source", "articles", "--year", "undated") == ["a5"]
    assert ids("--source", "elsewhere") == []


def test_every_query_filter_is_a_search_parameter():
    from search.request import PARAMS

    assert {param for _, param, _ in newsearch.QUERY_FILTERS} <= set(PARAMS)
    names = {p.name for p in newsearch.query.params}
    assert {param for _, param, _ in newsearch.QUERY_FILTERS} <= names
