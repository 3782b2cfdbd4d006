"""Issue 12, item 2: every endpoint reads a query the same way.

``/api/search``, the CSV and JSON Lines exports, the feed, the figure facet search, article
highlighting and the pages parse the same text with the same rules (``syntax=strict`` honoured), hit
the same limits with the same error, and count the same matches.
"""

import json
import urllib.parse

import pytest

from literal import ARTICLES
from literal import index_folder
from web import create_app

#: Every endpoint that reads ``q``; the JSON ones answer errors in the JSON shape.
JSON_PATHS = ["/api/search", "/api/search.csv", "/api/search.jsonl", "/feed", "/api/facets/figures",
              "/api/articles/a1"]
PAGES = ["/", "/articles/a1"]
WORDS = [f"w{n:04d}" for n in range(300)]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    wide = [{"id": f"wide-{i}", "title": "Wide vocabulary", "date": "2020-02-01",
             "body": " ".join(WORDS[i::10]), "figures": ["Igor Rudeni"]} for i in range(10)]
    folder = index_folder(tmp_path_factory.mktemp("pipeline") / "ix", ARTICLES + wide)
    return create_app({"TESTING": True, "INDEX_DIR": str(folder)}).test_client()


def answers(client, params: dict) -> dict:
    """``{path: (status, error code and message or None)}`` for every endpoint."""
    query = urllib.parse.urlencode(params)
    found = {}
    for path in JSON_PATHS + PAGES:
        response = client.get(f"{path}?{query}")
        response.get_data()  # a stream read to its end
        error = None
        if response.status_code != 200 and path in JSON_PATHS:
            body = response.get_json()
            error = (body["error"]["code"], body["error"]["message"], body["error"].get("position"))
        found[path] = (response.status_code, error)
    return found


@pytest.mark.parametrize("params, status", [
    ({"q": "title:(alfa", "syntax": "strict"}, 400),
    ({"q": "title:(alfa"}, 200),
    ({"q": "alfa~3"}, 400),
    ({"q": "id:a1", "syntax": "strict"}, 400),
    ({"q": "alfa~1.5", "syntax": "strict"}, 400),
    ({"q": "alfa~1.5"}, 200),
    ({"q": "[a TO z]"}, 200),
    ({"q": "x" * 10_001}, 400),
])
def test_every_endpoint_answers_a_query_alike(client, params, status):
    found = answers(client, params)
    assert {answer[0] for answer in found.values()} == {status}, found
    errors = {answer[1] for path, answer in found.items() if path in JSON_PATHS}
    assert len(errors) == 1, errors


def test_an_expansion_over_the_cap_is_the_same_400_everywhere(client, monkeypatch):
    monkeypatch.setattr("search.matching.MAX_EXPANSION", 20)
    found = answers(client, {"q": "w0*"})
    assert {answer[0] for answer in found.values()} == {400}, found
    codes = {answer[1][:2] for path, answer in found.items() if path in JSON_PATHS}
    assert codes == {("bad_query", "'w0' matches more than 20 different words; make it more specific")}


@pytest.mark.parametrize("q", ["w00*", "w0001~1", "[a TO z]", "alfa OR w01*", "*1"])
def test_every_endpoint_counts_the_same_matches(client, q):
    total = client.get("/api/search", query_string={"q": q, "collapse": "false"}).get_json()["total"]
    facets = client.get("/api/facets/figures", query_string={"q": q}).get_json()
    assert facets["total"] == total and facets["timed_out"] is False
    rows = client.get("/api/search.jsonl", query_string={"q": q}).get_data(as_text=True).splitlines()
    assert len(rows) == total and not any("export_cut" in json.loads(row) for row in rows)
    csv_rows = client.get("/api/search.csv", query_string={"q": q}).get_data(as_text=True).splitlines()
    assert len(csv_rows) == total + 1
    feed = client.get("/feed", query_string={"q": q}).get_data(as_text=True)
    assert feed.count("<entry>") == min(total, 50)


def test_article_highlighting_reads_the_query_as_a_search_does(client):
    """A wildcard marks its expansions in the article as in the hit's snippet; ``syntax`` is honoured."""
    hit = client.get("/api/search", query_string={"q": "w000*", "per_page": 1}).get_json()["hits"][0]
    article = client.get(f"/api/articles/{hit['id']}", query_string={"q": "w000*"}).get_json()["article"]
    assert "<mark>w000" in " ".join(article["paragraphs_html"])
    strict = client.get(f"/api/articles/{hit['id']}", query_string={"q": "w000* (", "syntax": "strict"})
    assert strict.status_code == 400 and strict.get_json()["error"]["position"] == 7
