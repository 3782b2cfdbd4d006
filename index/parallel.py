"""The worker processes of a reindex: they extract articles and, when asked, write them into segments.

Extraction (HTML, dates, named figures) is CPU-bound Python, so a reindex shares it out to worker
processes (:class:`Workers`); batches of articles go out in input order and come back in that order.
On a large rebuild a single Whoosh writer, not extraction, sets the pace: then each worker also writes
the articles it extracted into a Whoosh segment of its own (a writer that takes no lock: the parent's
writer holds it). Near-duplicate clusters depend on the order articles are seen, so they are still
assigned in the parent, in input order, between the two halves of a worker's job:

1. the parent sends batch *k* to worker *k mod n* (``extract``);
2. the worker extracts it, keeps the articles and answers with each article's id and signature;
3. the parent takes the answers in batch order, assigns clusters and sends the keys back (``write``);
4. the worker turns the articles it kept into documents and adds them to its segment.

At the end each worker finishes its segment, writes its posting arrays (:mod:`index.posting_arrays`)
and hands it back; the parent commits them together with
whatever its own writer holds (deletions, merged old segments) in one TOC, so the commit stays atomic.
The documents are the same as a single writer would write; only their order differs (segment by
segment: the batches of worker 0, then those of worker 1, ...), which is deterministic. Without a
writer, workers answer with the extracted articles themselves and the parent writes them.

Memory stays bounded: a worker holds only the batches in flight plus its writer's posting pool.

Workers die with their parent: each asks the kernel for SIGKILL when the parent goes
(``PR_SET_PDEATHSIG``, Linux) and also checks, while it waits, that its parent is still the one that
started it. A reindex killed with ``kill -9`` therefore leaves no worker behind; and none holds the
folder's reindex lock (:func:`index.lock.reindex_lock` closes it in forked children).
"""

import collections
import ctypes
import dataclasses
import multiprocessing
import os
import pickle
import queue
import signal
import time

from index.posting_arrays import ArraysBuilder
from index.posting_arrays import write_new_segment
from index.whoosh_compat.segments import abandon_segment
from index.whoosh_compat.segments import finish_segment
from index.whoosh_compat.segments import segment_writer

#: Batches sent ahead to each worker before the parent waits for the oldest answer.
IN_FLIGHT = 4
#: Seconds between checks that a silent worker (or a worker's parent) is still alive.
POLL_SECONDS = 1.0
#: prctl(2) option: the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


class WorkerFailed(Exception):
    """A writing process died or failed"""


@dataclasses.dataclass
class SegmentWriting:
    """What workers need to write segments of their own.

    :param ix: the index (its TOC is read by each worker's writer).
    :param writer: the parent's locked writer (its temporary folder is shared for posting runs).
    :param document: ``(article, item, origin, cluster) -> dict`` of fields to add.
    :param limitmb: each worker writer's posting pool size.
    """

    ix: object
    writer: object
    document: object
    limitmb: int


class Workers:
    """``count`` processes that extract batches of articles, and write them when given ``writing``.

    :param extract: ``batch -> ([(origin, outcome)], cpu seconds)``; an outcome is a ``Skipped`` or
        ``(article, item)``.
    :param writing: a :class:`SegmentWriting` to have each worker write a segment; None to have the
        extracted articles sent back.
    """

    def __init__(self, count, extract, writing: SegmentWriting | None = None):
        context = multiprocessing.get_context("fork")
        self.workers = []
        for _ in range(count):
            inbox, outbox = context.Queue(), context.Queue()
            process = context.Process(target=_work, args=(inbox, outbox, extract, writing, os.getpid()),
                                      daemon=True)
            process.start()
            self.workers.append((process, inbox, outbox))
        self.write_seconds = 0.0
        self._finished = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def extracted(self, batches):
        """Send ``batches`` out; yield ``(seq, [(origin, outcome)], cpu)`` in order, where an outcome is a
        ``Skipped`` or, when writing, ``(article id, signature, repairs)`` (answer each with :meth:`write` before
        the next), else ``(article, item)``."""
        sent = collections.deque()
        limit = IN_FLIGHT * len(self.workers)
        for seq, batch in enumerate(batches):
            self._inbox(seq).put(("extract", seq, batch))
            sent.append(seq)
            if len(sent) >= limit:
                yield self._answer(sent.popleft())
        while sent:
            yield self._answer(sent.popleft())

    def write(self, seq, clusters) -> None:
        """Have batch ``seq`` written with these cluster keys (one per extracted article, in order)."""
        self._inbox(seq).put(("write", seq, clusters))

    def finish(self) -> list:
        """Finish every worker's segment; return the segments that hold documents."""
        for _, inbox, _ in self.workers:
            inbox.put(("finish",))
        segments = []
        for n in range(len(self.workers)):
            segment, seconds = self._receive(n, "segment")
            self.write_seconds += seconds
            if segment is not None:
                segments.append(segment)
        for process, _, _ in self.workers:
            process.join()
        self._finished = True
        return segments

    def close(self) -> None:
        """Stop the workers (after :meth:`finish`, just reap them)."""
        for process, inbox, _ in self.workers:
            if not self._finished and process.is_alive():
                inbox.put(("cancel",))
        for process, inbox, outbox in self.workers:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join()
            inbox.cancel_join_thread()
            outbox.cancel_join_thread()
            inbox.close()
            outbox.close()

    def _inbox(self, seq):
        return self.workers[seq % len(self.workers)][1]

    def _answer(self, seq):
        outcomes, cpu = self._receive(seq % len(self.workers), "extracted")
        return seq, outcomes, cpu

    def _receive(self, n, expected):
        process, _, outbox = self.workers[n]
        while True:
            try:
                kind, *payload = outbox.get(timeout=POLL_SECONDS)
                break
            except queue.Empty:
                if process.exitcode is not None:
                    raise WorkerFailed(f"{WorkerFailed.__doc__}: exit code {process.exitcode}") from None
        if kind == "error":
            error, = payload
            raise error if isinstance(error, BaseException) else WorkerFailed(f"{WorkerFailed.__doc__}: {error}")
        assert kind == expected, (kind, expected)
        return payload


def _work(inbox, outbox, extract, writing, parent):
    """A worker's loop: extract (and keep, when writing), write when told, finish or cancel."""
    die_with_parent(parent)
    try:
        writer = segment_writer(writing.ix, writing.writer, writing.limitmb) if writing else None
        held = {}
        seconds = 0.0
        while True:
            kind, *args = _next_order(inbox, parent)
            if kind == "extract":
                seq, batch = args
                outcomes, cpu = extract(batch)
                if writer is not None:
                    held[seq] = outcomes
                    outcomes = [_summary(o) for o in outcomes]
                outbox.put(("extracted", outcomes, cpu))
            elif kind == "write":
                seq, clusters = args
                started = time.perf_counter()
                _add(writer, writing.document, held.pop(seq), clusters)
                seconds += time.perf_counter() - started
            elif kind == "finish":
                started = time.perf_counter()
                segment = built = None
                if writer is not None:
                    built = ArraysBuilder(writing.ix.schema)
                    segment = finish_segment(writer, built)
                if segment is not None:
                    write_new_segment(writing.ix.storage, writing.ix.schema, segment, built)
                seconds += time.perf_counter() - started
                outbox.put(("segment", segment, seconds))
                return
            else:  # cancel: close the files; the segment is never named in a TOC, so it is cleaned up later
                if writer is not None:
                    abandon_segment(writer)
                return
    except BaseException as e:  # noqa: BLE001  (reported to the parent, which raises it)
        try:
            pickle.loads(pickle.dumps(e))  # the queue pickles in a thread, where a failure would be lost
        except Exception:  # noqa: BLE001
            e = f"{type(e).__name__}: {e}"
        outbox.put(("error", e))
    finally:
        outbox.close()
        outbox.join_thread()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux); exit now if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the polling in _next_order still applies
        pass
    if os.getppid() != parent:
        os._exit(1)


def _next_order(inbox, parent):
    """The parent's next order; exits the worker when the parent is gone (orphans are adopted)."""
    while True:
        try:
            return inbox.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def _add(writer, document, outcomes, clusters):
    """Add the extracted articles among ``outcomes`` to the worker's segment, with their cluster keys."""
    built = [(origin, o) for origin, o in outcomes if isinstance(o, tuple)]
    assert len(built) == len(clusters)
    for (origin, (article, item)), cluster in zip(built, clusters):
        writer.add_document(**document(article, item, origin, cluster))


def _summary(outcome):
    """What the parent needs of an extracted article: ``Skipped`` as is, else ``(id, signature,
    repairs)``."""
    origin, result = outcome
    if isinstance(result, tuple):
        article, _ = result
        return origin, (article.id, article.signature, tuple(article.repairs))
    return origin, result
