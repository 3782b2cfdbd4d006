"""The server's front end: every request within the documented limits reaches the app, and what the
front end itself refuses (a request line over its limit, malformed HTTP, huge headers) is answered in
the API's JSON error shape with the security headers, like every other answer. 405s say what is allowed.
"""

import json
import socket
from urllib.parse import quote
from urllib.parse import urlencode

import pytest

from search.query import MAX_QUERY_LENGTH
from search.request import MAX_VALUE_LENGTH
from search.request import MAX_VALUES
from web.server import REQUEST_LINE_LIMIT

#: A character that takes 4 bytes in UTF-8, 12 once percent-encoded: the longest a URL can make one.
WIDEST = "\U0001f600"


def test_the_request_line_limit_fits_the_documented_limits():
    """The longest request within every documented limit (also once queries may have 10,000
    characters) is shorter than the front end's limit."""
    worst = {"q": WIDEST * max(MAX_QUERY_LENGTH, 10_000), "cluster": WIDEST * MAX_VALUE_LENGTH,
             "figure": [WIDEST * MAX_VALUE_LENGTH] * MAX_VALUES, "source": [WIDEST * MAX_VALUE_LENGTH] * MAX_VALUES,
             "year": ["2020"] * MAX_VALUES, "month": ["2020-01"] * MAX_VALUES, "day": ["2020-01-01"] * MAX_VALUES,
             "from": "2020-01-01", "to": "2020-12-31", "sort": "relevance", "page": "1000", "per_page": "100",
             "collapse": "false"}
    line = f"GET /api/search.jsonl?{urlencode(worst, doseq=True)} HTTP/1.1"
    assert len(line) < REQUEST_LINE_LIMIT


def raw(url: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send ``request`` as is; return the status, headers and body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def get(url: str, target: str, extra: bytes = b"") -> tuple[int, dict, bytes]:
    return raw(url, f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode() + extra + b"\r\n")


def assert_json_error(status, headers, body, expected_status, code):
    assert status == expected_status, (status, body[:300])
    assert headers["content-type"].startswith("application/json"), headers
    assert "default-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"
    error = json.loads(body)
    assert error["ok"] is False and error["status"] == expected_status and error["error"]["code"] == code, error
    return error


@pytest.fixture(scope="module")
def server(index_dir, tmp_path_factory):
    from servers import start_server
    from servers import stop

    process, port = start_server(index_dir, tmp_path_factory.mktemp("server") / "server.log", threads=2)
    yield f"http://127.0.0.1:{port}"
    stop(process)


@pytest.mark.slow
def test_a_long_valid_query_reaches_the_app(server):
    """An 839-character Cyrillic query (4,617 bytes encoded) was gunicorn's HTML 414."""
    status, headers, body = get(server, "/api/search?q=" + quote("щ" * 839))
    assert status == 200 and json.loads(body)["ok"] is True
    assert "default-src 'self'" in headers["content-security-policy"]


@pytest.mark.slow
def test_a_query_over_its_limit_is_the_apps_json_400(server):
    """Up to the front end's limit, the app answers a too-long parameter itself."""
    status, headers, body = get(server, "/api/search?q=" + quote(WIDEST * (MAX_QUERY_LENGTH + 1)))
    error = assert_json_error(status, headers, body, 400, "bad_query")
    assert f"at most {MAX_QUERY_LENGTH:,}" in error["error"]["message"]


@pytest.mark.slow
def test_a_request_line_over_the_limit_is_a_json_414(server):
    status, headers, body = get(server, "/api/search?q=" + "a" * REQUEST_LINE_LIMIT)
    error = assert_json_error(status, headers, body, 414, "uri_too_long")
    assert f"{REQUEST_LINE_LIMIT:,} bytes" in error["error"]["message"]


@pytest.mark.slow
@pytest.mark.parametrize("request_bytes", [b"GET /api/search HTTP/9.9\r\n\r\n", b"\x16\x03\x01 garbage\r\n\r\n",
                                           b"GET /api/search HTTP/1.1\r\nBad Header\r\n\r\n"],
                         ids=["version", "tls-hello", "header"])
def test_malformed_http_is_a_json_400(server, request_bytes):
    assert_json_error(*raw(server, request_bytes), 400, "bad_request")


@pytest.mark.slow
def test_huge_headers_are_a_json_431(server):
    headers = b"".join(f"X-Filler-{n}: {'v' * 100}\r\n".encode() for n in range(200))
    assert_json_error(*get(server, "/api/search", headers), 431, "header_fields_too_large")


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/api/search", "/api/search.csv", "/api/articles/a1"])
def test_a_method_not_allowed_is_a_json_405_saying_what_is(server, path):
    status, headers, body = raw(server, f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                        f"Connection: close\r\n\r\n".encode())
    assert_json_error(status, headers, body, 405, "method_not_allowed")
    assert set(headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
