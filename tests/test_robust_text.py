"""Text that breaks outputs: lone surrogates, control characters, non-text names, huge fields, ids
that break links. Repaired before they reach the index (:mod:`index.hygiene`), and made safe again on
the way out for an index written before that (:mod:`search.hits`): every output path answers.
"""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest

from index import reindex
from index.hygiene import MAX_FIGURES
from index.hygiene import MAX_TITLE
from index.hygiene import UnusableId
from index.hygiene import checked_id
from index.hygiene import clean_names
from index.hygiene import link_safe_id
from index.hygiene import repair_text
from literal import index_folder
from web import create_app

BROKEN = "Broken emoji \ud83d here"


@pytest.mark.parametrize(("raw", "repaired"), [
    (BROKEN, "Broken emoji \ufffd here"),
    ("pair \ud83d\ude00 kept", "pair \U0001f600 kept"),
    ("bell\x07 esc\x1b[31m nul\x00 del\x7f c1\x85 nonchar\uffff", "bell esc[31m nul del c1 nonchar"),
    ("windows\r\nold mac\rtab\tkept\n", "windows\nold mac\ntab\tkept\n"),
    ("page one\x0cpage two\x0bthree", "page one\npage two\nthree"),
])
def test_repair_text(raw, repaired):
    assert repair_text(raw) == repaired


def test_clean_text_is_returned_as_is():
    text = "Plain text, ünïcödé, 😀.\n\nSecond paragraph."
    assert repair_text(text) is text


@pytest.mark.parametrize(("raw", "stored"), [
    ("a/../b", "b"), ("../../x", "x"), ("./c", "c"), ("a/./d", "a/d"), ("/lead/ing", "lead/ing"),
    ("line\nbreak", "line break"), ("tab\tand  spaces ", "tab and spaces"), ("e\ud83d", "e\ufffd"),
    ("a?b#c", "a?b#c"), ("https://example.org/x?y=1#z", "https://example.org/x?y=1#z"),
    ("100%25", "100%25"), ("dots.in.name/..hidden", "dots.in.name/..hidden"),
])
def test_link_safe_ids(raw, stored):
    assert link_safe_id(raw) == stored
    assert link_safe_id(stored) == stored  # idempotent: a stored id is stored as is


@pytest.mark.parametrize(("raw", "reason"), [
    (".", "no usable 'id'"), ("a/..", "no usable 'id'"), ("\x00\x01", "no usable 'id'"),
    ("x" * 1001, "id longer than 1,000 characters"),
])
def test_unusable_ids_say_why(raw, reason):
    with pytest.raises(UnusableId, match=re.escape(reason)):
        checked_id(raw)


def test_changed_ids_are_noted():
    assert checked_id("a/../b") == ("b", ("id 'a/../b' stored as 'b'",))
    assert checked_id("plain/id") == ("plain/id", ())


def test_only_strings_are_names():
    notes = []
    names = clean_names([None, 1, {"a": 1}, ["x"], " Ann \n Lee ", "", "y" * 201, "Bob\x07"], notes)
    assert names == ["Ann Lee", "Bob"]
    assert notes == ["4 figure value(s) that are not text dropped",
                     "1 figure name(s) longer than 200 characters dropped"]


# Reindexing hostile records ------------------------------------------------------------------------

HOSTILE = [
    {"id": "surrogates", "title": BROKEN, "body": "Oil rose \ud800 today. Lone \udfff end.",
     "figures": ["Ann \udc00Lee"], "source": "wire\ud83d", "url": "https://example.org/\ud83d"},
    {"id": "controls", "title": "Oil\x00 bell\x07 title", "body": "Oil body\x1b[2J with escapes.",
     "figures": [None, 1, {"a": 1}, "Real Name"]},
    {"id": "../escape", "title": "Oil dot segments", "body": "oil"},
    {"id": "a/../b", "title": "Oil resolved", "body": "oil"},
    {"id": "q?and#hash", "title": "Oil query marks", "body": "oil"},
    {"id": "https://example.org/story?id=5#top", "title": "Oil url id", "body": "oil"},
    {"id": "new\nline", "title": "Oil newline id", "body": "oil"},
    {"id": "/leading", "title": "Oil leading slash", "body": "oil"},
    {"id": "100%2F", "title": "Oil percent", "body": "oil"},
    {"id": "huge", "title": "Oil " + "t" * 1_000_000, "body": "oil",
     "figures": [f"Person {n}" for n in range(5000)]},
    {"id": ".", "title": "Oil nothing left", "body": "oil"},
]
STORED_IDS = {"surrogates", "controls", "escape", "b", "q?and#hash", "https://example.org/story?id=5#top",
              "new line", "leading", "100%2F", "huge"}


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile-src")
    (src / "hostile.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")  # json escapes the surrogates
    index_dir = tmp_path_factory.mktemp("hostile") / "ix"
    report = reindex([src], index_dir, workers=0)
    return index_dir, report


def test_hostile_records_are_repaired_and_reported(hostile_index):
    _, report = hostile_index
    assert report.added == len(STORED_IDS)
    assert [(s.where.rsplit("/", 1)[-1], s.reason) for s in report.skipped] == [
        ("hostile.jsonl:11", "no usable 'id' (nothing is left of it in a link)")]
    repairs = {(r.where, r.reason) for r in report.repaired}
    assert ("controls", "3 figure value(s) that are not text dropped") in repairs
    assert ("huge", f"title of 1,000,004 characters cut to {MAX_TITLE:,}") in repairs
    assert ("huge", f"5,000 figures cut to {MAX_FIGURES}") in repairs
    assert ("b", "id 'a/../b' stored as 'b'") in repairs
    assert ("new line", "id 'new\\nline' stored as 'new line'") in repairs


def test_repaired_articles_are_stored_clean(hostile_index):
    import search

    service = search.SearchService(hostile_index[0])
    try:
        got = search.get_article(service, "surrogates")
        assert got["title"] == "Broken emoji \ufffd here"
        assert got["figures"] == ["Ann \ufffdLee"] and got["source"] == "wire\ufffd"
        assert search.get_article(service, "controls")["figures"] == ["Real Name"]
        huge = search.get_article(service, "huge")
        assert len(huge["title"]) == MAX_TITLE and len(huge["figures"]) == MAX_FIGURES
    finally:
        service.close()


# Every output path, for a repaired index and for one written before the repair -------------------

#: Records written straight into an index, as a version without the repair step stored them (ids
#: and figures could not hold surrogates then either: Whoosh cannot encode such a term).
OLD_RECORDS = [
    {"id": "old-1", "title": BROKEN, "date": "2020-01-02", "body": "Oil rose \ud800 today.\x07",
     "figures": ["Ann Lee\x1b[31m"], "url": "https://example.org/\udfff"},
    {"id": "old\x01ctl", "title": "Oil\x00 title \ud83d", "date": "2020-01-03", "body": "oil \udc80\x0b"},
    {"id": "old-3", "title": "=HYPERLINK(\"http://x\")", "source": "@source", "date": "2020-01-04",
     "body": "oil -minus", "figures": ["=cmd|' /C calc'!A0", "+plus"]},
]


@pytest.fixture(scope="module", params=["repaired", "old"])
def any_index(request, tmp_path_factory):
    if request.param == "repaired":
        return request.getfixturevalue("hostile_index")[0]
    return index_folder(tmp_path_factory.mktemp("old-index"), OLD_RECORDS)


@pytest.fixture(scope="module")
def outputs(any_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(any_index)}).test_client()


def _ok(response):
    assert response.status_code == 200, (response.request.path, response.get_data()[:300])
    return response


def _article_links(html: str) -> list:
    """The article links of a page, as a browser would request them (dot segments resolved)."""
    hrefs = re.findall(r'href="(/articles/[^"]*)"', html)
    return [urlsplit(urljoin("http://host/", href.replace("&amp;", "&"))).path for href in hrefs]


def test_search_page_and_every_article_page_answer(outputs):
    page = _ok(outputs.get("/?q=oil&per_page=100")).get_data(as_text=True)
    links = _article_links(page)
    assert len(links) >= 3
    for link in links:
        assert _ok(outputs.get(link)).mimetype == "text/html"
        _ok(outputs.get("/api" + link))


def test_search_api_and_figure_profiles_answer(outputs):
    body = json.loads(_ok(outputs.get("/api/search?q=oil&per_page=100")).get_data())
    assert body["total"] >= 3
    for hit in body["hits"]:
        assert not re.search("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]", json.dumps(hit, ensure_ascii=False))


def test_exports_stream_every_row(outputs):
    total = json.loads(_ok(outputs.get("/api/search?q=oil&per_page=1")).get_data())["total"]
    rows = list(csv.reader(io.StringIO(_ok(outputs.get("/api/search.csv?q=oil")).get_data(as_text=True))))
    assert len(rows) == total + 1
    lines = _ok(outputs.get("/api/search.jsonl?q=oil")).get_data(as_text=True).splitlines()
    assert len(lines) == total and all(json.loads(line)["id"] for line in lines)


def test_feed_is_xml_and_its_entry_ids_are_reachable(outputs):
    feed = _ok(outputs.get("/feed?q=oil")).get_data()
    assert b"&#55" not in feed and b"&#56" not in feed
    root = ET.fromstring(feed)
    ids = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}id")][1:]
    assert ids
    for entry_id in ids:
        _ok(outputs.get(urlsplit(urljoin("http://host/", entry_id)).path))


def test_every_repaired_id_is_reachable_at_its_links(hostile_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(hostile_index[0])}).test_client()
    page = _ok(client.get("/?q=oil&per_page=100")).get_data(as_text=True)
    reached = {json.loads(_ok(client.get("/api" + link)).get_data())["article"]["id"]
               for link in _article_links(page)}
    assert reached == STORED_IDS
    assert {unquote(link.removeprefix("/articles/")) for link in _article_links(page)} == STORED_IDS


def test_csv_neutralises_every_cell():
    from search.export import COLUMNS
    from search.export import csv_lines

    row = {name: f"=cell {name}" for name in COLUMNS}
    row["figures"], row["year"] = ["-first", "@second"], 2020
    written = next(csv.DictReader(io.StringIO("".join(csv_lines([row])))))
    for name in COLUMNS:
        assert not written[name].startswith(("=", "+", "-", "@")), (name, written[name])
    assert written["figures"] == "'-first; @second"


def test_old_index_csv_cells_never_start_a_formula(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_folder(tmp_path, OLD_RECORDS))}).test_client()
    rows = list(csv.DictReader(io.StringIO(_ok(client.get("/api/search.csv?q=oil")).get_data(as_text=True))))
    old3 = next(row for row in rows if row["id"] == "old-3")
    assert old3["figures"].startswith("'") and old3["source"] == "'@source" and old3["title"].startswith("'=")


@pytest.mark.parametrize("args", [["oil"], ["oil", "--json"], ["oil", "--format", "csv"],
                                  ["oil", "--format", "jsonl"]], ids=["plain", "json", "csv", "jsonl"])
def test_cli_prints_an_old_index(runner, tmp_path, args):
    from newsearch import cli

    index_dir = index_folder(tmp_path, OLD_RECORDS)
    result = runner.invoke(cli, ["query", *args, "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output, "stored text must not reach the terminal as escape sequences"
    if args == ["oil"]:
        assert "\x01" not in result.output  # ids too (exports keep them as stored: they are keys)
    assert "Broken emoji \ufffd here" in result.output or "Broken emoji \\ufffd here" in result.output


def test_cli_extract_prints_repaired_articles(runner, tmp_path):
    from newsearch import cli

    (tmp_path / "a.jsonl").write_text(json.dumps(HOSTILE[0]) + "\n")
    result = runner.invoke(cli, ["extract", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["title"] == "Broken emoji \ufffd here"
