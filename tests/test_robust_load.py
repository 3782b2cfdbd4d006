"""Reindex under load: ``newsearch serve`` answers a steady stream of searches from several clients while
an incremental and then a ``--full`` reindex of a Reuters-21578 subset run beside it.

Every response must be a 200 whose ``total`` for its fixed query is the old index's or the new index's
(never a mix), and the new articles must become visible without a restart. The subset (the first 300
articles, then 100 more per step) keeps each reindex a few seconds long: long enough for hundreds of
searches to be answered while it runs, short enough for the test suite (a full reindex of all 21,578
articles takes about 90 s alone; bench/reindex_under_load.py runs that).
"""

import gzip
import http.client
import itertools
import json
import random
import subprocess
import threading
import time
from pathlib import Path

import pytest

import search
from index import reindex
from servers import CLI
from servers import REPO

pytestmark = [pytest.mark.corpora, pytest.mark.slow, pytest.mark.cost(23)]

REUTERS = REPO.parent / "shared" / "corpora" / "reuters21578" / "articles.jsonl.gz"
FIRST, STEP = 300, 100
#: Fixed queries the clients repeat: everything, a common word, a phrase, a filter.
QUERIES = ["", "oil", '"interest rates"', "bank&sort=newest"]
CLIENTS = 4
#: Seconds each client waits between its requests: up to 80 requests a second from the four, hundreds
#: during each reindex. Unpaced, the clients took every CPU the reindex did not (10,000 requests a
#: reindex), so each reindex took longer the harder they pushed: 100 CPU-s for the test, not 10.
PAUSE_SECONDS = 0.05
#: Bounds on the load: per client, and for the whole test.
MAX_REQUESTS_PER_CLIENT = 3_000
MAX_SECONDS = 180

#: Requests served during each reindex, printed at the end (numbers for the report).
SERVED = {}


def reuters_slices(folder: Path) -> list[Path]:
    """The first FIRST articles, and the next two STEP-sized slices, as JSON Lines files."""
    if not REUTERS.exists():
        pytest.skip(f"the shared corpora are absent ({REUTERS} not found)")
    sizes = [("reuters-a", FIRST), ("reuters-b", STEP), ("reuters-c", STEP)]
    paths = []
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        for name, size in sizes:
            path = folder / f"{name}.jsonl"
            path.write_text("".join(itertools.islice(lines, size)), encoding="utf-8")
            paths.append(path)
    return paths


def totals(index_dir) -> dict:
    """``{query: total}`` from a freshly opened reader."""
    service = search.SearchService(index_dir)
    try:
        return {q: search.search(service, _request(q)).total for q in QUERIES}
    finally:
        service.close()


def _request(q: str):
    text, _, extra = q.partition("&")
    params = {"q": [text], "per_page": ["1"]}
    for pair in filter(None, [extra]):
        name, _, value = pair.partition("=")
        params[name] = [value]
    return search.SearchRequest.from_params(params)


class Load:
    """Client threads that search until stopped, each on its own keep-alive connection."""

    def __init__(self, base_url: str):
        self.host, port = base_url.removeprefix("http://").split(":")
        self.port = int(port)
        self.stop = threading.Event()
        self.results = []  # (query, status, total or error text), appended from the threads
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def _client(self, n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        deadline = time.monotonic() + MAX_SECONDS
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if self.stop.wait(PAUSE_SECONDS) or time.monotonic() > deadline:
                break
            q = rng.choice(QUERIES)
            text, _, extra = q.partition("&")
            path = "/api/search?per_page=5&q=" + _quote(text) + (f"&{extra}" if extra else "")
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                total = json.loads(body).get("total") if response.status == 200 else body[:300]
                self.results.append((q, response.status, total))
            except (OSError, http.client.HTTPException, ValueError) as e:
                self.results.append((q, None, repr(e)))
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.close()

    def since(self, start: int) -> list:
        return self.results[start:]


def _quote(text: str) -> str:
    import urllib.parse

    return urllib.parse.quote(text)


def reindex_under(load: Load, index_dir, sources, *flags) -> tuple[list, subprocess.CompletedProcess]:
    """Run the CLI reindex while ``load`` runs; return the responses received meanwhile."""
    time.sleep(0.5)  # let the clients get going
    start = len(load.results)
    done = subprocess.run([*CLI, "reindex", str(sources), "--index", str(index_dir), *flags],
                          cwd=REPO, capture_output=True, text=True, timeout=MAX_SECONDS)
    time.sleep(1.0)  # a few dozen answers from the new index
    return load.since(start), done


def check(responses, old: dict, new: dict) -> None:
    failed = [r for r in responses if r[1] != 200]
    assert failed == [], f"{len(failed)} of {len(responses)} requests failed, e.g. {failed[:3]}"
    mixed = [r for r in responses if r[2] not in (old[r[0]], new[r[0]])]
    assert mixed == [], f"totals from neither index: {mixed[:5]} (old {old}, new {new})"


def test_reindex_under_load(tmp_path, serve_index):
    sources = tmp_path / "src"
    sources.mkdir()
    a, b, c = reuters_slices(tmp_path)
    a.rename(sources / a.name)
    index_dir = tmp_path / "ix"
    reindex([sources], index_dir)
    before = totals(index_dir)
    # Totals add up over disjoint sets of articles: the new index's totals are known beforehand.
    added = {name: totals(_indexed(tmp_path / f"ref-{name}", path)) for name, path in (("b", b), ("c", c))}
    after_b = {q: before[q] + added["b"][q] for q in QUERIES}
    after_c = {q: after_b[q] + added["c"][q] for q in QUERIES}
    assert after_b != before and after_c != after_b

    url = serve_index(index_dir, workers=2, threads=4)
    with Load(url) as load:
        b.rename(sources / b.name)
        responses, done = reindex_under(load, index_dir, sources)
        assert done.returncode == 0 and "Incremental reindex done" in done.stdout, done.stdout + done.stderr
        check(responses, before, after_b)
        SERVED["incremental"] = (len(responses), sum(r[1] != 200 for r in responses))
        seen_new = {r[0] for r in responses[-len(QUERIES) * 4:] if r[2] == after_b[r[0]]}

        c.rename(sources / c.name)
        responses, done = reindex_under(load, index_dir, sources, "--full")
        assert done.returncode == 0 and "Full reindex done" in done.stdout, done.stdout + done.stderr
        check(responses, after_b, after_c)
        SERVED["full"] = (len(responses), sum(r[1] != 200 for r in responses))
        last = responses[-len(QUERIES) * 4:]
    assert seen_new, "the incremental reindex's articles must be visible without a restart"
    assert last and all(r[2] == after_c[r[0]] for r in last), "the full rebuild must be live at the end"
    print(f"\nrequests served during each reindex (served, failed): {SERVED}; totals {before} -> "
          f"{after_b} -> {after_c}")


def _indexed(index_dir: Path, path: Path) -> Path:
    reindex([path], index_dir, workers=0)
    return index_dir
