"""Writing one index from several processes: extraction and Whoosh writing shared out, clusters kept in order.

A single Whoosh writer is one process's work: on a full rebuild it, not extraction, set the pace. Here
each worker process both extracts the batches of articles it is given and writes them into a Whoosh
segment of its own (a ``SegmentWriter`` that does not take the index lock; the parent's writer holds
it). Near-duplicate clusters depend on the order articles are seen, so they are still assigned in the
parent, in input order, between the two halves of a worker's job:

1. the parent sends batch *k* to worker *k mod n* (``extract``);
2. the worker extracts it, keeps the articles and answers with each article's id and signature;
3. the parent takes the answers in batch order, assigns clusters and sends the keys back (``write``);
4. the worker turns the articles it kept into documents and adds them to its segment.

At the end each worker finishes its segment and hands it back; the parent commits them together with
whatever its own writer holds (deletions, merged old segments) in one TOC, so the commit stays atomic.
The documents are the same as a single writer would write; only their order differs (segment by
segment: the batches of worker 0, then those of worker 1, ...), which is deterministic.

Memory stays bounded: a worker holds only the batches in flight plus its writer's posting pool.
"""

import collections
import multiprocessing
import pickle
import queue
import time

from whoosh.writing import SegmentWriter

#: Batches sent ahead to each worker before the parent waits for the oldest answer.
IN_FLIGHT = 4
#: Seconds between checks that a silent worker is still alive.
POLL_SECONDS = 1.0


class WorkerFailed(Exception):
    """A writing process died or failed"""


class SegmentWorkers:
    """``count`` processes that extract batches and write their articles into one segment each.

    :param ix: the index (its TOC is read by each worker's writer).
    :param writer: the parent's locked writer (its temporary folder is shared for posting runs).
    :param extract: ``batch -> ([(origin, outcome)], cpu seconds)``; an outcome is a ``Skipped`` or
        ``(article, item)``.
    :param document: ``(article, item, origin, cluster) -> dict`` of fields to add.
    :param limitmb: each worker writer's posting pool size.
    """

    def __init__(self, ix, writer, count, extract, document, limitmb):
        context = multiprocessing.get_context("fork")
        self.workers = []
        for _ in range(count):
            inbox, outbox = context.Queue(), context.Queue()
            process = context.Process(
                target=_work, args=(ix, writer, inbox, outbox, extract, document, limitmb), daemon=True
            )
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
        ``Skipped`` or ``(article id, signature)``. Answer each with :meth:`write` before the next."""
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


def _work(ix, parent_writer, inbox, outbox, extract, document, limitmb):
    """A worker's loop: extract and keep, write when told, finish or cancel."""
    try:
        writer = SegmentWriter(ix, _lk=False, limitmb=limitmb)
        # Posting runs go into the parent writer's temporary folder, which the parent removes at the end
        # (also after a crash: the next writer of the index reuses and then removes that folder).
        writer._tempstorage = writer.pool.tempstore = parent_writer._tempstorage
        held = {}
        seconds = 0.0
        while True:
            kind, *args = inbox.get()
            if kind == "extract":
                seq, batch = args
                outcomes, cpu = extract(batch)
                held[seq] = outcomes
                outbox.put(("extracted", [_summary(o) for o in outcomes], cpu))
            elif kind == "write":
                seq, clusters = args
                started = time.perf_counter()
                built = [(origin, o) for origin, o in held.pop(seq) if isinstance(o, tuple)]
                assert len(built) == len(clusters)
                for (origin, (article, item)), cluster in zip(built, clusters):
                    writer.add_document(**document(article, item, origin, cluster))
                seconds += time.perf_counter() - started
            elif kind == "finish":
                started = time.perf_counter()
                if writer._added:
                    segment = writer._finalize_segment()
                else:
                    writer._close_segment()
                    segment = None
                seconds += time.perf_counter() - started
                outbox.put(("segment", segment, seconds))
                return
            else:  # cancel: close the files; the segment is never named in a TOC, so it is cleaned up later
                writer._close_segment()
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


def _summary(outcome):
    """What the parent needs of an extracted article: ``Skipped`` as is, else ``(id, signature)``."""
    origin, result = outcome
    if isinstance(result, tuple):
        article, _ = result
        return origin, (article.id, article.signature)
    return origin, result
