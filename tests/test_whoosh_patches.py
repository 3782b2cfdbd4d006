from index import reindex
from index import whoosh_patches
from index.store import open_current
from tests.conftest import ARTICLES
from tests.conftest import write_jsonl


def test_patched_lengths_equal_whoosh_lengths(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    reindex([tmp_path / "a.jsonl"], tmp_path / "ix", workers=0)
    _, ix = open_current(tmp_path / "ix")
    with ix.reader() as reader:
        perdoc = reader._perdoc
        for field in ("title", "body", "figure_words", "id", "dup_bands"):
            for docnum in range(reader.doc_count_all()):
                fresh = type(perdoc)(perdoc._storage, perdoc._segment)
                original = whoosh_patches._original(fresh, docnum, field)
                assert whoosh_patches.doc_field_length(perdoc, docnum, field) == (original or 0)
