"""Positions read from Whoosh's posting blocks: the same as Whoosh's own decoding, whole or in part."""

import numpy as np

from index.whoosh_compat.reading import position_gaps
from literal import ARTICLES
from literal import ram_index
from search.postings import _decode_positions

REPEATS = [
    {"id": "r1", "title": "Rates", "date": "2020-01-01",
     "body": " ".join(["interest rates rose and interest rates fell"] * 40)},
    {"id": "r2", "title": "More rates", "date": "2020-01-02", "body": "rates " * 1200 + "interest"},
]


def whoosh_positions(reader, field, text):
    docs, positions = [], []
    matcher = reader.postings(field, text)
    while matcher.is_active():
        found = matcher.value_as("positions")
        docs += [matcher.id()] * len(found)
        positions += found
        matcher.next()
    return docs, positions


def test_every_terms_positions_are_whooshs():
    ix = ram_index(ARTICLES + REPEATS)
    with ix.reader() as reader:
        for field in ("title", "body"):
            for text in reader.lexicon(field):
                docs, positions = _decode_positions(reader, field, text)
                assert (docs.tolist(), positions.tolist()) == whoosh_positions(reader, field, text)


def test_positions_among_some_documents_are_theirs_alone():
    ix = ram_index(ARTICLES + REPEATS)
    with ix.reader() as reader:
        among = np.zeros(reader.doc_count_all(), dtype=bool)
        among[[0, len(ARTICLES) + 1]] = True
        for text in reader.lexicon("body"):
            docs, positions = whoosh_positions(reader, "body", text)
            kept = [(d, p) for d, p in zip(docs, positions) if among[d]]
            found = _decode_positions(reader, "body", text, among)
            assert list(zip(found[0].tolist(), found[1].tolist())) == kept


def test_gaps_of_another_format_come_from_its_own_decoding():
    class Format:
        def decode_positions(self, value):
            return [3, 4, 10]

    assert position_gaps(Format(), [b"", b""], [1]) == [[3, 1, 6]]
