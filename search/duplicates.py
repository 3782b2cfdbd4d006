"""Listing near-identical stories once: groups of articles that share a ``cluster`` key.

The write side gives every article a cluster key (see :mod:`index.dedup`); most clusters hold one
article. For each index generation this module finds, once, the clusters with several members and
where those members are. A search then lists only the best-ranked member of each cluster, with
``similar`` = how many others of the same cluster match too. Totals, facets and exports are unchanged:
grouping only changes how hits are listed.
"""

import bisect
import collections

import numpy as np

from search.facets import column_values


class DupGroups:
    """The multi-member clusters of one index generation, by global document number."""

    def __init__(self, leaves):
        members = collections.defaultdict(list)
        for leaf in leaves:
            if "cluster" not in leaf.reader.schema or not leaf.size:
                continue
            for docnum, key in enumerate(column_values(leaf.reader, "cluster")):
                members[key].append(leaf.offset + docnum)
        members = {key.decode("utf-8") if isinstance(key, bytes) else key: docs for key, docs in members.items()}
        self.members = {key: docs for key, docs in members.items() if len(docs) > 1}
        self.group_of = {doc: key for key, docs in self.members.items() for doc in docs}
        #: Per segment offset, the (local) documents that belong to a multi-member cluster (an array).
        local = collections.defaultdict(list)
        offsets = sorted(leaf.offset for leaf in leaves)
        for doc in sorted(self.group_of):
            offset = offsets[bisect.bisect_right(offsets, doc) - 1]
            local[offset].append(doc - offset)
        self.local = {offset: np.array(docs, dtype=np.int64) for offset, docs in local.items()}

    @property
    def nbytes(self) -> int:
        """About how much memory the groups take (about 150 bytes per member document)."""
        return 150 * len(self.group_of) + sum(a.nbytes for a in self.local.values())

    def _matching(self, seg) -> np.ndarray:
        members = self.local.get(seg.offset)
        if members is None:
            return members
        return members[seg.final[members]]

    def counts(self, segments) -> collections.Counter:
        """How many matching documents each multi-member cluster has (no scan of all the matches)."""
        found = collections.Counter()
        for seg in segments:
            members = self._matching(seg)
            if members is not None:
                found.update(self.group_of[seg.offset + d] for d in members.tolist())
        return found

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
