"""Atom feeds per search URL: valid Atom 1.0 (RFC 4287), newest first, escaped."""

import datetime
import re
import xml.etree.ElementTree as ET

from search import export

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")


def atom_problems(data: bytes) -> list:
    """What RFC 4287 requires of a feed and its entries that ``data`` lacks (empty when valid)."""
    root = ET.fromstring(data)
    problems = [] if root.tag == A + "feed" else [f"root is {root.tag}"]
    problems += _required(root, "feed")
    has_author = root.find(A + "author/" + A + "name") is not None
    if not any(link.get("rel") == "self" for link in root.findall(A + "link")):
        problems.append("feed: no rel=self link")
    for n, entry in enumerate(root.findall(A + "entry")):
        problems += _required(entry, f"entry {n}")
        if not has_author and entry.find(A + "author/" + A + "name") is None:
            problems.append(f"entry {n}: no author")
        rels = [link.get("rel", "alternate") for link in entry.findall(A + "link")]
        if "alternate" not in rels:
            problems.append(f"entry {n}: no alternate link")
    return problems


def _required(element, where):
    problems = []
    for tag in ("id", "title", "updated"):
        found = element.findall(A + tag)
        if len(found) != 1 or not (found[0].text or "").strip():
            problems.append(f"{where}: needs exactly one non-empty {tag}")
    for stamp in element.findall(A + "updated") + element.findall(A + "published"):
        if not RFC3339.match(stamp.text or ""):
            problems.append(f"{where}: {stamp.text!r} is not an RFC 3339 date")
    ids = element.findall(A + "id")
    if ids and not IRI.match(ids[0].text or ""):
        problems.append(f"{where}: id {ids[0].text!r} is not an IRI")
    return problems


def entries(response):
    root = ET.fromstring(response.data)
    return root, root.findall(A + "entry")


def test_feed_is_valid_atom(client):
    response = client.get("/feed")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert atom_problems(response.data) == []


def test_feed_lists_the_search_newest_first(client):
    root, found = entries(client.get("/feed?figure=Valentina+Matvienko&sort=oldest"))
    assert root.findtext(A + "title") == "newsearch: Valentina Matvienko"
    assert root.findtext(A + "updated") == "2020-01-30T00:00:00Z"
    assert [e.findtext(A + "id") for e in found] == [
        "http://localhost/articles/a1", "http://localhost/articles/a3"]
    assert [e.findtext(A + "updated") for e in found] == [
        "2020-01-30T00:00:00Z", "2019-07-14T00:00:00Z"]
    assert [c.get("term") for c in found[0].findall(A + "category")] == [
        "Valentina Matvienko", "Igor Rudeni"]
    assert found[0].findtext(A + "summary") == (
        "Alfa bravo charlie delta. Valentina Matvienko opened the summit in Moscow.")


def test_feed_links_to_itself_and_to_the_search_page(client):
    root, _ = entries(client.get("/feed?q=charlie&figure=Igor+Rudeni&page=1"))
    links = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert links == {"self": "http://localhost/feed?q=charlie&figure=Igor+Rudeni",
                     "alternate": "http://localhost/?q=charlie&figure=Igor+Rudeni&sort=newest"}
    assert root.findtext(A + "id") == links["self"]


def test_feed_entry_links_to_the_article_page_and_the_original(client):
    _, found = entries(client.get("/feed?q=delta+golf"))
    links = [(link.get("rel"), link.get("href")) for link in found[0].findall(A + "link")]
    assert links == [("alternate", "http://localhost/articles/a3"),
                     ("related", "https://example.org/delta")]
    assert found[0].findtext(A + "author/" + A + "name") == "articles"


def test_feed_escapes_article_text_and_skips_unsafe_links(client):
    response = client.get("/feed?q=kilo")
    assert b"<script>" not in response.data
    _, found = entries(response)
    summary = found[0].findtext(A + "summary")
    assert summary == "Kilo lima <script>alert(1)</script> mike & november."
    assert [link.get("rel") for link in found[0].findall(A + "link")] == ["alternate"]


def test_undated_articles_carry_the_index_time(client):
    _, found = entries(client.get("/feed?q=kilo"))
    assert found[0].find(A + "published") is None
    assert RFC3339.match(found[0].findtext(A + "updated"))


def test_feed_of_nothing_is_still_valid(client):
    response = client.get("/feed?q=zulu")
    assert atom_problems(response.data) == []
    assert entries(response)[1] == []


def test_feed_errors_are_pages(client):
    response = client.get("/feed?q=title:(&syntax=strict")
    assert response.status_code == 400 and b"never closed" in response.data


def test_search_page_announces_its_feed(client):
    page = client.get("/?q=charlie&figure=Igor+Rudeni").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" '
            'title="Newest articles of this search" href="/feed?q=charlie&amp;figure=Igor+Rudeni">'
            ) in page


def test_control_characters_never_break_the_xml():
    hit = {"id": "x", "title": "bad\x0btitle", "date": None, "figures": ["A\x01"], "url": None,
           "source": "s", "snippet": "a\x1fb &amp; <mark>c</mark>"}
    now = datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
    data = export.atom_feed([hit], "t", "http://h/feed", "http://h/",
                            lambda i: f"http://h/articles/{i}", now)
    assert atom_problems(data) == []
    entry = ET.fromstring(data).find(A + "entry")
    assert entry.findtext(A + "title") == "badtitle" and entry.findtext(A + "summary") == "ab & c"
    assert entry.findtext(A + "updated") == "2024-05-01T00:00:00Z"
