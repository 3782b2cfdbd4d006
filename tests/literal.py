"""Literal articles, and indexes of them written with the writer directly (not the reindex pipeline).

Unit tests of the read side search a :func:`ram_searcher` (an index in memory, real schema); tests of
the service, the API and the CLI use :func:`index_folder` (a published generation on disk, as a
reindex leaves it). ``tests/test_build.py`` checks that a reindex of the same records stores the same
documents.
"""

import datetime
import json

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filestore import RamStorage

from index.article import Article
from index.article import derive_title
from index.article import to_document
from index.dedup import signature
from index.schema import ArticleSchema

#: Five literal articles, with their figures given so search tests do not depend on extraction.
ARTICLES = [
    {"id": "a1", "title": "Alfa bravo summit", "date": "2020-01-30",
     "body": "Alfa bravo charlie delta. Valentina Matvienko opened the summit in Moscow.",
     "figures": ["Valentina Matvienko", "Igor Rudeni"]},
    {"id": "a2", "title": "Charlie report", "date": "2020-03-02",
     "body": "Charlie echo foxtrot. The new upstream release was discussed by Igor Rudeni.",
     "figures": ["Igor Rudeni"]},
    {"id": "a3", "title": "Delta news", "date": "2019-07-14",
     "body": "Delta golf hotel; new ideas came up. An upstream patch and a release followed.",
     "figures": ["Valentina Matvienko"], "url": "https://example.org/delta"},
    {"id": "a4", "title": "Echo year only", "date": "2021",
     "body": "Echo india juliet.", "figures": []},
    {"id": "a5", "title": "Undated kilo", "date": None,
     "body": "Kilo lima <script>alert(1)</script> mike & november.", "figures": ["Grigory Rapota"],
     "url": "javascript:alert(1)"},
]


def write_jsonl(path, articles):
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return path


def article(record: dict, source: str = "articles") -> Article:
    """The :class:`Article` a JSON Lines record gives (dates ``YYYY-MM-DD`` or ``YYYY``; language "en" unless
    given; a derived title when the title is empty, as :func:`index.extract.build_article` does)."""
    date_text = record.get("date") or ""
    date = datetime.date.fromisoformat(date_text) if len(date_text) == 10 else None
    year = date.year if date else (int(date_text) if date_text else None)
    title, body = record.get("title", ""), record.get("body", "")
    return Article(record["id"], title, body, date, year, list(record.get("figures", [])),
                   record.get("source", source), record.get("url"), language=record.get("language", "en"),
                   derived_title="" if title.strip() else derive_title(body), signature=signature(body, date))


def add_articles(ix, records, clusters=None, source="articles") -> None:
    """Write ``records`` into ``ix`` in one commit (``clusters``: ``{id: cluster key}``, default own id)."""
    writer = ix.writer()
    for record in records:
        cluster = (clusters or {}).get(record["id"])
        writer.add_document(**to_document(article(record, source), "literal", "", cluster))
    writer.commit()


class _RamStorage(RamStorage):
    """Whoosh's ``RamStorage`` with a temporary folder of its own for each writer. Whoosh's keeps every
    writer's column files in ``<system temp>/MAIN.tmp``, one folder for all processes, and the first
    writer to finish removes it: a parallel test process writing meanwhile lost its files
    (``FileNotFoundError: /tmp/MAIN.tmp/….ctmp``, one run in three of ``pytest -m "not slow"``)."""

    def temp_storage(self, name=None):
        return super().temp_storage()  # a random name


def ram_index(records=ARTICLES, clusters=None):
    """An index in memory holding ``records`` (one segment)."""
    ix = _RamStorage().create_index(ArticleSchema)
    add_articles(ix, records, clusters)
    return ix


def ram_searcher(records=ARTICLES, clusters=None, aliases=None):
    """A :class:`search.searcher.Searcher` over :func:`ram_index` (a cache of its own)."""
    from search.aliases import NO_ALIASES
    from search.aliases import FigureAliases
    from search.searcher import Searcher

    found = FigureAliases(aliases, "literal") if aliases else NO_ALIASES
    return Searcher(ram_index(records, clusters).searcher(), found)


def index_folder(folder, records=ARTICLES, clusters=None):
    """An index folder holding ``records`` as one published generation, as a reindex leaves it."""
    from index.aliases import write_aliases
    from index.store import new_generation
    from index.store import publish
    from index.store import write_format

    building = new_generation(folder)
    ix = FileStorage(str(building), supports_mmap=False).create_index(ArticleSchema)
    write_format(building)
    add_articles(ix, records, clusters)
    write_aliases(building, ix)
    ix.close()
    publish(folder, building)
    return folder
