"""Issue 12, items 10 and 13 (fuzzy part), issue 15 item 8: what a query may name, and where errors are.

Only the public fields of the README's syntax table can be searched; any other ``name:`` (the
index's own fields: ``origin:``, ``checksum:``, ``cluster:``, ``day:``, ``id:`` …) is read as words
with a warning, or is a 400 with ``syntax=strict``. A ``~`` not followed by a whole number of edits is
treated the same way. An error's ``position`` is the number its message gives, counted from 1.
"""

import re

import pytest

from search import syntax
from test_query import readme_rows
from web import create_app

#: Names the index stores or indexes for its own use (see index/schema.py), and other non-fields.
NOT_FIELDS = ["origin", "checksum", "cluster", "day", "id", "source", "year", "month", "language",
              "url", "date", "signature", "figure_words", "title_words", "text", "person", "content"]


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


@pytest.mark.parametrize("examples", readme_rows(), ids=lambda row: row[0])
def test_every_example_of_the_syntax_table_is_valid_strict_syntax(client, examples):
    """(What each row finds is tested in ``tests/test_query.py``.)"""
    for q in examples:
        response = client.get("/api/search", query_string={"q": q, "syntax": "strict"})
        assert response.status_code == 200, (q, response.get_json())
        assert not [w for w in response.get_json()["warnings"] if "not a field" in w], q


def test_the_fields_the_table_names_are_the_fields_a_query_may_name():
    named = {name for examples in readme_rows() for q in examples
             for name in re.findall(r"\b([a-z_]+):", q)}
    assert named == set(syntax.FIELD_NAMES)


@pytest.mark.parametrize("name", NOT_FIELDS)
def test_a_name_that_is_not_a_public_field_is_searched_as_words(client, name):
    lenient = client.get("/api/search", query_string={"q": f"{name}:alfa"}).get_json()
    words = client.get("/api/search", query_string={"q": f"{name} alfa"}).get_json()
    assert lenient["total"] == words["total"]
    assert f"'{name}:' at position 1 is not a field (fields: title, body, figure); searched as words" \
        in lenient["warnings"]
    strict = client.get("/api/search", query_string={"q": f"alfa {name}:alfa", "syntax": "strict"})
    assert strict.status_code == 400
    error = strict.get_json()["error"]
    assert error["code"] == "bad_query" and error["position"] == 6
    assert error["message"] == f"'{name}:' at position 6 is not a field (fields: title, body, figure)"


def test_the_server_s_own_fields_cannot_be_probed(client):
    """``origin:`` held the file each article came from: a prefix of it must not match anything."""
    for q in ("origin:/*", "origin:/tmp*", "origin:*", "checksum:*", "cluster:a1", "id:a1"):
        body = client.get("/api/search", query_string={"q": q}).get_json()
        assert body["total"] == 0, (q, body["total"])


@pytest.mark.parametrize("q, bad", [("alfa~-1", "~-1"), ("alfa~1.5", "~1.5"), ("alfa~x", "~x"),
                                    ("alfa~2~", "~2~")])
def test_a_tilde_without_a_whole_number_of_edits(client, q, bad):
    lenient = client.get("/api/search", query_string={"q": q}).get_json()
    plain = client.get("/api/search", query_string={"q": "alfa"}).get_json()
    assert lenient["total"] == plain["total"] and lenient["fuzzy"] == []
    assert f"'{bad}' at position 5 is not a number of edits (write ~1 or ~2); searched as 'alfa' " \
           "without near spellings" in lenient["warnings"]
    error = client.get("/api/search", query_string={"q": q, "syntax": "strict"}).get_json()["error"]
    assert error["message"] == f"'{bad}' at position 5 is not a number of edits (write ~1 or ~2)"
    assert error["position"] == 5


@pytest.mark.parametrize("q, char", [("title:(foo AND", "("), ('alfa "bravo', '"'), ("alfa )", ")"),
                                     ("alfa AND", "A"), ("OR alfa", "O"), ("alfa -", "-"),
                                     ("alfa~3", "~"), ("  alfa  id:x", "i")])
def test_an_error_position_is_the_one_its_message_gives_counted_from_1(client, q, char):
    error = client.get("/api/search", query_string={"q": q, "syntax": "strict"}).get_json()["error"]
    said = int(re.search(r"position (\d+)", error["message"])[1])
    assert error["position"] == said
    assert q.strip()[said - 1] == char, (q, said)


def test_the_error_page_marks_the_character_the_position_names(client):
    page = client.get("/", query_string={"q": "alfa )", "syntax": "strict"}).get_data(as_text=True)
    assert re.search(r"alfa <mark[^>]*>\)</mark>", page), page[:2000]


@pytest.mark.parametrize("q", ["~y\u009a", "-~x", "+~1.5", "title:~x", "id:~-1", "~", "-id:", "id:~"])
def test_a_tilde_or_a_name_with_nothing_before_or_after_is_never_a_500(client, q):
    """Found by bench/fuzz.py: ``~y`` (a ``~`` with no word before it) made the lexer fail."""
    for mode in ("lenient", "strict"):
        response = client.get("/api/search", query_string={"q": q, "syntax": mode})
        assert response.status_code in ((200,) if mode == "lenient" else (200, 400)), (q, mode)
