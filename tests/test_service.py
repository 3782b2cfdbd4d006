"""The search service: searchers per thread, its one cache of built arrays, commits and generations.

Indexes here are literal (tests/literal.py), written with the writer directly.
"""

import threading

import numpy as np
import pytest

from index.store import IndexMissing
from index.store import open_current
from literal import ARTICLES
from literal import add_articles
from literal import index_folder
from search import SearchRequest
from search import SearchService
from search import search
from search.cache import SearchCache
from search.postings import Postings

EXTRA = [{"id": "b1", "title": "Zulu one", "date": "2020-05-01", "body": "Zulu xray charlie."},
         {"id": "b2", "title": "Zulu two", "date": "2020-05-02", "body": "Zulu yankee."}]


def run(service, **params):
    params = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    return search(service, SearchRequest.from_params(params))


def ids(result):
    return [hit["id"] for hit in result.hits]


@pytest.fixture
def folder(tmp_path):
    return index_folder(tmp_path / "ix")


def test_facet_arrays_built_once_per_segment(service):
    run(service, q="alfa")
    before = service.cache.built["facets"]
    for word in ("alfa", "bravo", "charlie", "delta", "echo") * 4:
        run(service, q=word)
    assert service.cache.built["facets"] == before and before >= 1


def test_posting_lists_decoded_once_per_segment(service):
    """Searching the same words again reads their decoded posting lists from the cache."""
    queries = ["alfa", "bravo charlie", '"upstream release"', "delta NOT golf"]
    for q in queries:
        run(service, q=q)
    decoded, hits = service.cache.built["postings"], service.cache.hits["postings"]
    for q in queries * 5:
        run(service, q=q)
    assert service.cache.built["postings"] == decoded
    assert service.cache.hits["postings"] - hits >= len(queries * 5)


def test_phrase_answers_and_term_statistics_are_kept_in_the_service_cache(service):
    """Ranking asks for a phrase's answer per segment and each word's statistics per commit: built once."""
    for _ in range(3):
        run(service, q='"upstream release" charlie')
    assert service.cache.built["phrases"] >= 1 and service.cache.hits["phrases"] >= 2
    assert service.cache.built["term_stats"] == 1 and service.cache.hits["term_stats"] >= 2


def test_cache_stays_within_its_memory_bound():
    cache = SearchCache(max_bytes=10_000)
    ids_ = np.arange(250, dtype=np.int32)
    for i in range(100):
        cache.get(("postings", "segment", "body", f"w{i}"), lambda: Postings(ids_, ids_.astype(np.float64)))
        assert cache.bytes <= 10_000
    assert cache.built["postings"] == 100 and len(cache) < 100
    assert cache.get(("postings", "segment", "body", "w99"), lambda: None) is not None
    assert cache.get(("postings", "segment", "body", "w0"), lambda: "rebuilt") == "rebuilt"


def test_cache_drops_least_recently_used_first():
    cache = SearchCache(max_bytes=3 * 1200)
    for key in ("a", "b", "c"):
        cache.get(("kind", key), lambda: np.zeros(1000, dtype=np.uint8))
    cache.get(("kind", "a"), lambda: None)  # used again: "b" is now the oldest
    cache.get(("kind", "d"), lambda: np.zeros(1000, dtype=np.uint8))
    kept = {key: cache.get(("kind", key), lambda: "rebuilt") for key in "abcd"}
    assert isinstance(kept["a"], np.ndarray) and kept["b"] == "rebuilt"


def test_cache_accounts_for_positions_decoded_later(index_dir):
    service = SearchService(index_dir)
    try:
        run(service, q="upstream release")
        before = service.cache.bytes
        run(service, q='"upstream release"')
        assert service.cache.bytes > before
    finally:
        service.close()


def test_cache_builds_a_value_once_for_concurrent_threads():
    cache, calls = SearchCache(), []
    gate = threading.Event()

    def build():
        calls.append(1)
        gate.wait(5)
        return np.zeros(10)

    threads = [threading.Thread(target=cache.get, args=(("kind", "x"), build)) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.hits["kind"] >= 3


def test_cache_size_is_the_setting(tmp_path):
    service = SearchService(index_folder(tmp_path / "ix"), cache_mb=0.01)
    try:
        for word in ("alfa", "bravo", "charlie", "delta", "echo", "golf", "kilo", "lima"):
            run(service, q=word)
        cache = service.cache
        within = cache.bytes - cache.held_bytes <= cache.max_bytes  # what the commit's warm-up holds aside
        assert cache.max_bytes == 10_485 and (within or len(cache) == 1)
        assert sum(cache.built.values()) > len(cache)  # some were dropped
    finally:
        service.close()


def test_searcher_is_reused(service):
    run(service, q="alfa")
    opened = service.opened
    for _ in range(5):
        run(service, q="bravo")
    assert service.opened == opened
    assert service.searcher() is service.searcher()


def test_each_thread_has_its_own_searcher_and_one_cache(service):
    found = []
    worker = threading.Thread(target=lambda: found.append(service.searcher()))
    worker.start()
    worker.join()
    assert found[0] is not service.searcher() and found[0].cache is service.searcher().cache


def test_a_commit_is_seen_by_the_next_search(folder):
    service = SearchService(folder)
    try:
        assert run(service, q="zulu").total == 0
        _, ix = open_current(folder)
        add_articles(ix, EXTRA)
        ix.close()
        assert sorted(ids(run(service, q="zulu"))) == ["b1", "b2"]
    finally:
        service.close()


def test_deleted_documents_never_match_even_from_cached_postings(tmp_path):
    """Posting lists are cached per segment; a later deletion must still hide the documents, and a
    term whose every posting is deleted must give no hits (not an error)."""
    folder = index_folder(tmp_path / "ix", ARTICLES[:3])
    _, ix = open_current(folder)
    add_articles(ix, EXTRA)  # a second segment
    ix.close()
    service = SearchService(folder)
    try:
        assert run(service, q="zulu").total == 2
        assert run(service, q="charlie").total == 3
        _, ix = open_current(folder)
        writer = ix.writer()
        writer.delete_by_term("id", "b1")
        writer.delete_by_term("id", "b2")
        writer.commit(merge=False)
        ix.close()
        assert run(service, q="zulu").total == 0
        assert ids(run(service, q="charlie")) and "b1" not in ids(run(service, q="charlie"))
        assert run(service, q="charlie").total == 2
        assert run(service, q='"zulu xray"').total == 0
    finally:
        service.close()


def test_phrase_positions_are_read_with_the_searching_threads_own_reader(index_dir):
    """Cached posting lists are shared by threads, readers are not: positions decoded later for a
    phrase must come through the reader of the thread that needs them, not the one that first read
    the list (which may be closed, or in use by its own thread)."""
    service = SearchService(index_dir)
    try:
        worker = threading.Thread(target=lambda: run(service, q="upstream release"))
        worker.start()
        worker.join()
        service.close()  # the worker thread's searcher, and its readers, are closed
        assert ids(run(service, q='"upstream release"')) == ["a2"]
    finally:
        service.close()


def test_a_new_generation_is_opened_and_its_aliases_read(tmp_path):
    folder = index_folder(tmp_path / "ix")
    service = SearchService(folder)
    try:
        assert run(service).total == 5
        index_folder(folder, ARTICLES[:2])  # a full rebuild: a new generation goes live
        assert run(service).total == 2
        assert service.searcher().aliases.mapping == {}
    finally:
        service.close()


def test_no_index_is_index_missing(tmp_path):
    service = SearchService(tmp_path / "nothing")
    with pytest.raises(IndexMissing):
        service.searcher()
    service.warm_up()  # nothing to warm: no error either


def test_matches_made_before_a_switch_are_counted_with_their_own_segments(tmp_path):
    """A page's follow-up counts (co-mentions, figure values) reuse its matches, even when a new
    generation went live in between (the 500 seen under load)."""
    import search as read_side

    folder = index_folder(tmp_path / "ix")
    service = SearchService(folder)
    try:
        result = search(service, SearchRequest())
        index_folder(folder, ARTICLES[:2])
        co = read_side.co_mentions(service, result)
        assert [c["figure"] for c in co][:2] == ["Igor Rudeni", "Valentina Matvienko"]
        assert read_side.figure_values(service, result, "rud")["values"][0]["count"] == 2
    finally:
        service.close()
