"""Long-lived searchers over the live index generation, one per thread, and the cache they share.

A Whoosh ``Searcher`` is not thread-safe but is expensive to open, so each thread keeps its own and
checks before every use that it still reads the latest commit; after a commit it opens a new one
(not ``Searcher.refresh()``, which keeps old readers for unchanged segments and so misses deletions
committed to them). A full reindex switches to a new generation folder; the service notices the
pointer change and opens the new generation.

The service owns the one :class:`~search.cache.SearchCache` of everything built from the index
(decoded posting lists, facet arrays, ...), shared by its threads and bounded by ``cache_mb``.
"""

import os
import threading
import time
from pathlib import Path

from index.schema import DEFAULT_FIELDS
from index.store import ALIASES
from index.store import IndexBroken
from index.store import IndexIncompatible
from index.store import IndexMissing
from index.store import current_generation
from index.store import open_current
from index.store import open_searcher
from index.whoosh_compat.reading import apply_read_patches
from search.aliases import NO_ALIASES
from search.aliases import read_aliases
from search.cache import CACHE_MB
from search.cache import SearchCache
from search.deadline import postpone
from search.searcher import Searcher


class SearchService:
    """The read side's handle on one index folder.

    :param index_dir: the folder ``newsearch reindex --index`` writes.
    :param cache_mb: memory the cache of built arrays may take (``CACHE_MB`` in the app's config).
    :param time_limit: seconds a search may spend matching, and again on the rest of its answer
        (``SEARCH_TIME_LIMIT``); None for no limit (the CLI, tests). Every read of the service
        (search, count, facet search, highlighting, feed, export) runs under it.
    :param export_time_limit: seconds an export may stream (``EXPORT_TIME_LIMIT``); None for none.
    """

    def __init__(self, index_dir, cache_mb: float = CACHE_MB, time_limit: float | None = None,
                 export_time_limit: float | None = None):
        apply_read_patches()
        self.index_dir = index_dir
        self.time_limit = time_limit
        self.export_time_limit = export_time_limit
        #: Everything built from the index and kept between searches (all threads).
        self.cache = SearchCache(int(cache_mb * 1024 * 1024))
        self._local = threading.local()
        self._lock = threading.Lock()
        self._index = None
        self._generation = None
        self._searchers = []
        self.opened = 0
        self._alias_key = None
        self._figure_aliases = NO_ALIASES

    def searcher(self) -> Searcher:
        """This thread's :class:`~search.searcher.Searcher`, current with the latest commit.

        :raise index.store.IndexMissing: when the folder holds no index.
        :raise index.store.IndexIncompatible: when it holds an index this version cannot read.
        :raise index.store.IndexBroken: when a file of the index cannot be read.
        """
        ix, generation = self._current_index()
        s = getattr(self._local, "searcher", None)
        if s is None or self._local.generation != generation or not s.up_to_date():
            # A new commit or generation: open a fresh searcher. Whoosh's refresh() would reuse the
            # readers of segments whose id is unchanged, and so miss deletions committed to them.
            s = self._open_searcher(ix, generation)
        self._local.searcher, self._local.generation = s, generation
        aliases = self._aliases(generation)
        view = getattr(self._local, "view", None)
        if view is None or view.whoosh is not s or view.aliases is not aliases:
            view = self._local.view = Searcher(s, aliases, self.cache, folder=generation)
            # A new commit for this thread: what every search reads may not be built yet (the server
            # has just started, or a reindex committed). Waiting for it is not the request's work.
            started = time.monotonic()
            warm(view)
            postpone(time.monotonic() - started)
        return view

    def _aliases(self, generation):
        """The generation's figure aliases, re-read when the file changes (after each commit)."""
        try:
            stamp = os.stat(Path(generation) / ALIASES).st_mtime_ns
        except OSError:
            stamp = None
        with self._lock:
            if self._alias_key != (generation, stamp):
                self._alias_key, self._figure_aliases = (generation, stamp), read_aliases(generation)
            return self._figure_aliases

    def warm_up(self) -> None:
        """Build what passes over the whole index before requests need it (run in the background).

        First what every search uses (:func:`warm`, run by :meth:`searcher` for a new commit), then the
        autocomplete vocabulary, which reads every stored title. A request that comes before finds the
        first part half built: it builds (or waits for) what it needs and answers the same, only slower. Does nothing when there is no
        (readable) index yet: requests will say why.
        """
        from search.suggest import vocabulary

        try:
            vocabulary(self.searcher())  # opening this thread's searcher warms the commit first
        except (IndexMissing, IndexIncompatible, IndexBroken):
            pass

    def close(self) -> None:
        """Close every searcher this service opened (on shutdown)."""
        with self._lock:
            for s in self._searchers:
                s.close()
            self._searchers.clear()

    def _current_index(self):
        gen = current_generation(self.index_dir)
        with self._lock:
            if self._index is None or gen != self._generation:
                self._generation, self._index = open_current(self.index_dir)
            return self._index, self._generation

    def _open_searcher(self, ix, generation):
        old = getattr(self._local, "searcher", None)
        if old is not None:
            self._forget(old)
        self.opened += 1
        return self._remember(open_searcher(ix, generation))

    def _remember(self, s):
        with self._lock:
            self._searchers.append(s)
        return s

    def _forget(self, s):
        with self._lock:
            if s in self._searchers:
                self._searchers.remove(s)
        s.close()


def warm(searcher) -> None:
    """Build the arrays every search of ``searcher``'s commit reads: each segment's facet arrays,
    live-documents mask and field lengths (for ranking), the near-duplicate groups and the figure
    table (for facet counts and filters). They are held in the cache until a newer commit is warmed
    (:meth:`~search.cache.SearchCache.holding`)."""
    from search.duplicates import dup_groups
    from search.facets import figure_table
    from search.languages import index_languages
    from search.languages import searched_fields

    with searcher.cache.holding(searcher.key):
        fields = searched_fields(DEFAULT_FIELDS, index_languages(searcher))
        for leaf in searcher.leaves:
            leaf.warm(fields)
        dup_groups(searcher)
        if searcher.leaves:
            figure_table(searcher.cache, [leaf.facets for leaf in searcher.leaves])
