import pytest

OK_URLS = [
    "/api/search",
    "/api/search?q=charlie",
    "/api/search?q=charlie&figure=Igor+Rudeni&year=2020&sort=newest&per_page=1",
    "/api/articles/a1",
    "/api/articles/a1?q=alfa",
]

ERROR_URLS = [
    ("/api/search?per_page=0", 400, "bad_parameter"),
    ("/api/search?per_page=101", 400, "bad_parameter"),
    ("/api/search?page=0", 400, "bad_parameter"),
    ("/api/search?page=x", 400, "bad_parameter"),
    ("/api/search?page=99", 400, "bad_parameter"),
    ("/api/search?from=2020-02-30", 400, "bad_parameter"),
    ("/api/search?to=yesterday", 400, "bad_parameter"),
    ("/api/search?from=2021-01-01&to=2020-01-01", 400, "bad_parameter"),
    ("/api/search?sort=random", 400, "bad_parameter"),
    ("/api/search?year=twenty", 400, "bad_parameter"),
    ("/api/search?month=2020-13", 400, "bad_parameter"),
    ("/api/search?q=a&q=b", 400, "bad_parameter"),
    ("/api/search?syntax=strict&q=title:(foo+AND", 400, "bad_query"),
    ("/api/search?syntax=strict&q=%22unclosed", 400, "bad_query"),
    ("/api/search?syntax=strict&q=foo+AND", 400, "bad_query"),
    ("/api/search?syntax=strict&q=)", 400, "bad_query"),
    ("/api/articles/nope", 404, "not_found"),
    ("/api/search?syntax=loose", 400, "bad_parameter"),
    ("/api/nothing-here", 404, "not_found"),
]


@pytest.mark.parametrize("url", OK_URLS)
def test_success_envelope(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.is_json and response.json["ok"] is True


@pytest.mark.parametrize("url,status,code", ERROR_URLS)
def test_error_shape(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    body = response.json
    assert body["ok"] is False and body["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_search_response_shape(client):
    body = client.get("/api/search?q=charlie").json
    assert set(body) == {"ok", "query", "total", "listed", "page", "per_page", "pages", "took_ms", "interpreted_as",
                         "warnings", "hits", "facets", "facets_truncated", "suggestion", "fuzzy", "timed_out", "match",
                         "co_mentions"}
    assert body["total"] == 2 and body["pages"] == 1
    assert body["query"]["q"] == "charlie"
    assert set(body["hits"][0]) >= {"id", "title", "date", "figures", "url", "source", "snippet", "score"}
    assert set(body["facets"]) == {"figures", "year", "month", "day", "source", "language"}


def test_facet_values_carry_toggle_urls(client):
    body = client.get("/api/search?q=charlie").json
    rudeni = next(v for v in body["facets"]["figures"] if v["value"] == "Igor Rudeni")
    assert rudeni["toggle_url"] == "/api/search?q=charlie&figure=Igor+Rudeni"
    narrowed = client.get(rudeni["toggle_url"]).json
    assert narrowed["total"] == 2
    selected = next(v for v in narrowed["facets"]["figures"] if v["value"] == "Igor Rudeni")
    assert selected["selected"] is True
    assert selected["toggle_url"] == "/api/search?q=charlie"


def test_bad_query_says_where(client):
    error = client.get("/api/search?syntax=strict&q=title:(foo+AND").json["error"]
    assert error["message"] == "'(' at position 7 is never closed"
    assert error["position"] == 6


def test_article(client):
    article = client.get("/api/articles/a1?q=alfa").json["article"]
    assert article["id"] == "a1" and article["date"] == "2020-01-30"
    assert article["title_html"] == "<mark>Alfa</mark> bravo summit"
    assert article["figures"] == ["Valentina Matvienko", "Igor Rudeni"]


def test_security_headers(client):
    response = client.get("/?q=kilo")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_search_page_renders(client):
    html = client.get("/?q=charlie").get_data(as_text=True)
    assert '<mark>Charlie</mark> report' in html
    assert 'href="/?q=charlie&amp;figure=Igor+Rudeni"' in html
    assert "2 </strong>" not in html and "<strong>2</strong> articles" in html


def test_search_page_escapes_hostile_article(client):
    html = client.get("/?q=kilo").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_article_page_never_links_javascript_urls(client):
    html = client.get("/articles/a5").get_data(as_text=True)
    assert 'href="javascript:' not in html


def test_search_page_errors_are_pages(client):
    response = client.get("/?q=(&syntax=strict")
    assert response.status_code == 400
    assert "never closed" in response.get_data(as_text=True)


def test_search_page_reads_broken_syntax_as_words(client):
    response = client.get("/?q=charlie+(")
    assert response.status_code == 200
    assert "never closed, so the query was searched as plain words" in response.get_data(as_text=True)


def test_empty_state_offers_did_you_mean(client):
    html = client.get("/?q=charlee").get_data(as_text=True)
    assert 'Did you mean <a href="/?q=charlie">charlie</a>' in html


def test_missing_index_is_a_clear_503(tmp_path):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}).test_client()
    body = client.get("/api/search").json
    assert body["status"] == 503 and "newsearch reindex" in body["error"]["message"]
