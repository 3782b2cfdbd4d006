"""Extraction on a Dask cluster: ``newsearch reindex SOURCE… --dask tcp://HOST:8786``.

Extraction (file → :class:`~index.article.Article`: HTML parsing, dates, named figures) is the CPU-bound
part of a reindex and the only part that goes to the cluster. Everything that needs the whole collection
stays in this process and runs exactly as in a local run, so the index written is the same:

* **collection learning** (a text-dump folder's boilerplate; an HTML folder's site profiles) is done by
  :func:`index.intake.pending` over the whole collection before any item is sent, and what it learned
  travels inside each :class:`~index.extract.Item` (lines to drop, the page's site profile, all part of
  the item's checksum). A worker learns nothing on its own, so no grouping of pages by site can go wrong;
  batches still follow the input order, folder by folder.
* **near-duplicate clusters** are assigned here, in input order: answers are taken in the order the
  batches were sent, whatever order the workers finish them in;
* **figure aliases** are computed here from the finished index (:mod:`index.aliases`);
* **writing** the Whoosh index is done here, by one writer.

Items carry the files' contents (bytes for a page, the parsed record for a JSON Lines line), so workers
need no access to the source files: only newsearch installed in the same version, which
:meth:`DaskExtraction.__enter__` checks on every worker before anything is sent.

Failures: a worker that dies takes its tasks with it; the scheduler runs them again on another worker (a
task is a pure function of its batch, so running it twice is harmless). A task whose workers die
``distributed.scheduler.allowed-failures`` times (3 by default), or a scheduler that goes away, raises
:class:`DaskFailed`; the reindex then stops like any failed run: a full build's generation aside is
removed, an incremental run's writer cancelled, and the live index is left as it was.

The ``distributed`` package is imported only here and only when a pool is opened, so a local run never
loads Dask (install it with ``pip install 'newsearch[dask]'``).
"""

import collections
import contextlib
import hashlib
import importlib.metadata
from pathlib import Path

from index.extract import EXTRACTOR_VERSION
from index.intake import build_batch

#: Batches sent ahead per worker thread before the oldest answer is waited for: one being extracted and
#: one waiting keep every thread busy while answers travel; more would only hold more in the scheduler's
#: memory (a batch is :data:`index.intake.BATCH_SIZE` items with their files' contents).
IN_FLIGHT = 2
#: Dask warns of tasks larger than 10 MB, which 64 web pages can be: size a batch holds by design (the
#: alternative, scattering the contents to a worker first, would lose them with that worker).
LARGE_BATCH = "1 GiB"
#: Batches between two counts of the cluster's worker threads.
RECOUNT_EVERY = 16
#: Seconds to reach the scheduler, and then to wait for a first worker.
CONNECT_SECONDS = 10


class DaskError(Exception):
    """Extraction on the Dask cluster failed"""


class DaskUnavailable(DaskError):
    """The Dask cluster cannot be used (unreachable, no worker, another newsearch version)"""


class DaskFailed(DaskError):
    """Extraction on the Dask cluster failed part way"""


class DaskExtraction:
    """A pool that extracts batches of items on the Dask cluster whose scheduler is at ``address``.

    Pass it as ``workers`` to :func:`index.build.reindex` or :func:`index.build.extract_articles`
    (inside ``with``): extraction goes to the cluster and this process writes the index alone.

    :param address: the scheduler's address (``tcp://HOST:8786``), or a ``distributed`` cluster object
        such as a ``LocalCluster``.
    """

    def __init__(self, address, timeout: float | None = None):
        self.address = address
        self.timeout = CONNECT_SECONDS if timeout is None else timeout
        self.client = None

    def __enter__(self):
        try:
            from distributed import Client
        except ImportError:
            raise DaskUnavailable("--dask needs the 'distributed' package: pip install 'newsearch[dask]'") from None
        try:
            self.client = Client(self.address, timeout=self.timeout, set_as_default=False)
        except Exception as e:  # noqa: BLE001  (OSError, TimeoutError, ValueError for a malformed address)
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {self.address}: {_reason(e)}") from None
        try:
            self._check_workers()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def threads(self) -> int:
        """Worker threads in the cluster now (each extracts one batch at a time)."""
        return max(1, sum(self.client.nthreads().values()))

    def extracted(self, batches, report):
        """Yield ``(origin, (article, item) or Skipped)`` for ``batches`` of ``(origin, item)``, in order.

        The same as :func:`index.intake.extracted` gives locally; CPU seconds spent on the workers are
        added to ``report.extract_cpu_seconds``.
        """
        sent = collections.deque()
        try:
            for n, batch in enumerate(batches):
                if n % RECOUNT_EVERY == 0:  # workers may have joined or left since
                    limit = IN_FLIGHT * self.threads()
                sent.append(self._submit(batch))
                if len(sent) >= limit:
                    yield from self._answer(sent.popleft(), report)
            while sent:
                yield from self._answer(sent.popleft(), report)
        finally:
            if sent and self.client is not None:  # stopped early: the cluster need not finish them
                with contextlib.suppress(Exception):  # a lost scheduler has cancelled them already
                    self.client.cancel(list(sent))

    def _submit(self, batch):
        """Send ``batch`` (its files' contents are in it, so the task can run again on another worker)."""
        import dask

        with dask.config.set({"distributed.admin.large-graph-warning-threshold": LARGE_BATCH}):
            return self.client.submit(build_batch, batch, pure=False)

    def _answer(self, future, report):
        try:
            results, cpu = future.result()
        except Exception as e:  # noqa: BLE001  (KilledWorker, CancelledError, a lost scheduler)
            raise DaskFailed(f"{DaskFailed.__doc__}: {_reason(e)}") from e
        finally:
            future.release()
        report.extract_cpu_seconds += cpu
        return results

    def _check_workers(self) -> None:
        """Wait for a worker; refuse workers that would extract differently (another newsearch)."""
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except Exception as e:  # noqa: BLE001  (TimeoutError)
            raise DaskUnavailable(f"no Dask worker joined the scheduler at {self.address} "
                                  f"within {self.timeout:g} s: {_reason(e)}") from None
        try:
            found = self.client.run(versions)
        except Exception as e:  # noqa: BLE001  (a worker without newsearch cannot unpickle the call)
            raise DaskUnavailable(f"the Dask workers cannot run newsearch: {_reason(e)}") from None
        here = versions()
        other = {worker: seen for worker, seen in found.items() if seen != here}
        if other:
            worker, seen = sorted(other.items())[0]
            raise DaskUnavailable(f"{len(other)} Dask worker(s) run another newsearch (e.g. {worker}: "
                                  f"{_describe(seen)}; here: {_describe(here)}): install the same version")


def versions() -> dict:
    """What must match between this process and a worker for extraction to give the same articles:
    the release, and a digest of the write side's code and data (a checkout with local changes
    differs from the release it started from)."""
    return {"newsearch": importlib.metadata.version("newsearch"), "extractor": EXTRACTOR_VERSION,
            "code": _code_digest()}


def _code_digest() -> str:
    """A digest of every file of the ``index`` package (its code and its data), names included."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _describe(found: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(found.items()))


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def log_without_tracebacks() -> None:
    """Have Dask's log lines (a lost worker, a lost scheduler) printed without the tracebacks its client
    attaches while it tries to reconnect: for a command line, the run's own error says what failed."""
    import logging

    try:
        import distributed  # noqa: F401  (configures its loggers, with handlers of their own)
    except ImportError:
        return  # DaskExtraction says so
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "tornado"):
            for handler in logging.getLogger(name).handlers:
                handler.addFilter(_without_traceback)


def _without_traceback(record) -> bool:
    """Keep the record's message and drop its traceback (and the record, when that was all it said)."""
    record.exc_info = record.exc_text = record.stack_info = None
    return bool(record.getMessage().strip())
