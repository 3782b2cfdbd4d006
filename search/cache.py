"""One memory-bounded cache for everything the read side builds from the index and keeps between searches.

Segments never change once written (deletions only hide documents), so what is built from one segment
(decoded posting lists, facet arrays, field lengths, title words, phrase answers) stays true for the
segment's life, and a segment's live-documents mask stays true for its number of deletions. What is
built from a whole commit (the figure table, near-duplicate groups, the autocomplete vocabulary, the
words known to the index, term statistics) stays true for that set of segments. The keys say which
(see :mod:`search.searcher`), so one cache serves every thread of a process and every commit it sees,
and nothing is ever stale.

One policy for all of it: least recently used dropped first, bounded in bytes (the ``CACHE_MB``
setting), with two exceptions for what every search reads (facet arrays, live-documents masks, field
lengths, near-duplicate groups, the figure table), since rebuilding a segment's facet arrays costs
seconds at a million articles and a posting list milliseconds:

- what the newest commit's warm-up built (:meth:`SearchCache.holding`) is *held*: never dropped, and
  not counted against the bound, until a newer commit is warmed. Its size follows the index (about
  0.4 KB an article), so a bound set too low for a large archive cannot make every search rebuild it;
- the rest of it (an older commit's, or built outside a warm-up) goes only when what single searches
  built (posting lists, phrase answers, ...) is all gone.

A :class:`~search.service.SearchService` owns one.
"""

import collections
import contextlib
import sys
import threading

#: Memory the cache of one search service may take, in MB (``CACHE_MB`` in the app's config).
CACHE_MB = 160
#: Bytes counted for an entry on top of its value (the key, the bookkeeping).
ENTRY_BYTES = 200
#: Kinds of values every search reads (built over a whole segment or commit, and slow to build again):
#: dropped only when nothing a single search built is left to drop.
EVERY_SEARCH = frozenset({"facets", "live", "lengths", "dup_groups", "figure_table", "languages",
                          "arrays"})


class SearchCache:
    """Values by key, built on first use, least recently used dropped past ``max_bytes`` (what is
    held aside, see :meth:`holding`).

    The first element of a key is its kind (``"postings"``, ``"facets"``, ...): :attr:`built` and
    :attr:`hits` count by kind, for tests and benchmarks.
    """

    def __init__(self, max_bytes: int = CACHE_MB * 1024 * 1024):
        self.max_bytes = max_bytes
        self.bytes = 0
        #: How many values of each kind were built, and how many were found already built.
        self.built = collections.Counter()
        self.hits = collections.Counter()
        self._items = collections.OrderedDict()
        self._lock = threading.Lock()
        self._building = {}
        #: Keys of what every search of the newest warmed commit reads, and that commit's key.
        self._held = set()
        self._held_for = None
        self._thread = threading.local()

    @contextlib.contextmanager
    def holding(self, commit):
        """Within it, this thread's values of :data:`EVERY_SEARCH` kinds are held for ``commit`` (a
        hashable key of the commit's segments): kept whatever the bound, until values are held for
        another commit. A warm-up runs inside it, so the newest commit's shared arrays never leave.
        (Two commits warmed at once by two threads: the last one started is held, the other's values
        stay cached under the ordinary rule.)"""
        with self._lock:
            if commit != self._held_for:
                self._held_for, self._held = commit, set()
        self._thread.commit = commit
        try:
            yield
        finally:
            self._thread.commit = None

    @property
    def held_bytes(self) -> int:
        """Bytes of the values held for the newest warmed commit (not counted against the bound)."""
        with self._lock:
            return self._held_size()

    def get(self, key, build):
        """The value under ``key``; ``build()`` makes it when it is not kept (once, whatever the threads).

        The value's size is :func:`size_of`; it is kept even when larger than the bound (until the
        next value comes), so a search can always finish.
        """
        found = self._lookup(key)
        if found is not None:
            self._hold(key)
            return found[0]
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                found = self._lookup(key)
                if found is None:
                    value = build()
                    self._put(key, value)
                    found = (value,)
        finally:
            with self._lock:
                self._building.pop(key, None)
        self._hold(key)
        return found[0]

    def _hold(self, key) -> None:
        commit = getattr(self._thread, "commit", None)
        if commit is not None and key[0] in EVERY_SEARCH:
            with self._lock:
                if commit == self._held_for:
                    self._held.add(key)

    def resize(self, key, value) -> None:
        """Count ``value`` again after it grew (e.g. positions decoded into a posting list)."""
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry[0] is value:
                size = size_of(value)
                self.bytes += size - entry[1]
                self._items[key] = (value, size)
                self._evict()

    def clear(self) -> None:
        """Drop everything (counters are kept)."""
        with self._lock:
            self._items.clear()
            self._held.clear()
            self.bytes = 0

    def __len__(self):
        return len(self._items)

    def _lookup(self, key):
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            self.hits[key[0]] += 1
            return entry

    def _put(self, key, value) -> None:
        size = size_of(value)
        with self._lock:
            self.built[key[0]] += 1
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            self._evict()

    def _evict(self) -> None:
        """Drop the least recently used of what one search built (posting lists, phrase answers, ...)
        first; what every search reads (:data:`EVERY_SEARCH`) only when nothing else is left; what is
        held never (it does not count against the bound)."""
        if self.bytes <= self.max_bytes:
            return
        budget = self.max_bytes + self._held_size()
        spared = 0  # values every search reads, met at the old end and moved to the new end
        while self.bytes > budget and spared < len(self._items) > 1:
            key = next(iter(self._items))
            if key[0] in EVERY_SEARCH:
                self._items.move_to_end(key)
                spared += 1
            else:
                self.bytes -= self._items.pop(key)[1]
        if self.bytes <= budget:
            return
        for key in [key for key in self._items if key not in self._held]:
            if self.bytes <= budget or len(self._items) <= 1:
                break
            self.bytes -= self._items.pop(key)[1]

    def _held_size(self) -> int:
        return sum(self._items[key][1] for key in self._held if key in self._items)


def size_of(value) -> int:
    """The bytes a cached value takes: its ``nbytes`` (numpy arrays and the read side's own structures
    define it), else an estimate for a dict or a Counter of short keys."""
    found = getattr(value, "nbytes", None)
    if found is None:
        found = sys.getsizeof(value) + sum(sys.getsizeof(k) for k in value) if isinstance(value, dict) \
            else sys.getsizeof(value)
    return int(found) + ENTRY_BYTES
