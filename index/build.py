"""Reindexing: sources → extraction (in worker processes) → the Whoosh index, incrementally or in full.

:func:`reindex` is the one entry point. Incremental runs (the default) read only files whose size or
modification time changed, extract only articles whose raw input changed (each stored article carries a
checksum of its input), and delete the articles of files that are gone. ``full=True`` builds a new
generation aside and switches to it atomically (see :mod:`index.store`). Either way a file that cannot
be read or parsed is reported in :attr:`ReindexReport.skipped` and the run goes on.
"""

import itertools
import os
import shutil
import time
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import MERGE_SMALL

from index import intake
from index.aliases import aliases_current
from index.aliases import write_aliases
from index.article import to_document
from index.dedup import Clusters
from index.extract import Skipped
from index.lock import reindex_lock
from index.parallel import SegmentWriting
from index.parallel import Workers
from index.posting_arrays import write_missing
from index.report import Progress
from index.report import ReindexReport
from index.schema import INDEX_FORMAT
from index.schema import ArticleSchema
from index.schema import stored_text
from index.sources import iter_sources
from index.sources import path_key
from index.store import IndexMissing
from index.store import clean_debris
from index.store import current_generation
from index.store import new_generation
from index.store import open_generation
from index.store import open_searcher
from index.store import pause_point
from index.store import publish
from index.store import read_format
from index.store import read_manifest
from index.store import remove_stale
from index.store import remove_unused
from index.store import write_format
from index.store import write_manifest
from index.whoosh_compat.segments import commit_with_segments
from index.whoosh_compat.writer import apply_write_patches

#: Memory each Whoosh writer may use for its sorting pool, in MB (per process when several write: a pool
#: that overflows is spilled to disk and merged back at the commit, which cost 15% more writing time when
#: each of two writers had half of this, on the 21,578 Reuters articles).
WRITER_LIMIT_MB = 256
#: Fewest articles to (re)write for which the writing is shared among the worker processes: below, one
#: writer in this process is quicker than starting writers, and adds no segments.
PARALLEL_MIN = 2000
#: At most this many writing processes (each adds one segment to the index).
MAX_WRITERS = 4


def reindex(paths, index_dir, full=False, progress=None, workers=None, parallel=None) -> ReindexReport:
    """Bring the index in ``index_dir`` up to date with the files under ``paths``.

    :param paths: files and folders to index (see :func:`index.sources.iter_sources`).
    :param full: rebuild from scratch aside and switch atomically, instead of updating in place.
    :param workers: extraction processes (default: one per CPU; 0 extracts and writes in this process),
        or a pool that extracts elsewhere (:class:`index.dask_extraction.DaskExtraction`, opened):
        then this process writes alone.
    :param parallel: whether the worker processes also write (each into a segment of its own, see
        :mod:`index.parallel`): None when there are at least :data:`PARALLEL_MIN` articles to write,
        True always, False never. With ``workers=0`` one writer in this process writes everything.
    :raise FileNotFoundError: when a named path does not exist.
    :raise index.lock.ReindexRunning: when another reindex holds the folder.
    :raise index.store.IndexIncompatible: for an incremental run over an index written by a newer,
        incompatible version (``full=True`` rebuilds it); one of an older format is rebuilt in full.
    :raise index.store.IndexBroken: for an incremental run over an index with a file that cannot be
        read (``full=True`` rebuilds it).
    """
    started = time.perf_counter()
    apply_write_patches()
    progress = progress or Progress()
    index_dir = Path(index_dir)
    notes = []
    with reindex_lock(index_dir, notes):
        remove_stale(index_dir)
        notes += clean_debris(index_dir)
        files, unusable = _sources(paths)
        roots = [Path(p).resolve() for p in paths]
        live = current_generation(index_dir)
        if full or live is None:
            report = _full(files, index_dir, progress, workers, parallel)
        else:
            report = _incremental(files, roots, live, progress, workers, parallel)
    for skipped in unusable:
        report.skipped.add(skipped)
    report.notes[:0] = notes
    report.seconds = time.perf_counter() - started
    return report


def _sources(paths) -> tuple[list, list]:
    """The input files under ``paths``, and what was found but cannot be used (as :class:`Skipped`)."""
    unusable = []
    files = list(iter_sources(paths, on_skip=lambda where, reason: unusable.append(Skipped(where, reason))))
    return files, unusable


def _full(files, index_dir, progress, workers, parallel) -> ReindexReport:
    report = ReindexReport("full")
    building = new_generation(index_dir)
    try:
        ix = FileStorage(str(building), supports_mmap=False).create_index(ArticleSchema)
        write_format(building)
        _write(ix, files, files, report, progress, workers, parallel)
        write_manifest(building, ix.latest_generation(), _stamps(files))
        write_aliases(building, ix)
        ix.close()
        report.generation = publish(index_dir, building).name
        remove_stale(index_dir)  # keep only the new generation and the one searchers may still be on
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return report


def _incremental(files, roots, live, progress, workers, parallel) -> ReindexReport:
    report = ReindexReport("incremental", generation=live.name)
    found = read_format(live)
    if found is not None and found < INDEX_FORMAT:
        # Written by an older newsearch (fields missing): rebuild in full, aside and atomically.
        report = _full(files, live.parent, progress, workers, parallel)
        report.notes.append(f"the index was in format {found}, this version writes {INDEX_FORMAT}: rebuilt in full")
        return report
    try:
        ix = open_generation(live)
    except IndexMissing:  # a generation folder without a commit: build one
        return _full(files, live.parent, progress, workers, parallel)
    open_searcher(ix, live).close()  # every segment readable, else IndexBroken: rebuild with --full
    missing = set(ArticleSchema().names()) - set(ix.schema.names())
    if missing:
        # Written by an older newsearch: rebuild in full (aside, atomically) with today's fields.
        ix.close()
        report = _full(files, live.parent, progress, workers, parallel)
        report.notes.append(f"the index lacked fields {', '.join(sorted(missing))}: rebuilt in full")
        return report
    stamps = read_manifest(live, ix.latest_generation())
    changed = [f for f in files if stamps.get(f.origin) != f.stamp]
    report.files_unchanged = len(files) - len(changed)
    todo = intake.with_collection_peers(changed, files)
    _write(ix, todo, files, report, progress, workers, parallel, roots=roots)
    if report.changed or stamps != _stamps(files):
        write_manifest(live, ix.latest_generation(), _stamps(files))
    if report.changed or not aliases_current(live, ix.latest_generation()):
        write_aliases(live, ix)
    ix.close()
    return report


def _write(ix, todo, files, report, progress, workers, parallel, roots=()):
    """Extract ``todo`` and write what changed; delete articles of vanished files under ``roots``."""
    writer = ix.writer(limitmb=WRITER_LIMIT_MB)
    try:
        with ix.searcher() as searcher:
            articles = intake.estimate(todo)  # the files are counted once: for the progress and here
            known = intake.known_articles(searcher.reader(), articles)
            progress.start(articles)
            gone = _vanished_origins(searcher, files, roots)
            keep = _ids_by_origin(searcher, {f.origin for f in todo})
            for origin in gone:
                report.deleted += writer.delete_by_term("origin", origin)
            scratch = Path(ix.storage.folder).parent  # the index folder
            with Clusters(searcher if searcher.doc_count_all() else None, folder=scratch) as clusters:
                segments = _write_articles(ix, writer, todo, known, keep, report, progress, workers,
                                           parallel, clusters)
        if report.changed:
            pause_point("write")
            started = time.perf_counter()
            _commit(writer, segments)
            report.write_seconds += time.perf_counter() - started
            pause_point("commit")
        else:
            writer.cancel()
            remove_unused(Path(ix.storage.folder))  # the cancelled writer's empty segment files
    except BaseException:
        writer.cancel()
        raise
    started = time.perf_counter()
    write_missing(ix, ix.storage.folder)  # each new segment's posting arrays (index.posting_arrays)
    report.write_seconds += time.perf_counter() - started
    report.documents = ix.doc_count()


def _write_articles(ix, writer, todo, known, previous_ids, report, progress, workers, parallel, clusters):
    """Write the changed articles of ``todo``; return the segments written by other processes (if any)."""
    seen = set()
    pending = intake.pending(todo, known, seen, report, progress)
    processes = _writing_processes(workers, parallel)
    segments = []
    if processes and parallel is None:
        head = list(itertools.islice(pending, PARALLEL_MIN))  # bounded look-ahead: is it worth it?
        processes = processes if len(head) >= PARALLEL_MIN else 0
        pending = itertools.chain(head, pending)
    if processes:
        segments = _write_shared(ix, writer, pending, known, report, progress, processes, clusters)
    else:
        _write_here(writer, pending, known, report, progress, workers, clusters)
    for origin, ids in previous_ids.items():
        for article_id in ids - seen:
            report.deleted += writer.delete_by_term("id", article_id)
    return segments


def _writing_processes(workers, parallel) -> int:
    """How many processes write (0: this one alone)."""
    if _elsewhere(workers):
        return 0
    workers = os.cpu_count() if workers is None else workers
    return 0 if not workers or parallel is False else min(workers, MAX_WRITERS)


def _elsewhere(workers) -> bool:
    """Whether ``workers`` is a pool that extracts outside this machine's processes (a Dask cluster)."""
    return hasattr(workers, "extracted")


def _extracted(pending, workers, report):
    """Yield ``(origin, (article, item) or Skipped)`` in order, from a pool elsewhere or from
    :func:`index.intake.extracted` (here or in worker processes)."""
    if _elsewhere(workers):
        return workers.extracted(intake.in_batches(pending), report)
    return intake.extracted(pending, workers, report)


def _write_here(writer, pending, known, report, progress, workers, clusters):
    """Extract in worker processes (or here) and write with one writer, in this process."""
    for n, (origin, outcome) in enumerate(_extracted(pending, workers, report)):
        if not _tally(n, outcome, report, progress):
            continue
        article, item = outcome
        report.note_repairs(article.id, article.repairs)
        started = time.perf_counter()
        cluster = clusters.assign(article.id, article.signature)
        document = to_document(article, origin, item.checksum, cluster)
        if _replaces(item.id, known, report):
            writer.update_document(**document)
        else:  # not in the index (ids are unique in a run): no look-up for an old version needed
            writer.add_document(**document)
        report.write_seconds += time.perf_counter() - started


def _tally(n, outcome, report, progress) -> bool:
    """Account for the ``n``-th outcome of a run (progress; a skip is recorded); True for an article."""
    if n == intake.BATCH_SIZE:
        pause_point("extract")
    progress.advance()
    if isinstance(outcome, Skipped):
        report.skipped.add(outcome)
        return False
    return True


def _replaces(article_id, known, report) -> bool:
    """Count the article as updated (True: an older version is in the index) or added."""
    if article_id in known:
        report.updated += 1
        return True
    report.added += 1
    return False


def _write_shared(ix, writer, pending, known, report, progress, processes, clusters) -> list:
    """Have ``processes`` workers extract and write (see :mod:`index.parallel`); clusters are assigned
    here, in input order; old versions of updated articles are deleted by ``writer``."""
    numbers = itertools.count()
    writing = SegmentWriting(ix, writer, _document, WRITER_LIMIT_MB)
    with Workers(processes, intake.build_batch, writing) as workers:
        for seq, outcomes, cpu in workers.extracted(intake.in_batches(pending)):
            report.extract_cpu_seconds += cpu
            keys = []
            for _, outcome in outcomes:
                if not _tally(next(numbers), outcome, report, progress):
                    continue
                article_id, signature, repairs = outcome
                report.note_repairs(article_id, repairs)
                keys.append(clusters.assign(article_id, signature))
                if _replaces(article_id, known, report):
                    writer.delete_by_term("id", article_id)  # the new version is added by a worker
            workers.write(seq, keys)
        clusters.close()  # every key is assigned: its scratch file goes before the segments' final writes
        segments = workers.finish()
    report.write_seconds += workers.write_seconds
    return segments


def _merge_small_drop_empty(writer, segments):
    """Whoosh's usual merge policy, and segments whose every document is deleted left out of the TOC
    (Whoosh keeps them otherwise; after updates they would pile up)."""
    kept = [segment for segment in MERGE_SMALL(writer, segments) if segment.doc_count()]
    pause_point("merge")  # small segments merged into the writer's, which is not finished yet
    return kept


def _document(article, item, origin, cluster) -> dict:
    return to_document(article, origin, item.checksum, cluster)


def _commit(writer, segments) -> None:
    """Commit ``writer``, with ``segments`` written by other processes added to the same TOC."""
    if not segments:
        writer.commit(mergetype=_merge_small_drop_empty)
    else:
        commit_with_segments(writer, _merge_small_drop_empty, segments)


def _ids_by_origin(searcher, origins) -> dict:
    """``{origin: set of article ids}`` for the given files, from the index."""
    reader = searcher.reader()
    if not reader.doc_count_all():
        return {}
    ids = reader.column_reader("id")
    found = {}
    for origin in origins:
        if reader.doc_frequency("origin", origin):
            docnums = reader.postings("origin", origin).all_ids()
            found[origin] = {stored_text(ids[n]) for n in docnums}
    return found


def _vanished_origins(searcher, files, roots) -> list[str]:
    """Origins in the index that lie under ``roots`` but whose files no longer exist there."""
    present = {f.origin for f in files}
    prefixes = tuple(path_key(root) for root in roots)
    gone = []
    for term in searcher.reader().lexicon("origin"):
        origin = term.decode("utf-8")
        if origin not in present and _under(origin, prefixes):
            gone.append(origin)
    return gone


def _under(origin: str, prefixes) -> bool:
    return any(origin == p or origin.startswith(p.rstrip("/") + "/") for p in prefixes)


def _stamps(files) -> dict:
    return {f.origin: f.stamp for f in files}


def extract_articles(paths, workers=None):
    """Yield the :class:`~index.article.Article` (or :class:`Skipped`) for every article under ``paths``.

    ``workers`` is as for :func:`reindex` (a count of processes, or a pool that extracts elsewhere).

    This is what a reindex would index (repaired as it would be), without touching any index.
    """
    files, unusable = _sources(paths)
    yield from unusable
    report = ReindexReport("extract")
    pending = intake.pending(files, {}, set(), report, Progress(), stream_skips=True)
    for _, outcome in _extracted(pending, workers, report):
        yield outcome if isinstance(outcome, Skipped) else outcome[0]
