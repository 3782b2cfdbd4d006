"""No script from a page or a query runs: hostile articles and queries render inert in headless Chromium.

Articles whose title, body, figures and URL carry ``<script>``, ``onerror=`` attributes, ``javascript:``
URLs and closing-tag tricks are indexed by the real CLI and served by ``newsearch serve``; the search
page, snippets, the article page and the figure page must show them as text: no dialog opens, no
script runs, no injected element exists. Also: the security headers, and ids that cannot reach files.
"""

import http.client
import json
import re
import urllib.parse

import pytest

from browsing import browser  # noqa: F401  (the shared Chromium fixture)
from browsing import cli_reindex
from browsing import new_page
from servers import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.cost(13)]

ATTACKS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    '"><svg onload=alert("svg")>',
    "'><iframe src=javascript:alert('iframe')>",
    "</mark><script>alert('mark')</script>",
    "</title></textarea></p><script>alert('close')</script>",
    "<a href=\"javascript:alert('link')\">click</a>",
    "<body onload=alert('body')>",
    "{{7*7}} ${alert('tpl')}",
]
HOSTILE = [
    {"id": "evil-1", "title": f"Hostile title {ATTACKS[0]}{ATTACKS[1]}", "date": "2020-01-30",
     "body": "Hostile body. " + " hostile ".join(ATTACKS) + " The end of the hostile body.",
     "figures": [f"Evil {ATTACKS[0]}", 'Quote" onmouseover="alert(\'fig\')', "Valentina Matvienko"],
     "url": "javascript:alert('url')"},
    {"id": "evil-2/<script>alert('id')</script>", "title": f"Second hostile {ATTACKS[4]}",
     "body": f"Hostile again: {ATTACKS[5]} {ATTACKS[2]}", "figures": [ATTACKS[2]],
     "url": "\"><script>alert('url2')</script>"},
    {"id": "evil-3", "title": f"Third hostile {ATTACKS[6]}", "body": f"hostile {ATTACKS[3]} {ATTACKS[7]}",
     "figures": [], "url": "data:text/html,<script>alert('data')</script>"},
]
QUERY_ATTACKS = [f"hostile {a}" for a in ATTACKS] + ["</title><script>alert('q')</script>",
                                                    "figure:\"<script>alert(1)</script>\""]
#: Counts what a page holds that it must not: inline scripts, on* attributes, javascript: links, frames.
INJECTED = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    inline_scripts: document.querySelectorAll('script:not([src])').length,
    foreign_scripts: [...document.querySelectorAll('script[src]')].filter(s => !s.src.startsWith(location.origin + '/static/')).length,
    on_attributes: all.filter(el => [...el.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
    javascript_links: all.filter(el => /^\\s*(javascript|data):/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length,
    injected: document.querySelectorAll('img[src=x], svg[onload], iframe, body[onload], object, embed').length,
  };
}"""
CLEAN = {"inline_scripts": 0, "foreign_scripts": 0, "on_attributes": 0, "javascript_links": 0, "injected": 0}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    from literal import ARTICLES  # the ordinary five, so the hostile ones are among normal hits

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + HOSTILE))
    ix = folder / "ix"
    cli_reindex(folder / "hostile.jsonl", ix)
    with serving(ix, folder / "server.log", host=None) as url:
        yield url


@pytest.fixture(scope="module")
def watched_page(browser, hostile_url):  # noqa: F811
    """A page that records every dialog, page error and console error, shared by the module's tests
    (opening a page costs ~0.2 CPU-s of Chromium's: see :class:`browsing.Pages`)."""
    page = new_page(browser, hostile_url)
    seen = {"dialogs": [], "errors": [], "console": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico") else None)  # Chromium asks for it
    yield page, seen
    page.context.close()


@pytest.fixture
def watched(watched_page):
    """The watched page on a blank document, with nothing recorded yet."""
    page, seen = watched_page
    page.goto("about:blank")
    for recorded in seen.values():
        recorded.clear()
    return page, seen


def visit(page, path):
    response = page.goto(path)
    page.wait_for_timeout(100)  # an onerror or onload handler would have fired by now
    return response


def assert_inert(page, seen, response, statuses=(200, 400)):
    assert response.status in statuses, response.status
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate(INJECTED) == CLEAN
    assert seen["dialogs"] == [] and seen["errors"] == []
    # Chromium logs a refused query (400) or unknown article (404) as a failed load; anything else,
    # such as a CSP violation, is a finding.
    assert [m for m in seen["console"] if not re.search(r"status of 40[04]", m)] == []


def test_hostile_articles_render_inert_on_search_page_and_in_snippets(watched):
    page, seen = watched
    response = visit(page, "/?q=hostile&per_page=20")
    assert_inert(page, seen, response)
    titles = page.locator("ol.hits li.hit h2.hit-title").all_inner_texts()
    assert any(f"Hostile title {ATTACKS[0]}{ATTACKS[1]}" in t for t in titles), titles
    snippets = " ".join(page.locator("ol.hits p.snippet").all_inner_texts())
    assert "<script>" in snippets or "onerror" in snippets or "</mark>" in snippets, snippets
    assert page.locator("ol.hits p.snippet mark").count() > 0
    figures = page.locator("section.facet a.facet-value").all_inner_texts()
    assert any("<script>" in f for f in figures), figures


@pytest.mark.parametrize("article_id", [a["id"] for a in HOSTILE])
def test_hostile_article_page_renders_inert(watched, article_id):
    page, seen = watched
    response = visit(page, "/articles/" + urllib.parse.quote(article_id) + "?q=hostile")
    assert response.status == 200
    assert_inert(page, seen, response)
    article = next(a for a in HOSTILE if a["id"] == article_id)
    assert page.locator("article h1").inner_text() == article["title"]
    assert page.locator("article a[href^='javascript'], article a[href^='data']").count() == 0
    profiles = page.locator("article a.chip-profile")
    for i in range(min(profiles.count(), 2)):
        href = profiles.nth(i).get_attribute("href")
        assert_inert(page, seen, visit(page, href))
        page.go_back()


def test_hostile_queries_render_inert(watched):
    page, seen = watched
    statuses = []
    for q in QUERY_ATTACKS:
        response = visit(page, "/?" + urllib.parse.urlencode({"q": q}))
        assert_inert(page, seen, response)
        statuses.append(response.status)
        if response.status == 200:
            assert page.get_by_label("Search articles").input_value() == q
            article = visit(page, "/articles/evil-1?" + urllib.parse.urlencode({"q": q}))
            assert_inert(page, seen, article)
    assert statuses.count(200) >= len(QUERY_ATTACKS) - 3, statuses


def test_hostile_facet_links_and_error_pages_render_inert(watched):
    page, seen = watched
    visit(page, "/?q=hostile")
    links = page.locator("section.facet a.facet-value")
    for i in range(min(links.count(), 8)):
        href = links.nth(i).get_attribute("href")
        assert_inert(page, seen, visit(page, href))
        visit(page, "/?q=hostile")
    assert_inert(page, seen, visit(page, "/?" + urllib.parse.urlencode({"q": '"<script>alert(1)</script>'})))
    assert_inert(page, seen, visit(page, "/articles/" + urllib.parse.quote("<img src=x onerror=alert(1)>")),
                 statuses=(404,))


# Headers and files -----------------------------------------------------------------------------


def raw_get(base_url, path):
    """GET ``path`` exactly as written (no client-side normalisation of ``..``)."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/", "/?q=hostile", "/?q=%22", "/articles/evil-1", "/articles/nope",
                                  "/help", "/api/search?q=hostile", "/api/search?per_page=0",
                                  "/api/articles/nope", "/static/app.js", "/no/such/page"])
def test_security_headers_everywhere(hostile_url, path):
    status, headers, _ = raw_get(hostile_url, path)
    assert status < 500
    policy = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split(";") if d.strip()}
    assert policy["script-src"] == ["'self'"], "no inline script, no other origin"
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "/api/articles/../../../../../../etc/passwd", "/api/articles/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/api/articles/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/api/articles//etc/passwd",
    "/articles/../../../../../../etc/passwd", "/articles/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/../../../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/api/articles/CURRENT", "/api/articles/reindex.lock",
    "/static/../newsearch.py", "/static/%2e%2e/%2e%2e/newsearch.py", "/api/articles/%00",
])
def test_ids_and_paths_cannot_reach_files(hostile_url, path):
    status, headers, body = raw_get(hostile_url, path)
    assert status in (400, 404, 308), (status, body[:200])
    assert b"root:" not in body and b"import click" not in body and b"gen-" not in body
