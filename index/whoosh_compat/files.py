"""An index folder's files as Whoosh names them: what no commit uses (a dead writer's debris), and the
files a failed read left open."""

import io
import os

from index.whoosh_compat import INDEX_NAME


def unused_files(folder) -> list[str]:
    """Names of what no commit of the index in ``folder`` uses: what a writer that died left.

    That is the files Whoosh's own commit deletes (segments the latest TOC does not name, older
    TOCs), half-written TOCs (``_MAIN_<n>.toc.<time>``) and writers' temporary folders
    (``MAIN.tmp``: posting runs). Whoosh names them after the index (``MAIN``).
    :raise whoosh.index.EmptyIndexError: when there is no commit (nothing can be judged unused).
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    toc = TOC.read(FileStorage(str(folder), supports_mmap=False), INDEX_NAME)
    live = {segment.segment_id() for segment in toc.segments}
    tocs, segments = TOC._pattern(INDEX_NAME), TOC._segment_pattern(INDEX_NAME)
    unused = []
    for name in sorted(os.listdir(folder)):
        toc_match, segment_match = tocs.match(name), segments.match(name)
        if toc_match:
            gone = int(toc_match.group(1)) != toc.generation
        elif segment_match:
            gone = segment_match.group(1) not in live
        else:
            gone = name == f"{INDEX_NAME}.tmp" or (name.startswith(f"_{INDEX_NAME}_") and ".toc." in name)
        if gone:
            unused.append(name)
    return unused


def close_files_left_open(error: BaseException) -> None:
    """Close the index files Whoosh opened in the calls ``error`` went through and left open.

    When a segment cannot be read, Whoosh's reader raises with the file it opened still open (a
    ``StructFile`` in a local variable of its frame), to be closed whenever the garbage collector
    gets to it. A server answering every request on a damaged index would pile them up.
    """
    from whoosh.filedb.structfile import StructFile

    tb = error.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, (StructFile, io.IOBase)) and getattr(value, "closed", False) is not True:
                try:
                    value.close()
                except Exception:  # noqa: BLE001  (a damaged file: closing may fail too)
                    pass
        tb = tb.tb_next
