"""The write side of newsearch: files → extraction → a Whoosh index.

Data flows through small stages:

* :mod:`index.sources` finds input files (text dumps, HTML pages, JSON Lines) and reads them safely;
* :mod:`index.extract` turns each file into articles: :mod:`index.textdump` (boilerplate learned per
  collection), :mod:`index.html` (main text, title, date), JSON Lines records; :mod:`index.figures`
  finds the people named; :mod:`index.dates` reads dates;
* :mod:`index.article` holds the :class:`Article` record and maps it to index fields declared once in
  :mod:`index.schema`;
* :mod:`index.build` runs a reindex (incremental or full, extraction in worker processes) and
  :mod:`index.store` keeps the index folder's generations so a switch is atomic.
"""

from index.article import Article
from index.build import ReindexReport
from index.build import extract_articles
from index.build import reindex
from index.extract import Skipped
from index.schema import ArticleSchema
from index.store import IndexMissing
from index.store import ReindexRunning

__all__ = [
    "Article",
    "ArticleSchema",
    "IndexMissing",
    "ReindexReport",
    "ReindexRunning",
    "Skipped",
    "extract_articles",
    "reindex",
]
