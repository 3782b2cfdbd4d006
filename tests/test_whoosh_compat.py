"""index/whoosh_compat/: the one door to Whoosh's internals, its version guard, its speed fixes."""

import ast
import functools
import re
from pathlib import Path

import pytest
import whoosh
from whoosh.codec import whoosh3

from index import whoosh_compat
from index.whoosh_compat import reading
from index.whoosh_compat import segments
from index.whoosh_compat import writer as compat_writer
from literal import ARTICLES
from literal import ram_index

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "index" / "whoosh_compat"
#: Our code, whose Python files may use Whoosh only through its public names.
TREE = ["index", "search", "web", "bench", "tests", "newsearch.py"]


@functools.lru_cache(maxsize=1)
def whoosh_private_names() -> frozenset:
    """Every ``_name`` in Whoosh's sources (functions, classes, attributes, parameters, locals)."""
    names = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"\b(_[A-Za-z]\w*)", path.read_text(encoding="utf-8")))
    return frozenset(n for n in names if not n.startswith("__"))


def private_uses(path: Path):
    """``(line, name)`` for each private Whoosh name ``path`` uses on an object other than its own
    (``self.``/``cls.``), as a keyword argument, or in an import from whoosh."""
    private = whoosh_private_names()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                yield node.lineno, node.attr
        elif isinstance(node, ast.keyword) and node.arg in private:
            yield node.lineno, node.arg
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            yield from ((node.lineno, a.name) for a in node.names if a.name in private)


def python_files():
    for name in TREE:
        path = ROOT / name
        yield from ([path] if path.suffix == ".py" else sorted(path.rglob("*.py")))


def test_private_whoosh_names_are_used_only_in_the_compat_module():
    found = {f"{path.relative_to(ROOT)}:{line}": name for path in python_files() if COMPAT not in path.parents
             for line, name in private_uses(path)}
    assert found == {}


def test_the_compat_module_is_where_they_are():
    """The scan above finds what it looks for: the compat module itself is full of them."""
    assert {"_postfile", "_merge_segments", "_commit_toc", "_tempstorage", "_lk", "_lenfield"} <= \
        {name for path in COMPAT.glob("*.py") for _, name in private_uses(path)}


def test_nothing_is_grafted_onto_whoosh_objects():
    """No attribute of ours stored on Whoosh's objects (``reader._newsearch_live``, ``reader.__dict__``)."""
    offenders = [f"{path.relative_to(ROOT)}" for path in python_files()
                 if path.name != Path(__file__).name
                 and ("_newsearch" in path.read_text() or ".__dict__" in path.read_text())]
    assert offenders == []


def test_another_whoosh_version_is_refused_with_a_clear_message():
    whoosh_compat.check_version(whoosh_compat.SUPPORTED_VERSION)
    with pytest.raises(whoosh_compat.UnsupportedWhoosh, match=r"found Whoosh 2\.7\.4, newsearch needs 2\.7\.5 "
                                                                 r"\(pip install whoosh-reloaded==2\.7\.5"):
        whoosh_compat.check_version((2, 7, 4))


def test_lengths_read_once_equal_whoosh_lengths():
    ix = ram_index(ARTICLES + [{"id": "empty-body", "title": "Only a title", "body": ""}])
    with ix.reader() as reader:
        segment = reader.segment()
        for field in ("title", "body", "figure_words", "id", "dup_bands"):
            patched = reading.LengthsReadOnce(ix.storage, segment)
            for docnum in range(reader.doc_count_all()):
                original = whoosh3.W3PerDocReader(ix.storage, segment).doc_field_length(docnum, field)
                assert patched.doc_field_length(docnum, field) == (original or 0), (field, docnum)


@pytest.mark.slow
def test_patches_are_applied_explicitly_not_on_import():
    import subprocess
    import sys

    code = ("import web, index.build\nfrom whoosh.codec import whoosh3\nfrom index.whoosh_compat import reading\n"
            "assert whoosh3.W3Codec.per_document_reader is not reading._per_document_reader\n"
            "import search\nsearch.SearchService('nowhere')\n"
            "assert whoosh3.W3Codec.per_document_reader is reading._per_document_reader\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def spilled_pool(pool_class, tmp_path, items, limit_items):
    """A posting pool of ``pool_class`` over a file store, spilled to a run every ``limit_items``."""
    from whoosh.filedb.filestore import FileStorage

    store = FileStorage(str(tmp_path)).create()
    pool = pool_class(store, segment=None, limitmb=1)
    pool.limit = limit_items * segments.POSTING_BYTES * 4 // 3  # with new terms' bytes: a run every few items
    for item in items:
        pool.add(item)
    return pool


POSTINGS = [("body", f"w{n % 37:02d}".encode(), n, float(n % 5), bytes([n % 7]) if n % 3 else None)
            for n in range(5000)] + [("title", "ümlaut".encode(), 3, 1.0, b"\x00\x01"), ("id", b"x", 0, 0.0, None)]


def test_compact_runs_give_the_postings_whoosh_runs_give(tmp_path):
    """Chunked, compressed runs: the same postings in the same order as Whoosh's one-per-call runs,
    over several runs and chunks, and the run files are gone once read."""
    plain_pool = segments.CompactPostingPool.__mro__[1]  # Whoosh's, even once patched in
    segments.RUN_CHUNK, chunk = 100, segments.RUN_CHUNK
    try:
        plain = spilled_pool(plain_pool, tmp_path / "plain", POSTINGS, 700)
        compact = spilled_pool(segments.CompactPostingPool, tmp_path / "compact", POSTINGS, 700)
        assert len(compact.runs) >= 5
        run_bytes = sum(p.stat().st_size for p in (tmp_path / "compact").iterdir())
        plain_bytes = sum(p.stat().st_size for p in (tmp_path / "plain").iterdir())
        assert run_bytes < plain_bytes / 3
        assert list(compact.items()) == list(plain.items()) == sorted(POSTINGS)
        assert list((tmp_path / "compact").iterdir()) == []
    finally:
        segments.RUN_CHUNK = chunk


def test_postings_added_out_of_order_come_out_sorted_as_whoosh_sorts_them(tmp_path):
    """Postings grouped by term come out in Whoosh's order even when a term's documents were not
    added in increasing order (within a run, across runs) or repeat (Whoosh's spelling postings all
    have document 0)."""
    import random

    shuffled = POSTINGS + [("body", b"w03", 0, 1.0, None), ("body", b"w03", 0, 0.5, b"\x01")]
    random.Random(7).shuffle(shuffled)
    grouped = spilled_pool(segments.CompactPostingPool, tmp_path / "runs", shuffled, 500)
    assert len(grouped.runs) >= 5
    assert list(grouped.items()) == sorted(shuffled)
    in_memory = spilled_pool(segments.CompactPostingPool, tmp_path / "none", shuffled, 10 ** 6)
    assert not in_memory.runs
    assert list(in_memory.items()) == sorted(shuffled)


def test_a_document_added_before_a_fields_last_one_comes_out_sorted(tmp_path):
    """A field's postings added a document at a time (``add_terms``) are kept in the order they came
    only while each document comes after the field's last one; otherwise sorted as Whoosh sorts."""
    from whoosh.filedb.filestore import FileStorage

    pool = segments.CompactPostingPool(FileStorage(str(tmp_path)).create(), segment=None, limitmb=1)
    for docnum in (4, 9, 2):
        pool.add_terms("body", docnum, [(b"a", 1, 1.0, None), (f"d{docnum}".encode(), 2, 2.0, b"v")], 0.5)
    pool.add_terms("title", 1, [(b"a", 1, 1.0, None)], 1.0)
    assert not pool.ordered
    assert list(pool.items()) == [("body", b"a", 2, 0.5, None), ("body", b"a", 4, 0.5, None),
                                  ("body", b"a", 9, 0.5, None), ("body", b"d2", 2, 1.0, b"v"),
                                  ("body", b"d4", 4, 1.0, b"v"), ("body", b"d9", 9, 1.0, b"v"),
                                  ("title", b"a", 1, 1.0, None)]


def test_compact_runs_merged_down_when_too_many_to_open(tmp_path):
    """Past ``maxfiles`` runs, Whoosh merges runs into runs (``reduce_to``): written compact too."""
    compact = spilled_pool(segments.CompactPostingPool, tmp_path, POSTINGS, 400)
    assert len(compact.runs) > 4
    assert list(compact.items(maxfiles=3)) == sorted(POSTINGS)


def test_writers_use_compact_runs_once_patched():
    from whoosh import writing

    compat_writer.apply_write_patches()
    assert writing.PostingPool is segments.CompactPostingPool


# Documents added and posting lists written without Whoosh's per-posting calls ------------------------

#: Articles whose words make every kind of posting list: terms in one document and in many, a term
#: over several blocks (150 documents > Whoosh's 128 a block), languages' fields, empty ones.
MANY = [{"id": f"m{n}", "title": "Common words" if n % 2 else "", "language": ("en", "de", "fr")[n % 3],
         "body": f"the common word{n % 7} and a word{n} of Müller, {'again ' * (n % 4)}the end",
         "date": "2021-03-04", "figures": ["Ann Lee"] if n % 5 == 0 else []} for n in range(150)]


def segment_files(ix) -> dict:
    """``{file extension: bytes}`` of the one segment of a folder index written without compound files."""
    folder = Path(ix.storage.folder)
    with ix.reader() as reader:
        segment_id = reader.segment().segment_id()
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in folder.glob(f"{segment_id}.*")}


def written_index(folder, monkeypatch, whoosh_own: bool):
    """``MANY`` and the literal articles written into a new index at ``folder``, through the patched
    writer, or with ``whoosh_own`` through Whoosh's own ``add_document`` and posting writer."""
    from whoosh import writing
    from whoosh.filedb.filestore import FileStorage

    from index.article import to_document
    from index.schema import ArticleSchema
    from literal import article

    compat_writer.apply_write_patches()
    if whoosh_own:  # Whoosh's pool: the patched methods fall back to Whoosh's own
        monkeypatch.setattr(writing, "PostingPool", segments.CompactPostingPool.__mro__[1])
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(ArticleSchema)
    writer = ix.writer(compound=False)
    for record in MANY + ARTICLES:
        writer.add_document(**to_document(article(record), "literal", "", None))
    writer.commit()
    monkeypatch.undo()
    return ix


def test_the_fused_writer_writes_whooshs_bytes_when_every_block_is_compressed(tmp_path, monkeypatch):
    """With every block compressed and no position encoding shared between postings, the segment's
    files are Whoosh's byte for byte (postings, term infos, lengths, stored fields, columns)."""
    monkeypatch.setattr(compat_writer, "TINY_BLOCK", 0)
    monkeypatch.setattr(compat_writer, "_ONE_POSITION", [])
    ours = segment_files(written_index(tmp_path / "ours", monkeypatch, whoosh_own=False))
    theirs = segment_files(written_index(tmp_path / "whoosh", monkeypatch, whoosh_own=True))
    assert sorted(ours) == sorted(theirs)
    assert {ext for ext in ours if ours[ext] != theirs[ext]} == set()


def postings_and_infos(ix) -> list:
    """Every term's postings (document, weight, value) and term statistics."""
    found = []
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            rows = []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value(), matcher.block_max_weight(),
                             matcher.block_min_length(), matcher.block_max_length()))
                matcher.next()
            found.append((field, term, rows, info.weight(), info.doc_frequency(), info.min_length(),
                          info.max_length(), info.max_weight(), info.min_id(), info.max_id()))
    return found


def test_tiny_blocks_are_left_uncompressed_and_read_the_same(tmp_path, monkeypatch):
    """By default blocks under TINY_BLOCK bytes are stored as they are: every posting, term statistic
    and block statistic reads as from Whoosh's writer, and the postings file is smaller."""
    ours = written_index(tmp_path / "ours", monkeypatch, whoosh_own=False)
    theirs = written_index(tmp_path / "whoosh", monkeypatch, whoosh_own=True)
    assert postings_and_infos(ours) == postings_and_infos(theirs)
    assert len(segment_files(ours)["pst"]) < len(segment_files(theirs)["pst"])
    with ours.reader() as reader:
        blocks = list(reading.posting_blocks(reader.postings("source", "articles")))
    assert [len(ids) for ids, _, _ in blocks] == [128, len(MANY + ARTICLES) - 128]


def test_field_items_are_what_whoosh_indexes(monkeypatch):
    """Positional, ID and KEYWORD fields' items computed without the token stream equal ``field.index``'s."""
    from index.schema import ArticleSchema

    schema = ArticleSchema()
    texts = ["The U.S. Treasury's Baker said rates rose; the Baker of a bakery", "", "a an the", " a b ",
             "Über die Stadt München und die Stadt", "reuters-1\tabc", "x", "Ann Lee, Bob  ,, Ann Lee,", " , ",
             "0.1a2b 1.ff\tp0.12 0.1a2b"]
    for name in ("title", "body", "body_de", "title_fr", "body_pl", "id", "source", "checksum", "figures",
                 "dup_bands"):
        for text in texts:
            assert sorted(compat_writer.field_items(schema[name], text)) == sorted(schema[name].index(text))
