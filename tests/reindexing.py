"""Source folders for the reindex robustness tests (tests/test_robust_crash.py, tests/test_robust_disk.py):
files of generated articles, and what a reindex left behind, seen by the server, a fresh reader and /proc."""

import http.client
import json
import random
import subprocess
from pathlib import Path

from index.store import current_generation
from index.store import open_current
from servers import CLI
from servers import REPO

#: Articles per input file: more than two extraction batches, so the worker pool is used.
PER_FILE = 130


def articles(tag: str, n: int = PER_FILE) -> list:
    """``n`` literal articles whose bodies all carry the word ``tag``."""
    return [
        {"id": f"{tag}-{i}", "title": f"Report {i} on {tag}", "date": f"2020-{i % 12 + 1:02d}-15",
         "body": f"The {tag.replace('-', '')} story number {i}. " + _sentences(f"{tag}-{i}"),
         "figures": ["Valentina Matvienko"] if i % 3 == 0 else []}
        for i in range(n)
    ]


#: Nouns the bodies are made of.
NOUNS = ("grain wheat barley harbour ship cargo price market trader broker minister ministry deal quota "
         "tariff season harvest field farmer drought silo rail truck road port quay crane buyer seller "
         "contract index demand supply record estimate forecast report agency official").split()


def _sentences(seed: str) -> str:
    """Six plainly English sentences of nouns drawn for ``seed``: each body its own, as real articles
    are. (One repeated sentence made every article a near-duplicate candidate of every other: the
    clustering's checks were two thirds of each reindex here.)"""
    rng = random.Random(seed)
    return " ".join(f"The {a} of the {b} and the {c} was {d} for the {e}."
                    for a, b, c, d, e in (rng.sample(NOUNS, 5) for _ in range(6)))

def write_source(folder: Path, tag: str, n: int = PER_FILE) -> Path:
    path = folder / f"{tag}.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles(tag, n)))
    return path

def api_total(base_url: str, q: str = "") -> int:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", "/api/search?per_page=1&q=" + q)
        response = conn.getresponse()
        body = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 200, body
    return body["total"]


def fresh_total(index_dir, q: str = "") -> int:
    """The total a newly opened reader sees (what a restarted server would answer)."""
    import search

    service = search.SearchService(index_dir)
    try:
        return search.search(service, search.SearchRequest(q=q, per_page=1)).total
    finally:
        service.close()

def run_cli(*args, env=None, **kwargs):
    return subprocess.run([*CLI, *args], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env=env, **kwargs)

def group_members(pgid: int) -> list:
    """The live processes of process group ``pgid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found

def leftovers(index_dir: Path) -> list:
    """What a dead reindex left in the folder besides the live generation."""
    live = current_generation(index_dir)
    found = [p.name for p in index_dir.glob("gen-*") if p.name.endswith(".tmp") or p.name > live.name]
    in_use = whoosh_files_in_use(live)
    found += [f"{live.name}/{f.name}" for f in sorted(live.iterdir())
              if is_index_file(f.name) and f.name not in in_use]
    return found


def is_index_file(name: str) -> bool:
    """Whoosh's segment and TOC files, and any temporary file a writer leaves."""
    return name.endswith((".seg", ".toc", ".tmp")) or ".toc." in name


def whoosh_files_in_use(gen: Path) -> set:
    _, ix = open_current(gen.parent)
    try:
        with ix.reader() as reader:
            segments = [r.segment() for r, _ in reader.leaf_readers() if r.segment() is not None]
        names = {f"{seg.segment_id()}.seg" for seg in segments}
        return names | {f"_MAIN_{ix.latest_generation()}.toc"}
    finally:
        ix.close()


def assert_clean(index_dir: Path) -> None:
    """No half-built generation, no unused segment or TOC file, at most one previous generation."""
    assert not list(index_dir.glob("gen-*.tmp")), list(index_dir.iterdir())
    assert leftovers(index_dir) == []
    finished = [p for p in index_dir.glob("gen-*") if p.is_dir()]
    assert len(finished) <= 2, finished
