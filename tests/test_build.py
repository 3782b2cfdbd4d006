import json
import os

import pytest

from index import reindex
from index.store import current_generation
from index.store import open_current
from search import SearchRequest
from search import SearchService
from search import search

pytestmark = pytest.mark.cost(8)


def jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def record(n, title=None):
    return {"id": f"r{n}", "title": title or f"Story {n}", "body": f"Body of story {n} about harbours.",
            "date": "2020-01-0%d" % (n % 9 + 1), "figures": []}


def ids(index_dir, **params):
    service = SearchService(index_dir)
    try:
        result = search(service, SearchRequest.from_params({"per_page": ["100"], **params}))
        return sorted(hit["id"] for hit in result.hits)
    finally:
        service.close()


def test_incremental_updates_only_changed_articles(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1), record(2), record(3)])
    jsonl(src / "b.jsonl", [record(4)])
    first = reindex([src], tmp_path / "ix", workers=0)
    assert (first.mode, first.added, first.documents) == ("full", 4, 4)

    jsonl(src / "a.jsonl", [record(1), record(2, title="Story two, corrected")])
    second = reindex([src], tmp_path / "ix", workers=0)
    assert (second.mode, second.added, second.updated, second.deleted, second.unchanged) == (
        "incremental", 0, 1, 1, 1)
    assert second.files_unchanged == 1
    assert ids(tmp_path / "ix", q=["corrected"]) == ["r2"]
    assert ids(tmp_path / "ix") == ["r1", "r2", "r4"]


def test_deleted_file_removes_its_articles(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    jsonl(src / "b.jsonl", [record(2), record(3)])
    reindex([src], tmp_path / "ix", workers=0)
    os.remove(src / "b.jsonl")
    report = reindex([src], tmp_path / "ix", workers=0)
    assert report.deleted == 2 and report.documents == 1


def test_second_run_does_no_work(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    reindex([src], tmp_path / "ix", workers=0)
    report = reindex([src], tmp_path / "ix", workers=0)
    assert not report.changed and report.files_read == 0 and report.files_unchanged == 1


def test_touched_but_unchanged_file_re_extracts_nothing(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1), record(2)])
    reindex([src], tmp_path / "ix", workers=0)
    os.utime(src / "a.jsonl", ns=(1, 1))
    report = reindex([src], tmp_path / "ix", workers=0)
    assert (report.files_read, report.unchanged, report.changed) == (1, 2, False)


def test_full_rebuild_switches_generation(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    reindex([src], tmp_path / "ix", workers=0)
    before = current_generation(tmp_path / "ix")
    service = SearchService(tmp_path / "ix")
    assert len(search(service, SearchRequest()).hits) == 1
    jsonl(src / "a.jsonl", [record(1), record(2)])
    report = reindex([src], tmp_path / "ix", full=True, workers=0)
    after = current_generation(tmp_path / "ix")
    assert after != before and report.documents == 2
    assert len(search(service, SearchRequest()).hits) == 2
    service.close()


def test_stale_half_built_generation_is_cleaned(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    reindex([src], tmp_path / "ix", workers=0)
    stale = tmp_path / "ix" / "gen-19990101T000000000000-1.tmp"
    stale.mkdir()
    (stale / "junk").write_text("half written")
    reindex([src], tmp_path / "ix", full=True, workers=0)
    assert not stale.exists()
    assert open_current(tmp_path / "ix")[1].doc_count() == 1


def test_extraction_in_worker_processes_matches_inline(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(n) for n in range(300)])
    inline = reindex([src], tmp_path / "ix1", workers=0)
    pooled = reindex([src], tmp_path / "ix2", workers=2)
    assert inline.documents == pooled.documents == 300
    assert ids(tmp_path / "ix1", q=["harbours"]) == ids(tmp_path / "ix2", q=["harbours"])


def test_literal_indexes_store_what_a_reindex_stores(tmp_path):
    """The tests' literal indexes (written with the writer directly) hold the documents a reindex of
    the same records would: what the read side is tested on is what it serves."""
    from literal import ARTICLES
    from literal import index_folder
    from literal import write_jsonl

    reindex([write_jsonl(tmp_path / "articles.jsonl", ARTICLES)], tmp_path / "reindexed", workers=0)
    index_folder(tmp_path / "literal")
    kept = ("id", "title", "body", "date", "day", "year", "figures", "source", "url", "cluster", "minhash",
            "language", "derived_title")
    literal, _ = stored_documents(tmp_path / "literal")
    reindexed, _ = stored_documents(tmp_path / "reindexed")
    assert {i: {k: d.get(k) for k in kept} for i, d in literal.items()} == \
        {i: {k: d.get(k) for k in kept} for i, d in reindexed.items()}


def test_literal_indexes_in_memory_do_not_share_temporary_files():
    """Two in-memory literal indexes written at once (as parallel test processes do): the first commit
    must not remove the second writer's temporary files (Whoosh's RamStorage shares one folder)."""
    from literal import ARTICLES
    from literal import ram_index

    first, second = ram_index([]), ram_index([])
    writers = [first.writer(), second.writer()]
    for writer in writers:
        writer.add_document(id=ARTICLES[0]["id"], title=ARTICLES[0]["title"])
    for writer in writers:
        writer.commit()
    assert first.doc_count() == second.doc_count() == 1


def test_duplicate_ids_are_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1), record(1, title="Again")])
    report = reindex([src], tmp_path / "ix", workers=0)
    assert report.documents == 1
    assert [s.reason for s in report.skipped] == ["duplicate id, already indexed"]


def test_missing_source_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        reindex([tmp_path / "nope"], tmp_path / "ix")


def test_reverting_an_article_is_picked_up(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    reindex([src], tmp_path / "ix", workers=0)
    jsonl(src / "a.jsonl", [record(1, title="Edited title")])
    reindex([src], tmp_path / "ix", workers=0)
    jsonl(src / "a.jsonl", [record(1)])
    report = reindex([src], tmp_path / "ix", workers=0)
    assert report.updated == 1
    assert ids(tmp_path / "ix", q=["edited"]) == []


def test_index_from_an_older_schema_is_rebuilt_in_full(tmp_path):
    from whoosh import fields
    from whoosh import index as whoosh_index

    from index.store import new_generation
    from index.store import publish

    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", [record(1)])
    (tmp_path / "ix").mkdir()
    old = new_generation(tmp_path / "ix")
    whoosh_index.create_in(str(old), fields.Schema(id=fields.ID(stored=True, unique=True)))
    publish(tmp_path / "ix", old)
    report = reindex([src], tmp_path / "ix", workers=0)
    assert report.mode == "full" and report.documents == 1
    assert "rebuilt in full" in report.notes[0]


def varied_records(count, seed=0, edited=()):
    """Articles with long, distinct bodies; every 9th repeats an earlier one's story (a near-duplicate
    several batches back), and one record is unusable (skipped)."""
    import random

    words = [f"{a}{b}" for a in ("grain", "oil", "steel", "bank", "rate", "trade", "vote", "port")
             for b in ("ton", "mark", "line", "ford", "wick", "dale", "by", "ham", "stow", "well")]
    bodies = {}
    records = []
    for n in range(count):
        rng = random.Random(seed * 100_000 + n)
        body = bodies[n - 80] + " Updated." if n % 9 == 8 and n >= 80 else " ".join(rng.choices(words, k=40))
        bodies[n] = body
        title = f"Story {n} corrected" if n in edited else f"Story {n} on {rng.choice(words)}"
        records.append({"id": f"v{n}", "title": title, "body": body, "date": f"19{70 + n % 30}-0{n % 9 + 1}-1{n % 10}",
                        "figures": ["Valentina Matvienko"] if n % 5 == 0 else []})
    records.insert(count // 2, {"id": "empty", "title": "", "body": ""})
    return records


def stored_documents(index_dir):
    """``{id: stored fields}`` of every live document, and the number of segments."""
    _, ix = open_current(index_dir)
    try:
        with ix.searcher() as searcher:
            segments = [r for r, _ in searcher.reader().leaf_readers() if r.segment() is not None]
            return {f["id"]: f for f in searcher.all_stored_fields()}, len(segments)
    finally:
        ix.close()


def totals(index_dir, words):
    service = SearchService(index_dir)
    try:
        return [search(service, SearchRequest.from_params({"q": [w]})).total for w in words]
    finally:
        service.close()


@pytest.mark.slow
def test_parallel_writing_stores_the_same_documents_as_one_writer(tmp_path):
    """Worker processes that extract and write a segment each give the same index as one writer:
    same documents, fields and cluster keys (assigned in input order), same search totals; also for an
    incremental run that updates and deletes."""
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", varied_records(300)[:200])
    jsonl(src / "b.jsonl", varied_records(300)[200:])
    jsonl(src / "c.jsonl", [record(n) for n in range(5)])
    words = ["grainton", "harbours", "corrected", "matvienko", "updated", "oilford"]

    single = reindex([src], tmp_path / "one", full=True, workers=2, parallel=False)
    shared = reindex([src], tmp_path / "many", full=True, workers=2, parallel=True)
    assert (shared.added, shared.documents, len(shared.skipped)) == (single.added, single.documents, 1) == (
        305, 305, 1)
    one, one_segments = stored_documents(tmp_path / "one")
    many, many_segments = stored_documents(tmp_path / "many")
    assert (one_segments, many_segments) == (1, 2)
    assert many == one
    clustered = {key: doc["cluster"] for key, doc in one.items() if doc["cluster"] != key}
    assert len(clustered) >= 20  # the near-duplicates were found, by both
    assert totals(tmp_path / "many", words) == totals(tmp_path / "one", words)

    # Incremental: articles edited in one file, another file gone.
    jsonl(src / "a.jsonl", varied_records(300, edited={3, 100, 150})[:200])
    (src / "c.jsonl").unlink()
    single = reindex([src], tmp_path / "one", workers=2, parallel=False)
    shared = reindex([src], tmp_path / "many", workers=2, parallel=True)
    assert (shared.updated, shared.deleted) == (single.updated, single.deleted) == (3, 5)
    one, _ = stored_documents(tmp_path / "one")
    many, _ = stored_documents(tmp_path / "many")
    assert many == one and len(many) == 300
    assert totals(tmp_path / "many", words) == totals(tmp_path / "one", words)
    assert totals(tmp_path / "many", ["corrected"]) == [3]


@pytest.mark.slow
def test_segments_left_without_live_documents_are_dropped(tmp_path):
    """Rewriting every article leaves the old segments fully deleted: they leave the index."""
    src = tmp_path / "src"
    src.mkdir()
    jsonl(src / "a.jsonl", varied_records(300))
    reindex([src], tmp_path / "ix", full=True, workers=2, parallel=True)
    _, before = stored_documents(tmp_path / "ix")
    jsonl(src / "a.jsonl", varied_records(300, edited=set(range(300))))
    report = reindex([src], tmp_path / "ix", workers=2, parallel=True)
    documents, after = stored_documents(tmp_path / "ix")
    assert report.updated == 300 and len(documents) == 300
    assert (before, after) == (2, 2)
    assert totals(tmp_path / "ix", ["corrected"]) == [300]


def test_known_articles_looked_up_one_by_one_are_the_ones_read_all_at_once():
    """A run of few articles against a large index looks each one up; a large run reads every checksum. Both see
    the live articles only: an updated one's new checksum, a deleted one not at all."""
    from index.article import to_document
    from index.intake import Known
    from index.intake import known_articles
    from literal import article
    from literal import ram_index

    ix = ram_index([])
    records = {n: {"id": f"a{n}", "title": f"Story {n}", "body": "The harbour."} for n in range(3)}
    with ix.writer() as writer:
        for n, story in records.items():
            writer.add_document(**to_document(article(story), "one.jsonl", f"sum{n}", None))
    writer = ix.writer()
    writer.update_document(**to_document(article(records[1]), "one.jsonl", "sum1-new", None))
    writer.delete_by_term("id", "a0")
    writer.commit(merge=False)  # the new version of a1 in a second segment
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 2
        every = known_articles(reader, articles=100)  # a run of 100 articles against an index of 2
        asked = known_articles(reader, articles=0)
        assert isinstance(asked, Known) and every == {"a1": "sum1-new", "a2": "sum2"}
        for article_id in ("a0", "a1", "a2", "a3", ""):
            assert (asked.get(article_id), article_id in asked) == (every.get(article_id), article_id in every)
