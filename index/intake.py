"""What a reindex takes in: the articles of the input files that changed, extracted in batches.

:func:`pending` reads the files (learning first what each collection teaches its pages: a text-dump
folder's boilerplate, an HTML folder's site profiles) and yields
the items whose raw input changed since the index last saw them; :func:`extracted` turns them into
articles in batches, here or in worker processes (:class:`index.parallel.Workers`) when there is more
than one batch. Counts go to the run's :class:`~index.build.ReindexReport` and progress. What the
index already holds (:func:`known_articles`) decides which items changed.
"""

import os
import time

from index.extract import ExtractionError
from index.extract import Skipped
from index.extract import build_article
from index.extract import collection_key
from index.extract import iter_items
from index.extract import learn_collections
from index.parallel import Workers
from index.schema import split_checksum_term
from index.schema import stored_text
from index.sources import count_lines

#: Articles extracted at a time (sent to a worker process at a time).
BATCH_SIZE = 64


def pending(todo, known, seen, report, progress, stream_skips=False):
    """Yield ``(origin, item)`` for articles whose input changed; count and skip the rest.

    Input that cannot become an article is recorded in ``report.skipped`` (counted, the first ones
    kept), or with ``stream_skips`` yielded as ``(origin, Skipped)`` in order (``newsearch extract``).
    """
    learned = learn_collections(todo)
    for src in todo:
        report.files_read += 1
        for item in iter_items(src, learned.get(collection_key(src))):
            if not isinstance(item, Skipped) and item.id in seen:
                item = Skipped(f"{src.path} ({item.id})", "duplicate id, already indexed")
            if isinstance(item, Skipped):
                if stream_skips:
                    yield src.origin, item
                else:
                    report.skipped.add(item)
                    progress.advance()
            elif known.get(item.id) == item.checksum:
                seen.add(item.id)
                report.unchanged += 1
                progress.advance()
            else:
                seen.add(item.id)
                yield src.origin, item


def extracted(pending, workers, report):
    """Yield ``(origin, (article, item) or Skipped)``, extracting in worker processes when worth it."""
    workers = os.cpu_count() if workers is None else workers
    batches = in_batches(pending)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if not workers or second is None:
        for batch in filter(None, (first, second)):
            yield from _extract_here(batch, report)
        for batch in batches:
            yield from _extract_here(batch, report)
        return
    with Workers(workers, build_batch) as pool:
        for _, results, cpu in pool.extracted(_chain(first, second, batches)):
            report.extract_cpu_seconds += cpu
            yield from results


def _extract_here(batch, report):
    results, cpu = build_batch(batch)
    report.extract_cpu_seconds += cpu
    yield from results


def build_batch(batch):
    """Extract a batch of ``(origin, item)``; return the outcomes and the CPU seconds spent."""
    started = time.process_time()
    results = []
    for origin, item in batch:
        if isinstance(item, Skipped):
            results.append((origin, item))
            continue
        try:
            results.append((origin, (build_article(item), item)))
        except ExtractionError as e:
            results.append((origin, Skipped(item.id, str(e))))
        except Exception as e:  # one bad article must never abort a run
            results.append((origin, Skipped(item.id, f"extraction failed: {type(e).__name__}: {e}")))
    return results, time.process_time() - started


def in_batches(pending):
    batch = []
    for entry in pending:
        batch.append(entry)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _chain(first, second, rest):
    yield first
    if second is not None:
        yield second
    yield from rest


def with_collection_peers(changed, files):
    """Changed files plus every page of a collection in which one changed (what it teaches may have)."""
    keys = {collection_key(f) for f in changed} - {None}
    return [f for f in files if f in changed or collection_key(f) in keys]


def estimate(files) -> int:
    """About how many articles ``files`` hold (lines for JSON Lines, one per page otherwise)."""
    return sum(max(1, count_lines(src)) if src.kind == "jsonl" else 1 for src in files)


#: Below this many articles in a run per article in the index, each article's checksum is looked up
#: alone (about 0.2 ms each) rather than all read from the column (about 6 µs per article of the index).
LOOK_UP_BELOW = 1 / 40


def known_articles(reader, articles: int):
    """``{article id: checksum}`` of the live articles of ``reader`` (deleted ones left out), for a run of
    about ``articles`` articles (:func:`estimate`): looked up as asked when they are few against the
    index, else all read at once."""
    if articles < reader.doc_count_all() * LOOK_UP_BELOW:
        return Known(reader)
    known = {}
    for leaf, _ in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        column = leaf.column_reader("checksum")
        for docnum in leaf.all_doc_ids():
            article_id, checksum = split_checksum_term(stored_text(column[docnum]))
            known[article_id] = checksum
    return known


class Known:
    """The mapping of :func:`known_articles`, each article looked up in ``reader`` when first asked:
    a run of one changed file of a million articles asks for a thousand, where reading every
    checksum took about 5 of its 7 s. The reader is a snapshot: what the run writes is not seen."""

    def __init__(self, reader):
        self.reader = reader
        self.column = reader.column_reader("checksum")
        self.found: dict = {}

    def get(self, article_id: str, default=None):
        if article_id not in self.found:
            self.found[article_id] = self._look_up(article_id)
        checksum = self.found[article_id]
        return default if checksum is None else checksum

    def __contains__(self, article_id: str) -> bool:
        return self.get(article_id) is not None

    def _look_up(self, article_id: str) -> str | None:
        if ("id", article_id) not in self.reader:
            return None
        live = list(self.reader.postings("id", article_id).all_ids())  # deleted documents filtered out
        if not live:
            return None
        stored_id, checksum = split_checksum_term(stored_text(self.column[live[-1]]))
        return checksum if stored_id == article_id else None
