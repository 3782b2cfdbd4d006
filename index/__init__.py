"""The write side of newsearch: files → extraction → a Whoosh index.

Data flows through small stages:

* :mod:`index.sources` finds input files (text dumps, HTML pages, JSON Lines) and reads them safely;
* :mod:`index.extract` turns each file into articles: :mod:`index.textdump` (boilerplate learned per
  collection), :mod:`index.html` (main text, title, date), JSON Lines records; :mod:`index.figures`
  finds the people named; :mod:`index.dates` reads dates;
* :mod:`index.article` holds the :class:`Article` record and maps it to index fields declared once in
  :mod:`index.schema` (with the index format and every stored encoding);
* :mod:`index.build` runs a reindex (incremental or full): :mod:`index.intake` finds what changed and
  extracts it in batches, in worker processes (:mod:`index.parallel`) that also write segments on a
  large rebuild, or on a Dask cluster (:mod:`index.dask_extraction`, ``--dask``);
  :mod:`index.store` keeps the index folder's generations so a switch is atomic;
  :mod:`index.whoosh_compat` holds every use of Whoosh's private internals.

The read side imports :mod:`index.schema`, :mod:`index.store` and :mod:`index.whoosh_compat` only;
the names below are loaded on first use, so importing this package loads none of the write side.
"""

import importlib

#: The package's names, and the module each one is loaded from when first used.
_NAMES = {
    "Article": "index.article",
    "ArticleSchema": "index.schema",
    "IndexBroken": "index.store",
    "IndexIncompatible": "index.store",
    "IndexMissing": "index.store",
    "ReindexReport": "index.report",
    "ReindexRunning": "index.lock",
    "Skipped": "index.extract",
    "extract_articles": "index.build",
    "reindex": "index.build",
}

__all__ = sorted(_NAMES)


def __getattr__(name):
    if name not in _NAMES:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    return getattr(importlib.import_module(_NAMES[name]), name)
