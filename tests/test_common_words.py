"""A common word at scale: what grows with the number of matches is done in arrays, with the same answers."""

import collections
import itertools
import random

import numpy as np

from literal import ARTICLES
from literal import ram_searcher
from search.duplicates import best_per_group
from search.duplicates import dup_groups
from search.scoring import grouped_top
from search.scoring import top
from search.segments import Segment


def test_grouped_top_equals_grouping_every_match():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(0, 400)
        ids = np.array(sorted(rng.sample(range(5000), n)), dtype=np.int64)
        values = np.array([rng.choice([0.5, 1.0, 1.5, 2.0]) * rng.randint(1, 3) for _ in range(n)])
        group_of = {int(d): f"c{rng.randint(0, 20)}" for d in ids if rng.random() < 0.9}
        stop = rng.randint(1, 30)
        extra = sum(1 for d in ids.tolist() if d in group_of)
        expected = list(itertools.islice(best_per_group(top(ids, values, stop + extra), group_of), stop))
        assert grouped_top(ids, values, stop, extra, group_of) == expected


def test_cluster_counts_of_the_matches():
    records = [dict(a, id=f"{a['id']}-{i}") for i in range(3) for a in ARTICLES]
    clusters = {r["id"]: r["id"].split("-")[0] for r in records if not r["id"].startswith("a5")}
    searcher = ram_searcher(records, clusters)
    groups = dup_groups(searcher)
    assert groups.members == {key: [d for d in range(15) if records[d]["id"].startswith(key)]
                              for key in ("a1", "a2", "a3", "a4")}
    leaf = searcher.leaves[0]
    final = np.zeros(leaf.size, dtype=bool)
    final[[0, 1, 5, 6, 10, 4, 9]] = True  # a1 ×2, a2 ×2, a1, a5 ×2 (alone)
    seg = Segment(leaf.offset, leaf, leaf.facets, final, final, final, final, final)
    expected = collections.Counter(groups.group_of[d] for d in np.flatnonzero(final) if d in groups.group_of)
    assert groups.counts([seg]) == expected == {"a1": 3, "a2": 2}
    assert groups.matching_members([seg]) == 5
