"""Ranking quality on the relevance-dev collections: newsearch beside Tantivy's BM25, same files.

For each set under ``../shared/corpora/relevance-dev`` (cisi, med, cran) this builds a newsearch index
with the real ``reindex`` (kept in a cache folder, rebuilt when the articles file changes), sends every
judged query exactly as written through the code path of ``/api/search`` (``SearchRequest.from_params``
then :func:`search.search`, 100 hits deep), and scores the ranked ids against the judgments. Tantivy
(tantivy-py, the ``bench`` extra) indexes the same ``title`` and ``body`` with its English stemmer and
parses each query with its default OR, punctuation replaced by spaces (its syntax would reject some).

Measures, averaged over the judged queries: nDCG@10 (gain 2^g - 1), P@10, MAP over the top 100,
recall@100 and the number of queries with no hit.

``--folds`` also reports held-out numbers: every tunable of the ranking (:data:`TUNABLES`) is chosen on
two sets from a small grid and scored on the third (leave-one-collection-out).

Usage::

    .venv/bin/python -m bench.relevance [--sets cisi,med,cran] [--folds] [--cache DIR]
"""

import argparse
import collections
import gzip
import hashlib
import importlib.util
import itertools
import json
import math
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora" / "relevance-dev"
SETS = ("cisi", "med", "cran")
DEPTH = 100
CACHE = ROOT / "bench" / "work" / "relevance"
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "articles.jsonl.gz"
_PUNCTUATION = re.compile(r"[^\w\s]+")


# --- the collections ------------------------------------------------------------------------------

def read_queries(folder: Path) -> dict:
    """``{qid: text}`` from ``queries.tsv``."""
    found = {}
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            qid, text = line.split("\t", 1)
            found[qid.strip()] = text
    return found


def read_qrels(folder: Path) -> dict:
    """``{qid: {docid: gain}}`` from TREC-format ``qrels.txt`` (gain 0 means not relevant)."""
    found = collections.defaultdict(dict)
    for line in (folder / "qrels.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            found[parts[0]][parts[2]] = int(parts[3])
    return dict(found)


def read_articles(folder: Path):
    with gzip.open(folder / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


# --- measures -------------------------------------------------------------------------------------

def ndcg(ranked: list, gains: dict, k: int = 10) -> float:
    """nDCG@k with gain 2^g - 1 and log2 discount."""
    dcg = sum((2 ** gains.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def precision(ranked: list, gains: dict, k: int = 10) -> float:
    return sum(1 for d in ranked[:k] if d in gains) / k


def average_precision(ranked: list, gains: dict, k: int = DEPTH) -> float:
    hits, total = 0, 0.0
    for i, d in enumerate(ranked[:k]):
        if d in gains:
            hits += 1
            total += hits / (i + 1)
    return total / len(gains) if gains else 0.0


def recall(ranked: list, gains: dict, k: int = DEPTH) -> float:
    return len(set(ranked[:k]) & set(gains)) / len(gains) if gains else 0.0


def score_runs(runs: dict, qrels: dict) -> dict:
    """Mean measures of ``{qid: ranked ids}`` over the judged queries."""
    judged = [q for q in qrels if q in runs]
    n = len(judged) or 1
    return {
        "ndcg10": sum(ndcg(runs[q], qrels[q]) for q in judged) / n,
        "p10": sum(precision(runs[q], qrels[q]) for q in judged) / n,
        "map100": sum(average_precision(runs[q], qrels[q]) for q in judged) / n,
        "recall100": sum(recall(runs[q], qrels[q]) for q in judged) / n,
        "no_hit": sum(1 for q in judged if not runs[q]),
        "queries": len(judged),
    }


# --- Tantivy --------------------------------------------------------------------------------------

def tantivy_runs(folder: Path, queries: dict, depth: int = DEPTH) -> dict:
    """Ranked ids per query from Tantivy's BM25 (title + body, English stemmer, default OR)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("body", tokenizer_name="en_stem")
    index = tantivy.Index(builder.build())
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for article in read_articles(folder):
        writer.add_document(tantivy.Document(id=article["id"], title=article.get("title") or "",
                                             body=article.get("body") or ""))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    runs = {}
    for qid, text in queries.items():
        cleaned = _PUNCTUATION.sub(" ", text).strip()
        if not cleaned:
            runs[qid] = []
            continue
        query = index.parse_query(cleaned, ["title", "body"])
        hits = searcher.search(query, depth).hits
        runs[qid] = [searcher.doc(address)["id"][0] for _, address in hits]
    return runs


# --- newsearch ------------------------------------------------------------------------------------

def build_index(folder: Path, cache: Path) -> Path:
    """A newsearch index of the set, built by the real reindex and kept until its input changes."""
    from index import reindex

    source = folder / "articles.jsonl.gz"
    stamp = hashlib.sha1(source.read_bytes()).hexdigest()[:12]
    target = cache / f"{folder.name}-{stamp}"
    if not (target / ".built").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        reindex([source], target, workers=0)
        (target / ".built").write_text(stamp)
    return target


def newsearch_runs(index_dir: Path, queries: dict, depth: int = DEPTH) -> tuple[dict, dict]:
    """Ranked ids per query through the path of ``/api/search``, and each answer's ``match``."""
    import search

    service = search.SearchService(index_dir)
    runs, rules = {}, {}
    try:
        for qid, text in queries.items():
            req = search.SearchRequest.from_params({"q": [text], "per_page": [str(depth)]})
            try:
                result = search.search(service, req)
            except (search.BadQuery, search.BadRequest):  # a 400 answer: the reader gets nothing
                runs[qid], rules[qid] = [], None
                continue
            runs[qid] = [hit["id"] for hit in result.hits]
            rules[qid] = result.to_json().get("match")
    finally:
        service.close()
    return runs, rules


# --- latency of long queries -----------------------------------------------------------------------

def long_queries(articles: Path, count: int = 20, words: int = 40) -> list:
    """``count`` pasted passages of ``words`` words: the start of every 500th article's body (its
    punctuation kept, so brackets and quotes come as they are)."""
    found = []
    with gzip.open(articles, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, 0, None, 500):
            text = " ".join((json.loads(line).get("body") or "").split()[:words])
            if len(text.split()) == words:
                found.append(text)
            if len(found) == count:
                break
    return found


def long_query_latency(index_dir: Path, articles: Path, repeat: int = 3) -> dict:
    """In-process milliseconds of ``/api/search`` for 40-word passages, in a process that has first
    answered bench.perf's 50-query mix (as a running server would have): p50 and p95 of every
    passage's first run (its rarer words decoded for the first time) and of the runs after, in wall
    time and in this thread's CPU time (which a machine shared with other jobs inflates less)."""
    from bench.perf_http import load_queries
    from bench.perf_http import query_path
    from web import create_app

    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    for query in load_queries():
        client.get(query_path(query, "newsearch"))
    first, again = ([], []), ([], [])
    for run in range(repeat):
        for text in long_queries(articles):
            started, cpu = time.perf_counter(), time.thread_time()
            response = client.get("/api/search", query_string={"q": text})
            wall, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
            for times, value in zip(first if run == 0 else again, (wall, cpu)):
                times.append(value)
            assert response.status_code == 200, response.get_json()
    return {name: {"queries": len(wall), "p50": round(_percentile(wall, 50), 1),
                   "p95": round(_percentile(wall, 95), 1), "cpu p50": round(_percentile(cpu, 50), 1),
                   "cpu p95": round(_percentile(cpu, 95), 1)}
            for name, (wall, cpu) in (("first run", first), ("runs after", again))}


def _percentile(values, p) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


# --- report ---------------------------------------------------------------------------------------

COLUMNS = ("ndcg10", "p10", "map100", "recall100", "no_hit")


def table(rows: list) -> str:
    """A Markdown table of ``(set, engine, measures)`` rows."""
    lines = ["| set | engine | nDCG@10 | P@10 | MAP@100 | recall@100 | queries with no hit |",
             "|---|---|---|---|---|---|---|"]
    for name, engine, m in rows:
        cells = [f"{m[c]:.3f}" for c in COLUMNS[:-1]] + [f"{m['no_hit']} of {m['queries']}"]
        lines.append(f"| {name} | {engine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(ours: dict, theirs: dict) -> str:
    ratio = ours["ndcg10"] / theirs["ndcg10"] if theirs["ndcg10"] else float("inf")
    ok = ratio >= 1.10 and ours["map100"] >= theirs["map100"] and not ours["no_hit"]
    return f"nDCG@10 ×{ratio:.3f}, MAP@100 {ours['map100'] - theirs['map100']:+.3f} → {'met' if ok else 'NOT met'}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--folds", action="store_true", help="also tune leave-one-collection-out")
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--long-queries", type=Path, metavar="INDEX",
                        help="only time 40-word queries against this Reuters index")
    args = parser.parse_args(argv)
    if args.long_queries:
        print(long_query_latency(args.long_queries, REUTERS))
        return 0
    if not CORPORA.is_dir():
        print(f"skipped: {CORPORA} is absent", file=sys.stderr)
        return 0
    names = [n for n in args.sets.split(",") if n]
    if not args.no_tantivy and importlib.util.find_spec("tantivy") is None:
        print("Tantivy is not installed (pip install -e '.[bench]'): newsearch alone", file=sys.stderr)
        args.no_tantivy = True
    rows, data, reference = [], {}, {}
    for name in names:
        folder = CORPORA / name
        queries, qrels = read_queries(folder), read_qrels(folder)
        queries = {q: t for q, t in queries.items() if q in qrels}
        started = time.perf_counter()
        index_dir = build_index(folder, args.cache)
        runs, _ = newsearch_runs(index_dir, queries)
        took = time.perf_counter() - started
        ours = score_runs(runs, qrels)
        data[name] = (index_dir, queries, qrels)
        rows.append((name, "newsearch", ours))
        if not args.no_tantivy:
            theirs = reference[name] = score_runs(tantivy_runs(folder, queries), qrels)
            rows.append((name, "Tantivy BM25", theirs))
            print(f"{name}: {verdict(ours, theirs)} ({took:.1f} s)", file=sys.stderr)
    print(table(rows))
    if args.folds:
        from bench.relevance_tuning import held_out

        print()
        print(held_out(data, reference or None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
