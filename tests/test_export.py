"""Exports of the whole result set: /api/search.csv and .jsonl, and `newsearch query --format`."""

import csv
import gzip
import io
import itertools
import json
from pathlib import Path

import pytest

import newsearch
import search
from index import reindex
from search import export
from search.engine import match

pytestmark = pytest.mark.cost(10)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
REUTERS = CORPORA / "reuters21578" / "articles.jsonl.gz"

HEADER = "id,title,date,year,figures,url,source,snippet"


def jsonl(response):
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_csv_exports_every_article_newest_first(client):
    response = client.get("/api/search.csv?sort=newest")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=newsearch-export.csv"
    assert response.get_data(as_text=True).split("\r\n") == [
        HEADER,
        "a4,Echo year only,,2021,,,articles,Echo india juliet.",
        "a2,Charlie report,2020-03-02,2020,Igor Rudeni,,articles,"
        "Charlie echo foxtrot. The new upstream release was discussed by Igor Rudeni.",
        "a1,Alfa bravo summit,2020-01-30,2020,Valentina Matvienko; Igor Rudeni,,articles,"
        "Alfa bravo charlie delta. Valentina Matvienko opened the summit in Moscow.",
        "a3,Delta news,2019-07-14,2019,Valentina Matvienko,https://example.org/delta,articles,"
        "Delta golf hotel; new ideas came up. An upstream patch and a release followed.",
        "a5,Undated kilo,,,Grigory Rapota,javascript:alert(1),articles,"
        "Kilo lima <script>alert(1)</script> mike & november.",
        "",
    ]


def test_jsonl_rows_are_plain_text_hits(client):
    response = client.get("/api/search.jsonl?q=kilo")
    assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert jsonl(response) == [
        {"id": "a5", "title": "Undated kilo", "date": None, "year": None,
         "figures": ["Grigory Rapota"], "url": "javascript:alert(1)", "source": "articles",
         "snippet": "Kilo lima <script>alert(1)</script> mike & november."},
    ]


def test_export_takes_the_search_filters_and_order(client):
    rows = jsonl(client.get("/api/search.jsonl?figure=Valentina+Matvienko&sort=oldest"))
    assert [row["id"] for row in rows] == ["a3", "a1"]


def test_export_ignores_paging(client):
    assert len(jsonl(client.get("/api/search.jsonl?per_page=1&page=3"))) == 5


def test_export_of_nothing_is_a_header(client):
    assert client.get("/api/search.csv?q=zulu").get_data(as_text=True) == HEADER + "\r\n"


@pytest.mark.parametrize("url,code", [
    ("/api/search.csv?q=title:(foo+AND&syntax=strict", "bad_query"),
    ("/api/search.jsonl?sort=random", "bad_parameter"),
    ("/api/search.jsonl?from=2020-02-30", "bad_parameter"),
])
def test_export_errors_have_the_api_error_shape(client, url, code):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json["ok"] is False and response.json["error"]["code"] == code


@pytest.mark.parametrize("q,sort", [("", "newest"), ("", "oldest"),
                                    ("upstream OR charlie OR echo", "relevance")])
def test_chunked_export_keeps_the_page_order(service, q, sort):
    req = search.SearchRequest(q=q, sort=sort, per_page=100)
    page_ids = [hit["id"] for hit in search.search(service, req).hits]
    searcher = service.searcher()
    for chunk in (1, 2, 500):
        rows = export.rows(searcher, match(searcher, req), chunk=chunk)
        assert [row["id"] for row in rows] == page_ids


def test_plain_text_removes_marks_and_entities():
    assert export.plain_text("a <mark>b</mark> &lt;i&gt; &amp; &quot;c&quot;") == 'a b <i> & "c"'


def test_csv_cells_never_start_a_formula():
    row = {"id": "x", "title": "=HYPERLINK(\"http://evil\")", "date": None, "year": None,
           "figures": ["A", "B"], "url": None, "source": "s", "snippet": "+1 -2"}
    lines = list(export.csv_lines([row]))
    assert next(csv.reader(io.StringIO(lines[1]))) == [
        "x", "'=HYPERLINK(\"http://evil\")", "", "", "A; B", "", "s", "'+1 -2"]


def test_cli_query_exports_every_hit(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "charlie", "--index", str(index_dir),
                                           "--format", "jsonl", "--per-page", "1"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == ["a2", "a1"]


def test_cli_query_exports_csv(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "--figure", "Igor Rudeni", "--sort", "oldest",
                                           "--index", str(index_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(row["id"], row["figures"]) for row in rows] == [
        ("a1", "Valentina Matvienko; Igor Rudeni"), ("a2", "Igor Rudeni")]


def test_cli_query_export_of_a_bad_query_fails(runner, index_dir):
    result = runner.invoke(newsearch.cli, ["query", "title:(", "--strict", "--index", str(index_dir),
                                           "--format", "csv"])
    assert result.exit_code == 1 and result.output.startswith("Error: ")


#: Reuters-21578 stories indexed for the export tests: enough for three export chunks (500, 1,000,
#: then the rest: over 1,500 articles) and figures with over ten articles (the whole corpus took 40 s
#: to index, and tested no more; 2,500 stories took 9.6 CPU-s).
REUTERS_STORIES = 1600


@pytest.fixture(scope="session")
def reuters_index(tmp_path_factory):
    """An index of the first :data:`REUTERS_STORIES` Reuters stories, and its reindex report."""
    if not REUTERS.exists():
        pytest.skip(f"Reuters-21578 corpus absent: {REUTERS}")
    folder = tmp_path_factory.mktemp("reuters")
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        (folder / "reuters.jsonl").write_text("".join(itertools.islice(lines, REUTERS_STORIES)))
    report = reindex([folder / "reuters.jsonl"], folder / "ix", workers=0)
    return folder / "ix", report


@pytest.mark.corpora
@pytest.mark.slow
def test_reuters_exports_every_article(reuters_index, runner):
    index_dir, report = reuters_index
    result = runner.invoke(newsearch.cli, ["query", "--index", str(index_dir), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert report.documents + len(report.skipped) == REUTERS_STORIES
    assert report.documents > export.CHUNK * 3, "the export must take three chunks"
    assert len(lines) == report.documents > REUTERS_STORIES * 0.99  # stories with neither title nor body are skipped
    assert len({json.loads(line)["id"] for line in lines}) == report.documents


@pytest.mark.corpora
@pytest.mark.slow
def test_reuters_figure_page_feed_and_co_mentions(reuters_index):
    from test_feeds import atom_problems
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(reuters_index[0])}).test_client()
    top = client.get("/api/search?per_page=1").json["facets"]["figures"][0]
    body = client.get(f"/api/figures/{top['value']}").json
    assert body["articles"] == top["count"]
    assert sum(m["count"] for m in body["per_month"]) + body["undated"] == top["count"]
    assert "1987-02-26" <= body["first"] <= body["last"] <= "1987-10-20"
    assert len(body["recent"]) == 10 and body["recent"][0]["date"] == body["last"]
    assert body["co_mentions"][0]["count"] >= body["co_mentions"][-1]["count"] > 0
    assert client.get(f"/figures/{top['value']}").status_code == 200
    feed = client.get(f"/feed?q=oil&figure={top['value']}")
    assert atom_problems(feed.data) == []
    co = client.get(f"/api/search?q=oil&figure={top['value']}").json["co_mentions"]
    assert [c["figure"] for c in co] == [top["value"]]
