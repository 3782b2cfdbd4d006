"""index/posting_arrays.py: each segment's posting lists as flat arrays, as Whoosh's blocks hold."""

import numpy as np
import pytest

from index import reindex
from index.posting_arrays import FIELDS
from index.posting_arrays import MAX_KEY
from index.posting_arrays import arrays_path
from index.posting_arrays import decode_postings
from index.posting_arrays import open_arrays
from index.posting_arrays import write_missing
from index.store import current_generation
from index.store import open_current
from literal import ARTICLES
from literal import add_articles
from literal import index_folder
from literal import write_jsonl
from search import SearchRequest
from search import SearchService
from search import search

QUERIES = ["alfa", "charlie delta", '"upstream release"', "release -patch", "matvienko", "upst*",
           "what new ideas came up about the upstream patch and a release in delta golf"]
LONG_WORD = "x" * (MAX_KEY + 1)


def segment_ids(ix) -> list:
    with ix.reader() as reader:
        return [leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()]


def answers(folder) -> list:
    service = SearchService(folder)
    try:
        found = [search(service, SearchRequest(q=q)).to_json() for q in QUERIES]
    finally:
        service.close()
    return [(r["total"], [(h["id"], h["score"]) for h in r["hits"]], r["match"]) for r in found]


@pytest.fixture
def folder(tmp_path):
    records = ARTICLES + [{"id": "long", "title": "Long", "body": f"{LONG_WORD} alfa"}]
    return index_folder(tmp_path / "ix", records)


def test_every_term_reads_as_from_whoosh_blocks(folder):
    generation = current_generation(folder)
    _, ix = open_current(folder)
    assert write_missing(ix, generation) == 1
    with ix.reader() as reader:
        arrays = open_arrays(generation, reader.segment().segment_id())
        for field in FIELDS:
            for term in (t for t in reader.lexicon(field) if len(t) <= MAX_KEY):
                ids, weights = decode_postings(reader, field, term)
                got = arrays.postings(field, term)
                assert np.array_equal(got[0], ids), (field, term)
                assert np.array_equal(got[1], weights), (field, term)
                assert arrays.stats(field, term) == (reader.doc_frequency(field, term),
                                                     reader.frequency(field, term))
        assert arrays.postings("body", "nosuchword") is not None
        assert len(arrays.postings("body", "nosuchword")[0]) == 0
        assert arrays.postings("body", LONG_WORD) is None  # too long for the file: Whoosh answers
        assert arrays.postings("origin", "x") is None  # a field the file does not hold


def test_searches_answer_the_same_with_and_without_arrays(folder):
    before = answers(folder)
    _, ix = open_current(folder)
    write_missing(ix, current_generation(folder))
    assert answers(folder) == before


def test_an_unreadable_file_is_ignored(folder):
    before = answers(folder)
    _, ix = open_current(folder)
    segment_id = segment_ids(ix)[0]
    arrays_path(current_generation(folder), segment_id).write_bytes(b"NSPA1\n\x05\x00garbage")
    assert open_arrays(current_generation(folder), segment_id) is None
    assert answers(folder) == before
    assert write_missing(ix, current_generation(folder)) == 1  # written again
    assert open_arrays(current_generation(folder), segment_id) is not None


def test_a_reindex_writes_them_and_whoosh_removes_them_with_their_segment(tmp_path):
    reindex([write_jsonl(tmp_path / "a.jsonl", ARTICLES[:3])], tmp_path / "ix", workers=0)
    generation = current_generation(tmp_path / "ix")
    _, ix = open_current(tmp_path / "ix")
    first = segment_ids(ix)
    assert [arrays_path(generation, s).is_file() for s in first] == [True]
    add_articles(ix, ARTICLES[3:])  # a second segment, without its file until the next write
    assert write_missing(ix, generation) == 1
    ix.writer().commit(optimize=True)  # one merged segment: the others' files go with them
    assert list(generation.glob("*.arrays")) == []
    assert write_missing(ix, generation) == 1


def test_a_segment_committed_before_its_file_is_read_from_whoosh_then_from_the_file(folder):
    service = SearchService(folder)
    try:
        first = search(service, SearchRequest(q="alfa delta")).to_json()
        assert service.searcher().leaves[0].arrays is None
        _, ix = open_current(folder)
        write_missing(ix, current_generation(folder))
        assert service.searcher().leaves[0].arrays is not None  # looked for again
        service.cache.clear()
        again = search(service, SearchRequest(q="alfa delta")).to_json()
    finally:
        service.close()
    assert (again["total"], again["hits"]) == (first["total"], first["hits"])


def test_writing_workers_write_their_segments_files_as_the_parent_would(tmp_path, monkeypatch):
    """With parallel writing each worker writes its segment's file before the commit: the same bytes
    as the parent writes for that segment afterwards."""
    from index import build
    from index.posting_arrays import write_segment

    before_commit = {}
    monkeypatch.setattr(build, "pause_point", lambda name: before_commit.setdefault(
        name, sorted(p.name for p in (tmp_path / "ix").glob("*/*.arrays"))))
    records = [dict(a, id=f"{a['id']}-{n}") for n in range(70 // len(ARTICLES) + 1) for a in ARTICLES]
    reindex([write_jsonl(tmp_path / "a.jsonl", records)], tmp_path / "ix", workers=2, parallel=True)
    assert len(before_commit["write"]) == 2
    generation = current_generation(tmp_path / "ix")
    _, ix = open_current(tmp_path / "ix")
    with ix.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 2
        for leaf in leaves:
            written = arrays_path(generation, leaf.segment().segment_id())
            write_segment(leaf, tmp_path / "again.arrays")
            assert written.read_bytes() == (tmp_path / "again.arrays").read_bytes()
