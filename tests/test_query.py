"""The query language as the README's table says, row by row, on the literal articles of conftest;
free text that is not syntax; long queries that relax."""

import re
from pathlib import Path

import pytest

from search import SearchRequest
from search import search
from search.query import BadQuery
from search.query import parse_query

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()

#: What each query of the README's query-language table finds among conftest's ARTICLES.
TABLE = {
    "charlie delta": ["a1"],
    '"upstream release"': ["a2"],
    "charlie OR golf": ["a1", "a2", "a3"],
    "charlie -echo": ["a1"],
    "charlie NOT echo": ["a1"],
    "+charlie +delta": ["a1"],
    "(charlie OR golf) AND delta": ["a1", "a3"],
    "title:delta": ["a3"],
    "body:delta": ["a1", "a3"],
    "figure:matvienko": ["a1", "a3"],
    "figures:matvienko": ["a1", "a3"],
    "upstr*": ["a2", "a3"],
    "up?tream": ["a2", "a3"],
    "rudenii~": ["a1", "a2"],
    "matvienk~2": ["a1", "a3"],
    "charlie^2 delta": ["a1"],
}


def readme_rows() -> list:
    """The example queries of the README's query-language table, one list per row."""
    section = README.split("## The query language", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [re.findall(r"`([^`]+)`", row.split(" | ")[0]) for row in rows]


def ids(service, q, **params) -> list:
    req = SearchRequest.from_params({"q": [q], "per_page": ["100"], **params})
    return sorted(hit["id"] for hit in search(service, req).hits)


def test_every_readme_row_is_tested():
    assert sorted(q for row in readme_rows() for q in row) == sorted(TABLE)


@pytest.mark.parametrize("row", readme_rows(), ids=lambda row: row[0])
def test_readme_row(service, row):
    for q in row:
        assert ids(service, q) == TABLE[q], q


def test_exclusion_excludes(service):
    assert ids(service, "charlie") == ["a1", "a2"]
    assert ids(service, "charlie -echo") == ["a1"]
    assert ids(service, "-echo") == ["a1", "a3", "a5"]


def test_or_binds_tighter_than_and():
    assert str(parse_query("delta charlie OR golf").query).count(" AND ") == 1


def test_plus_is_required_and_minus_excluded_in_clauses():
    roles = [(c.words, c.role) for c in parse_query("+opec oil -gas prices").clauses]
    assert roles == [("opec", "required"), ("oil", "should"), ("gas", "excluded"), ("prices", "should")]


@pytest.mark.parametrize("text,found", [
    ("charlie (delta", ["a1"]), ('charlie "delta', ["a1"]), ("charlie AND", ["a1", "a2"]),
    (") charlie", ["a1", "a2"]), ("charlie -", ["a1", "a2"]), ("OR charlie", ["a1", "a2"]),
])
def test_broken_syntax_is_searched_as_words(service, text, found):
    result = search(service, SearchRequest.from_params({"q": [text]}))
    assert sorted(h["id"] for h in result.hits) == found
    assert "searched as plain words" in result.warnings[0]


@pytest.mark.parametrize("text,message", [
    ("charlie (delta", "'(' at position 9 is never closed"),
    ('charlie "delta', "the quote at position 9 is never closed"),
    ("charlie AND", "AND at position 9 has nothing after it"),
    ("charlie -", "'-' at position 9 has nothing after it"),
])
def test_strict_syntax_keeps_the_error(text, message):
    with pytest.raises(BadQuery, match=re.escape(message)):
        parse_query(text, strict=True)


def test_question_mark_ends_a_word():
    assert "*" not in str(parse_query("what is jute?").query)
    assert "jute" in str(parse_query("what is jute?").query)


def test_punctuation_inside_a_word_splits_it():
    assert [c.words for c in parse_query("heat-transfer").clauses] == ["heat", "transfer"]


def test_keyword_search_that_finds_something_keeps_all_words(service):
    result = search(service, SearchRequest.from_params({"q": ["charlie delta"]}))
    assert result.total == 1 and result.match["rule"] == "all" and result.match["notice"] is None


def test_keyword_search_that_finds_nothing_relaxes(service):
    result = search(service, SearchRequest.from_params({"q": ["charlie delta echo"]}))
    assert result.match == {"rule": "most", "required": 2, "of": 3, "ignored": [],
                            "notice": "No article has all 3 words; showing articles with at least 2"}
    assert sorted(h["id"] for h in result.hits) == ["a1", "a2"]


def test_long_query_relaxes_and_says_so(service):
    q = "which reports describe the upstream release of charlie echo foxtrot golf"
    result = search(service, SearchRequest.from_params({"q": [q]}))
    assert result.match["rule"] == "most"
    assert result.match["ignored"] == ["which", "describe"]
    assert result.match["notice"] in result.warnings
    assert result.match["notice"].startswith("No article has all ")
    assert result.hits[0]["id"] == "a2"  # holds the most of the words
    assert "AT LEAST" in result.interpreted_as
    assert result.total == sum(f["count"] for f in result.facets["source"])


def test_long_paste_is_bounded_and_says_what_was_left_out(service):
    words = " ".join(f"w{n}x" for n in range(60))
    result = search(service, SearchRequest.from_params({"q": ["charlie " + words + " ) ("]}))
    assert any("most specific of 61 words" in w for w in result.warnings)
    assert [h["id"] for h in result.hits][:1] in (["a1"], ["a2"])


def test_exports_and_facets_count_what_the_relaxed_rule_matched(client):
    q = "which reports describe the upstream release of charlie echo foxtrot golf"
    body = client.get("/api/search", query_string={"q": q}).get_json()
    rows = client.get("/api/search.jsonl", query_string={"q": q}).get_data(as_text=True).splitlines()
    assert body["match"]["rule"] == "most"
    assert len(rows) == body["total"] == sum(v["count"] for v in body["facets"]["source"])


def test_syntax_parameter_round_trips():
    req = SearchRequest.from_params({"q": ["x"], "syntax": ["strict"]})
    assert req.to_params()["syntax"] == "strict" and req.echo()["syntax"] == "strict"
    assert "syntax" not in SearchRequest.from_params({"q": ["x"]}).to_params()


def test_pasted_paragraph_with_a_stray_bracket_answers_200_with_a_warning(client):
    text = ("Charlie echo foxtrot (as reported) and the new upstream release) was discussed by Igor "
            "Rudeni; \"golf hotel") * 20
    body = client.get("/api/search", query_string={"q": text}).get_json()
    assert body["ok"] is True and body["total"] >= 1
    assert any("searched as plain words" in w for w in body["warnings"])
    strict = client.get("/api/search", query_string={"q": text, "syntax": "strict"})
    assert strict.status_code == 400 and strict.get_json()["error"]["position"] is not None
