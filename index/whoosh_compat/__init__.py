"""Every use of Whoosh's private internals, in one package, checked against the one version they were written for.

newsearch is fast because it reads below Whoosh's public API in a few places: posting lists are read
block by block (a block is a pickled tuple), several processes write segments that one TOC commits
together, and a writer's per-document lengths are read once instead of once per posting. Those
internals can change in any Whoosh release, so:

* importing this package (any of its modules) checks the installed Whoosh version and refuses any other than
  :data:`SUPPORTED_VERSION` with a clear message (at start, not in the middle of a search);
* no other module of newsearch touches a private Whoosh name (``tests/test_whoosh_compat.py`` greps
  the tree for them);
* the speed fixes to Whoosh are installed explicitly where the search service starts
  (:func:`~index.whoosh_compat.reading.apply_read_patches`) and where a reindex starts
  (:func:`~index.whoosh_compat.writer.apply_write_patches`), never as a side effect of an import.

Its modules, along the seam between the read side and the write side:

* :mod:`~index.whoosh_compat.reading`: posting lists, columns and per-document lengths, read below the
  API (the only part the search service loads, with :mod:`~index.whoosh_compat.files`);
* :mod:`~index.whoosh_compat.files`: what of an index folder no commit uses, files a failed read left open;
* :mod:`~index.whoosh_compat.segments`: segments written by several processes and committed in one TOC,
  and the posting pool their writers sort in;
* :mod:`~index.whoosh_compat.writer`: documents and posting lists written without Whoosh's per-posting calls.

Upgrading Whoosh means re-reading this package against the new sources and running its tests.
"""

import whoosh

#: The Whoosh release (``whoosh-reloaded``, pinned in pyproject.toml) these internals were read in.
SUPPORTED_VERSION = (2, 7, 5)
#: The name Whoosh gives an index's files (``MAIN_<segment>.seg``, ``_MAIN_<n>.toc``, ``MAIN.tmp``).
INDEX_NAME = "MAIN"


class UnsupportedWhoosh(ImportError):
    """newsearch reads Whoosh internals that change between releases; install the pinned version"""


def check_version(found=whoosh.__version__) -> None:
    """Raise :class:`UnsupportedWhoosh` unless ``found`` is :data:`SUPPORTED_VERSION`."""
    if tuple(found) != SUPPORTED_VERSION:
        wanted = ".".join(map(str, SUPPORTED_VERSION))
        raise UnsupportedWhoosh(
            f"{UnsupportedWhoosh.__doc__}: found Whoosh {'.'.join(map(str, found))}, newsearch needs "
            f"{wanted} (pip install whoosh-reloaded=={wanted}, or reinstall newsearch)")


check_version()
