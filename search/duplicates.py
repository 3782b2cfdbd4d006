"""Listing near-identical stories once: groups of articles that share a ``cluster`` key.

The write side gives every article a cluster key (see :mod:`index.dedup`); most clusters hold one
article. For each index generation this module finds, once, the clusters with several members and
where those members are. A search then lists only the best-ranked member of each cluster, with
``similar`` = how many others of the same cluster match too. Totals, facets and exports are unchanged:
grouping only changes how hits are listed.
"""

import collections

import numpy as np


class DupGroups:
    """The multi-member clusters of one index generation, by global document number."""

    def __init__(self, leaves):
        leaves = [leaf for leaf in leaves if "cluster" in leaf.reader.schema and leaf.size]
        index = {}
        per_leaf = []
        for leaf in leaves:  # each segment's cluster keys (facet ordinals) numbered across the commit
            f = leaf.facets
            numbers = np.array([index.setdefault(key, len(index)) for key in f.clusters], dtype=np.int64)
            per_leaf.append((leaf.offset, numbers[f.cluster]))
        #: The cluster keys, by the number :attr:`local_cluster` gives them.
        self.keys = list(index)
        sizes = np.bincount(np.concatenate([n for _, n in per_leaf]), minlength=len(self.keys)) \
            if per_leaf else np.zeros(0, dtype=np.int64)
        #: Per segment offset, the (local) documents that belong to a multi-member cluster (an array),
        #: and the number of each one's cluster.
        self.local, self.local_cluster = {}, {}
        for offset, numbers in per_leaf:
            docs = np.flatnonzero(sizes[numbers] > 1)
            if len(docs):
                self.local[offset], self.local_cluster[offset] = docs, numbers[docs]
        docs = np.concatenate([d + o for o, d in self.local.items()]) if self.local else np.zeros(0, np.int64)
        clusters = np.concatenate(list(self.local_cluster.values())) if self.local else docs
        order = np.argsort(clusters, kind="stable")
        bounds = np.flatnonzero(np.diff(clusters[order])) + 1
        self.members = {self.keys[int(clusters[group[0]])]: docs[group].tolist()
                        for group in np.split(order, bounds) if len(group)}
        self.group_of = dict(zip(docs.tolist(), (self.keys[c] for c in clusters.tolist())))

    @property
    def nbytes(self) -> int:
        """About how much memory the groups take (about 150 bytes per member document)."""
        return 150 * len(self.group_of) + 8 * len(self.keys) \
            + sum(a.nbytes for a in self.local.values()) * 2

    def _matching(self, seg):
        """The numbers of the clusters of the segment's matching documents that have company."""
        members = self.local.get(seg.offset)
        if members is None:
            return None
        return self.local_cluster[seg.offset][seg.final[members]]

    def counts(self, segments) -> collections.Counter:
        """How many matching documents each multi-member cluster has (counted in arrays: a common word
        at a million articles matches some hundred thousand members)."""
        found = [c for c in map(self._matching, segments) if c is not None]
        if not found:
            return collections.Counter()
        clusters, counts = np.unique(np.concatenate(found), return_counts=True)
        return collections.Counter(dict(zip((self.keys[c] for c in clusters.tolist()), counts.tolist())))

    def matching_members(self, segments) -> int:
        """How many matching documents belong to a multi-member cluster."""
        return sum(len(found) for found in map(self._matching, segments) if found is not None)

    def listed_count(self, total: int, counts: collections.Counter) -> int:
        """How many hits a grouped listing shows (one per cluster), given :meth:`counts`."""
        return total - sum(n - 1 for n in counts.values() if n > 1)


def dup_groups(searcher) -> DupGroups:
    """The groups of a :class:`~search.searcher.Searcher`'s commit (built once, cached)."""
    return searcher.shared("dup_groups", lambda: DupGroups(searcher.leaves))


def best_per_group(pairs, group_of: dict):
    """Keep the first of ``pairs`` (already best first) for each cluster; singletons pass through."""
    seen = set()
    for docnum, value in pairs:
        key = group_of.get(docnum)
        if key is None:
            yield docnum, value
        elif key not in seen:
            seen.add(key)
            yield docnum, value
