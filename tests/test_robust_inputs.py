"""Bad input files: each is indexed sensibly or skipped with a reason, the run finishes, nothing else is lost.

One folder holds every kind of bad file beside good ones; one ``newsearch reindex`` runs over it.
"""

import gzip
import json
import os

import pytest

import search
from newsearch import cli

pytestmark = [pytest.mark.slow, pytest.mark.cost(7)]

CYRILLIC = "Валентина Матвиенко открыла заседание Совета Федерации в Москве"
LATIN = "Le café de la République a ouvert à Paris, déclare François Hollande"
#: JSON Lines ``date`` values and the date each must give (None: unusable, never invented).
DATES = {
    "d-0001": ("0001-01-01", None), "d-9999": ("9999-12-31", None), "d-2030": ("2030-05-01", None),
    "d-0000": ("0000-00-00", None), "d-neg": ("-5", None), "d-huge": (10**30, None),
    "d-feb30": ("1987-02-30", None), "d-list": ([2020], None), "d-ok": ("2020-01-30", "2020-01-30"),
}
#: A page past the markup guard (index.html.MAX_MARKUP, 5 M characters), and nesting far past Python's
#: recursion limit and libxml2's default depth limits: the guards are what these test, not the sizes.
BIG_MB = 8
DEPTH = 20_000
#: Layout attributes that make most of the big page's bytes (as on real pages): a tenth as much text
#: to extract as paragraphs alone would give (5 M characters of text took 11 CPU-s), still past the guard.
FILLER = "x" * 1000
#: The big page's last paragraph: the cut at the guard drops it.
BIG_END = "The last paragraph of the long harbour page."


def page(title: str, body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paragraphs = f"<p>{body}.</p>" * 3
    return (f"<html><head>{meta}<title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def write_bad_files(folder):
    """Write the bad (and the good) files; return ``{file or file:line: expected skip reason}``."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.html").write_bytes(b"  \n\t\n")
    (folder / "binary.txt").write_bytes(os.urandom(3000) + b"\0")
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "invalid-utf8.txt").write_bytes(
        b"Harbour reopens after the storm\n\nThe harbour reopened on Monday after the storm. "
        b"\xff\xfe broken \xc3 bytes. More about the harbour and its ships.\n")
    (folder / "cp1251-declared.html").write_bytes(page("Матвиенко в Москве", CYRILLIC, "windows-1251").encode("cp1251"))
    (folder / "cp1251-undeclared.html").write_bytes(page("Матвиенко в Москве", CYRILLIC).encode("cp1251"))
    (folder / "latin1-declared.html").write_bytes(page("Le café de Paris", LATIN, "iso-8859-1").encode("latin-1"))
    (folder / "latin1-undeclared.html").write_bytes(page("Le café de Paris", LATIN).encode("latin-1"))
    (folder / "cp1251.txt").write_bytes(f"Матвиенко в Москве\n\n{CYRILLIC}. {CYRILLIC}.\n".encode("cp1251"))
    packed = gzip.compress(page("Truncated harbour page", "The harbour story " * 50).encode())
    (folder / "truncated.html.gz").write_bytes(packed[: len(packed) // 2])
    lines = "".join(json.dumps({"id": f"t{i}", "title": f"Gzip line {i}", "body": "grain " * 20}) + "\n"
                    for i in range(300))
    packed = gzip.compress(lines.encode())
    (folder / "truncated.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    (folder / "malformed.html").write_bytes(
        b"<html><head><title>Malformed harbour page</title><body><div><p>The harbour <b>story <i>goes"
        b"</p></div></span></td> on and on <p>without closing" * 3 + b"<<<>>>&&&;</html></html><")
    (folder / "deep.html").write_bytes(
        b"<html><head><title>Deep harbour page</title></head><body>" + b"<div>" * DEPTH
        + b"<p>The deep harbour story goes on.</p>" + b"</div>" * DEPTH + b"</body></html>")
    paragraph = (f'<p data-layout="{FILLER}">The harbour reopened on Monday after the storm, the mayor said. '
                 'Ships returned.</p>\n').encode()
    with open(folder / "big.html", "wb") as f:
        f.write(b"<html><head><title>A very long harbour page</title></head><body><article>")
        f.write(paragraph * (BIG_MB * 1024 * 1024 // len(paragraph)))
        f.write(f"<p>{BIG_END}</p></article></body></html>".encode())
    (folder / "lines.jsonl").write_bytes(b"\n".join([
        json.dumps({"id": "good-1", "title": "Good one", "body": "harbour first"}).encode(),
        b"{not json",
        json.dumps([1, 2]).encode(),
        json.dumps({"title": "no id"}).encode(),
        json.dumps({"id": "good-2", "title": "Good two", "body": "harbour second"}).encode(),
        b'{"id": "bad-utf8", "title": "\xff\xfe"}',
        b"",
        json.dumps({"id": "good-3", "title": "Good three", "body": "harbour third"}).encode(),
    ]) + b"\n")
    (folder / "dates.jsonl").write_text("".join(
        json.dumps({"id": k, "title": f"Dated {k}", "body": "harbour dates", "date": v}) + "\n"
        for k, (v, _) in DATES.items()))
    (folder / "dates.html").write_text(
        '<html><head><title>Future harbour</title><meta property="article:published_time" '
        'content="9999-12-31T00:00:00"><meta name="date" content="0001-01-01"></head><body><article>'
        + "<p>The harbour of the future opened in 2030, they say.</p>" * 5 + "</article></body></html>")
    return {
        "empty.txt": "empty file", "empty.html": "empty file",
        "binary.txt": "binary content", "binary.html": "binary content",
        "truncated.html.gz": "cannot read: Compressed file ended",
        "truncated.jsonl.gz": "cannot read further: Compressed file ended",
        "lines.jsonl:2": "not valid JSON", "lines.jsonl:3": "not a JSON object",
        "lines.jsonl:4": "no 'id'", "lines.jsonl:6": "not valid JSON: 'utf-8' codec can't decode",
    }


#: Articles the good files hold, besides the lines read from the truncated gzip before it ends.
GOOD = ["invalid-utf8.txt", "cp1251-declared.html", "cp1251-undeclared.html", "latin1-declared.html",
        "latin1-undeclared.html", "cp1251.txt", "malformed.html", "deep.html", "big.html", "dates.html",
        "good-1", "good-2", "good-3", *DATES]


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("bad")
    expected_skips = write_bad_files(folder)
    index_dir = tmp_path_factory.mktemp("bad-index") / "ix"
    result = CliRunner().invoke(cli, ["reindex", str(folder), "--index", str(index_dir), "--workers", "0"])
    service = search.SearchService(index_dir)
    yield folder, result, expected_skips, service
    service.close()


def articles(service, **params):
    req = search.SearchRequest.from_params({"per_page": ["100"], **{k: [v] for k, v in params.items()}})
    return search.search(service, req).hits


def article(service, article_id):
    return search.get_article(service, article_id)


def test_run_finishes_and_names_every_skip_with_its_reason(bad_run):
    folder, result, expected_skips, _ = bad_run
    assert result.exit_code == 0, result.output
    assert "Full reindex done" in result.output
    listed = {}
    for line in result.output.split("Skipped", 1)[1].split("Repaired", 1)[0].splitlines()[1:]:
        where, _, reason = line.strip().partition(": ")
        listed[where.removeprefix(str(folder) + "/")] = reason
    assert set(listed) == set(expected_skips), listed
    for where, reason in expected_skips.items():
        assert listed[where].startswith(reason), (where, listed[where])
    print(f"\n{len(expected_skips)} skipped with a reason, of {len(list(folder.iterdir()))} bad-input files")


def test_nothing_else_is_lost(bad_run):
    folder, result, _, service = bad_run
    total = search.search(service, search.SearchRequest(per_page=1)).total
    from_gzip = search.search(service, search.SearchRequest(q="title:gzip", per_page=1)).total
    assert 0 < from_gzip < 300, "the lines before the gzip's end are indexed"
    assert total == len(GOOD) + from_gzip
    assert f"{total} articles in the index" in result.output
    for name in GOOD:
        article(service, name if "." not in name else f"{folder.name}/{name}")  # raises if missing


@pytest.mark.parametrize("name", ["cp1251-declared.html", "cp1251-undeclared.html", "cp1251.txt"])
def test_cp1251_is_decoded(bad_run, name):
    folder, _, _, service = bad_run
    got = article(service, f"{folder.name}/{name}")
    assert got["title"] == "Матвиенко в Москве"
    assert CYRILLIC in got["body"]


@pytest.mark.parametrize("name", ["latin1-declared.html", "latin1-undeclared.html"])
def test_latin1_is_decoded(bad_run, name):
    folder, _, _, service = bad_run
    got = article(service, f"{folder.name}/{name}")
    assert got["title"] == "Le café de Paris"
    assert LATIN in got["body"]


def test_words_in_other_charsets_are_searchable(bad_run):
    _, _, _, service = bad_run
    assert len(articles(service, q="Матвиенко")) == 3
    assert len(articles(service, q="café")) == 2


def test_invalid_utf8_keeps_the_readable_text(bad_run):
    folder, _, _, service = bad_run
    got = article(service, f"{folder.name}/invalid-utf8.txt")
    assert got["title"] == "Harbour reopens after the storm"
    assert "More about the harbour" in got["body"]


@pytest.mark.parametrize(("name", "words"), [("malformed.html", "on and on"),
                                             ("deep.html", "The deep harbour story goes on."),
                                             ("big.html", "The harbour reopened on Monday")])
def test_malformed_deep_and_huge_pages_are_indexed(bad_run, name, words):
    folder, _, _, service = bad_run
    got = article(service, f"{folder.name}/{name}")
    assert words in got["body"]
    assert len(got["body"]) <= 6_000_000, "a huge page is cut to a sensible size"


def test_a_huge_page_is_cut_at_the_guard(bad_run):
    from index.html.decode import MAX_MARKUP

    folder, _, _, service = bad_run
    assert (folder / "big.html").stat().st_size > MAX_MARKUP
    body = article(service, f"{folder.name}/big.html")["body"]
    assert "The harbour reopened on Monday" in body and BIG_END not in body


@pytest.mark.parametrize("article_id", list(DATES))
def test_absurd_dates_are_never_used(bad_run, article_id):
    _, _, _, service = bad_run
    got = article(service, article_id)
    assert got["date"] == DATES[article_id][1]
    assert got["year"] in (None, 2020)


def test_absurd_html_dates_are_never_used(bad_run):
    folder, _, _, service = bad_run
    got = article(service, f"{folder.name}/dates.html")
    assert got["date"] is None and got["year"] is None
