"""How long the most expensive requests we know of hold a worker (issue 12, item 1).

Each request runs through the Flask app in a child process forked from a warmed-up parent (so every
request sees the same warm caches and none is helped by the one before), and the child is killed at
``--cap`` seconds: before the deadlines, some of these ran for minutes. Exports are read to the end.
The time printed is what the app spent on the request, stream included: what it held a worker for::

    .venv/bin/python -m bench.worst --index /tmp/dl-reuters --cap 60

The requests are the issue's own (``q=aa~2 ab~2 … ho~2``, 50 ``x~2``, ``q=oil~2``, ``??`` as JSON
Lines, the figure facet search of ``[a TO z]``, a CSV of five fuzzy words, highlighting ``?*?*?*``)
and a few more built the same way.
"""

import argparse
import itertools
import multiprocessing
import string
import time
import urllib.parse

#: 200 distinct two-letter fuzzy words (aa~2 … ho~2), as in the issue.
FUZZY_200 = " ".join(a + b + "~2" for a, b in itertools.islice(
    itertools.product(string.ascii_lowercase, repeat=2), 200))


#: Requests the parent answers once before forking, so that each measured request finds the caches
#: of a server that has been answering for a while (facet arrays, near-duplicate groups, vocabulary).
WARM_UP = ["/api/search?q=oil+prices", "/api/facets/figures?q=oil", "/api/search.csv?q=memorial",
           "/feed?q=oil", "/api/articles/{id}?q=oil", "/?q=oil", "/?q=nosuchwordatall"]


def requests(article_id: str) -> list:
    """``(label, path)`` of the worst requests we can construct."""
    quote = urllib.parse.quote
    return [
        ("200 fuzzy words aa~2…ho~2", "/api/search?q=" + quote(FUZZY_200)),
        ("50 x~2", "/api/search?q=" + quote(" ".join(["x~2"] * 50))),
        ("50 distinct one-letter ~2", "/api/search?q=" + quote(
            " ".join(c + "~2" for c in (string.ascii_lowercase * 2)[:50]))),
        ("oil~2", "/api/search?q=oil~2"),
        ("*il", "/api/search?q=" + quote("*il")),
        ("?*?*?*", "/api/search?q=" + quote("?*?*?*")),
        ("jsonl ??", "/api/search.jsonl?q=" + quote("??")),
        ("facets [a TO z]", "/api/facets/figures?q=" + quote("[a TO z]")),
        ("facets *il", "/api/facets/figures?q=" + quote("*il")),
        ("csv oil~2 gas~2 bank~2 rate~2 trade~2", "/api/search.csv?q=" + quote(
            "oil~2 gas~2 bank~2 rate~2 trade~2")),
        ("csv everything (q=said)", "/api/search.csv?q=said"),
        ("article ?*?*?*", f"/api/articles/{quote(article_id)}?q=" + quote("?*?*?*")),
        ("article oil~2 gas~2 bank~2", f"/api/articles/{quote(article_id)}?q=" + quote("oil~2 gas~2 bank~2")),
        ("feed ??", "/feed?q=" + quote("??")),
        ("page *il", "/?q=" + quote("*il")),
    ]


def _run(client, path, out):
    started = time.monotonic()
    response = client.get(path)
    size = len(response.get_data())
    out.put((response.status_code, size, time.monotonic() - started))


def measure(client, path: str, cap: float):
    """``(status, bytes, seconds)`` of one request in a forked child, or ``(None, 0, cap)`` when cut."""
    out = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_run, args=(client, path, out))
    started = time.monotonic()
    child.start()
    child.join(cap)
    if child.is_alive():
        child.kill()
        child.join()
        return None, 0, time.monotonic() - started
    return out.get()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--cap", type=float, default=60.0, help="kill a request after this many seconds")
    parser.add_argument("--limit", type=float, default=3.0, help="SEARCH_TIME_LIMIT")
    args = parser.parse_args(argv)
    from web import create_app

    app = create_app({"INDEX_DIR": args.index, "TESTING": True, "SEARCH_TIME_LIMIT": args.limit})
    client = app.test_client()
    first = client.get("/api/search?q=oil&per_page=1").get_json()["hits"][0]["id"]
    for path in WARM_UP:  # build the caches a warmed-up server has (``newsearch serve`` warms up)
        client.get(path.format(id=first)).get_data()
    print(f"SEARCH_TIME_LIMIT={args.limit}  cap={args.cap}s")
    print(f"{'request':42} {'status':>6} {'bytes':>10} {'seconds':>8}")
    worst = 0.0
    for label, path in requests(first):
        status, size, seconds = measure(client, path, args.cap)
        worst = max(worst, seconds)
        shown = status if status is not None else f">{args.cap:g}s"
        print(f"{label:42} {shown!s:>6} {size:>10,} {seconds:>8.2f}", flush=True)
    print(f"slowest: {worst:.2f} s = {worst / args.limit:.2f} x SEARCH_TIME_LIMIT")


if __name__ == "__main__":
    main()
