"""Near-duplicate grouping measured: the rule of ``index/dedup.py`` against the MinHash-only rule before it.

Extracts a corpus the way a reindex does, assigns cluster keys with :class:`index.dedup.Clusters` in
input order under both rules (the old one sees the MinHash part of each signature alone, as it stored
it), and prints how many groups and grouped articles change. Every pair newly put together (an article
and its cluster's first article) is checked on the full texts: exact 4-shingle Jaccard and containment,
and the share of key tokens (numbers, capitalised words) of one found in the other. Pairs with little
shared text are listed for a look by eye (``--show N`` lists N of the new pairs at random).

    .venv/bin/python -m bench.near_duplicates ../shared/corpora/reuters21578/articles.jsonl.gz
    .venv/bin/python -m bench.near_duplicates ../shared/corpora/bbc-fulltext/articles.jsonl.gz \\
        ../shared/corpora/html-trafilatura-dev/html --show 20
"""

import argparse
import collections
import random
import re
import time

from index import Skipped
from index import extract_articles
from index.dedup import HASHES
from index.dedup import Clusters

_WORD = re.compile(r"\w+")


def clusters_of(articles, old: bool) -> dict:
    """``{article id: cluster key}`` in input order (``old``: the MinHash part of each signature only)."""
    found = {}
    with Clusters() as clusters:
        for article in articles:
            sig = article.signature
            if old and sig is not None:
                sig = tuple(sig[:HASHES])
            found[article.id] = clusters.assign(article.id, sig)
    return found


def groups(assigned: dict) -> dict:
    members = collections.defaultdict(list)
    for article_id, key in assigned.items():
        members[key].append(article_id)
    return {key: ids for key, ids in members.items() if len(ids) > 1}


def shingles(text: str) -> set:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}


def keys(text: str) -> set:
    return {t.lower() for t in _WORD.findall(text) if t[0].isdigit() or t[0].isupper()}


def pair_measures(a, b) -> dict:
    """Exact similarity of two articles' texts."""
    sa, sb = shingles(a.body), shingles(b.body)
    ka, kb = keys(a.body), keys(b.body)
    common = len(sa & sb)
    return {
        "jaccard": common / max(1, len(sa | sb)),
        "containment": common / max(1, min(len(sa), len(sb))),
        "keys": len(ka & kb) / max(1, min(len(ka), len(kb))),
        "same_title": a.title.strip().lower() == b.title.strip().lower(),
        "days": abs((a.date - b.date).days) if a.date and b.date else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--show", type=int, default=12, help="new pairs to list (at random)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    articles = [a for a in extract_articles(args.paths, workers=0) if not isinstance(a, Skipped)]
    by_id = {a.id: a for a in articles}
    print(f"{len(articles):,} articles extracted in {time.perf_counter() - started:.0f} s")
    before, after = clusters_of(articles, old=True), clusters_of(articles, old=False)
    for name, assigned in (("MinHash only (before)", before), ("dedup rule (after)", after)):
        found = groups(assigned)
        print(f"{name}: {len(set(assigned.values())):,} clusters; {len(found):,} groups of 2+ holding "
              f"{sum(map(len, found.values())):,} articles")
    new = [(i, after[i]) for i in after if after[i] != i and before[i] != after[i]]
    lost = [i for i in before if before[i] != i and after[i] == i]
    print(f"articles newly grouped: {len(new):,}; no longer grouped: {len(lost):,}")
    measured = [(i, key, pair_measures(by_id[i], by_id[key])) for i, key in new]
    for label, test in (("exact containment >= 0.9", lambda m: m["containment"] >= 0.9),
                        ("same day and key tokens >= 0.9", lambda m: m["days"] == 0 and m["keys"] >= 0.9),
                        ("neither (look at these)", lambda m: m["containment"] < 0.9 and not (
                            m["days"] == 0 and m["keys"] >= 0.9))):
        print(f"  {label}: {sum(test(m) for _, _, m in measured):,}")
    print(f"  same title: {sum(m['same_title'] for _, _, m in measured):,}")
    weak = sorted(measured, key=lambda x: x[2]["containment"])[:args.show]
    shown = random.Random(15).sample(measured, min(args.show, len(measured)))
    for heading, rows in (("least shared text", weak), ("at random", shown)):
        print(f"\nNew pairs, {heading}:")
        for i, key, m in rows:
            print(f"  J={m['jaccard']:.2f} C={m['containment']:.2f} keys={m['keys']:.2f} days={m['days']} | "
                  f"{i}: {by_id[i].title[:50]!r} | {key}: {by_id[key].title[:50]!r}")


if __name__ == "__main__":
    main()
