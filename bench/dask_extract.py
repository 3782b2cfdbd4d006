"""Extraction throughput here and on a Dask ``LocalCluster``: pages per second, wall and CPU.

``python -m bench.dask_extract [--pages ../shared/corpora/html-trafilatura-dev/html] [--repeat 3]``

Runs :func:`index.build.extract_articles` (what ``newsearch extract`` and a reindex's extraction do) over
the same pages in these modes, interleaved round by round so a change in the machine's load hits all
of them alike:

* ``here``: in this process (``--workers 0``);
* ``processes-2``: two local worker processes (:mod:`index.parallel`, the default on a 2-core machine);
* ``dask-1``, ``dask-2``: a ``LocalCluster`` of 1 or 2 worker processes with one thread each
  (``--dask``), started before each run and closed after it (neither timed). Its scheduler runs in
  this process, so the parent's CPU of these modes includes the scheduler's.

This process and every worker extract one page first (not timed), so first-use loading is not counted.

For each it prints the median over the rounds of the wall seconds, the CPU seconds of the parent (reading
the files, shipping them) and of the workers (whole worker processes, so Dask's own work is counted),
pages per wall second and pages per CPU second, and checks that every mode gave the same articles as
``here``. The load average (1 minute) before and after each round is printed too: on a shared machine
the numbers mean little without it.
"""

import argparse
import json
import os
import resource
import statistics
import time
from contextlib import nullcontext
from pathlib import Path

from index.build import extract_articles
from index.extract import Skipped

DEFAULT_PAGES = Path(__file__).resolve().parents[1] / "../shared/corpora/html-trafilatura-dev/html"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="a folder of HTML pages")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (each runs every mode once)")
    parser.add_argument("--modes", default="here,processes-2,dask-1,dask-2")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        raise SystemExit(f"no pages at {args.pages} (the shared corpora are not here)")
    modes = args.modes.split(",")
    _warm(str(min(args.pages.iterdir())))
    rows = _rounds(args.pages, modes, args.repeat)
    _print(rows, args.pages)


def _rounds(pages, modes, repeat) -> dict:
    """``{mode: [measure per round]}``; the first mode's articles are the reference."""
    rows = {mode: [] for mode in modes}
    reference = None
    for n in range(repeat):
        for mode in modes:
            with _cluster(mode, str(min(pages.iterdir()))) as cluster:
                load = os.getloadavg()[0]
                measure, articles = _measure(pages, mode, cluster)
                measure["load"] = (load, os.getloadavg()[0])
            reference = reference if reference is not None else articles
            measure["same"] = articles == reference
            rows[mode].append(measure)
            print(f"round {n + 1} {mode}: {_line(measure)}", flush=True)
    return rows


def _measure(pages, mode, cluster):
    """Extract every page of ``pages`` in ``mode``; return the measures and the articles (as JSON)."""
    pool = nullcontext(0 if mode == "here" else 2) if cluster is None else _pool(cluster)
    with pool as workers:
        remote_before = _remote_cpu(workers)
        here_before, children_before = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        articles = [_as_json(outcome) for outcome in extract_articles([pages], workers=workers)]
        wall = time.perf_counter() - started
        parent = _cpu(resource.RUSAGE_SELF) - here_before
        workers_cpu = _cpu(resource.RUSAGE_CHILDREN) - children_before + _remote_cpu(workers) - remote_before
    count = sum(1 for a in articles if not a.startswith("skipped"))
    return {"pages": count, "wall": wall, "parent_cpu": parent, "workers_cpu": workers_cpu}, articles


def _cluster(mode, page):
    """For a ``dask-N`` mode, a started and warmed ``LocalCluster`` of N workers (else no cluster)."""
    if not mode.startswith("dask-"):
        return nullcontext()
    from distributed import Client
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=int(mode.split("-")[1]), processes=True, threads_per_worker=1,
                           dashboard_address=":0")
    with Client(cluster, set_as_default=False) as client:
        client.run(_warm, page)
    return cluster


def _warm(page):
    """Extract one page, so what extraction loads on first use (trafilatura, models) is not timed."""
    list(extract_articles([page], workers=0))


def _pool(cluster):
    from index.dask_extraction import DaskExtraction

    return DaskExtraction(cluster.scheduler_address)


def _remote_cpu(workers) -> float:
    """CPU seconds of the Dask worker processes so far (0 for local modes)."""
    if not hasattr(workers, "client"):
        return 0.0
    return sum(workers.client.run(_process_cpu).values())


def _process_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _as_json(outcome) -> str:
    if isinstance(outcome, Skipped):
        return f"skipped {outcome.where}: {outcome.reason}"
    return json.dumps(outcome.to_json(), ensure_ascii=False, sort_keys=True)


def _line(m) -> str:
    cpu = m["parent_cpu"] + m["workers_cpu"]
    return (f"{m['pages']} pages, wall {m['wall']:.1f} s ({m['pages'] / m['wall']:.1f} pages/s), "
            f"CPU parent {m['parent_cpu']:.1f} s + workers {m['workers_cpu']:.1f} s "
            f"({m['pages'] / cpu:.1f} pages/CPU-s), load {m['load'][0]:.1f}→{m['load'][1]:.1f}, "
            f"same articles: {'yes' if m['same'] else 'NO'}")


def _print(rows, pages):
    print(f"\n{pages.resolve()}: medians over {len(next(iter(rows.values())))} rounds, {os.cpu_count()} CPUs")
    print("| mode | wall s | pages/s (wall) | parent CPU s | workers CPU s | pages/CPU-s | load 1 min | same |")
    print("|---|---|---|---|---|---|---|---|")
    for mode, measures in rows.items():
        med = {key: statistics.median(m[key] for m in measures) for key in ("wall", "parent_cpu", "workers_cpu")}
        n = measures[0]["pages"]
        loads = [value for m in measures for value in m["load"]]
        print(f"| {mode} | {med['wall']:.1f} | {n / med['wall']:.1f} | {med['parent_cpu']:.1f} | "
              f"{med['workers_cpu']:.1f} | {n / (med['parent_cpu'] + med['workers_cpu']):.1f} | "
              f"{min(loads):.1f}–{max(loads):.1f} | {'yes' if all(m['same'] for m in measures) else 'NO'} |")


if __name__ == "__main__":
    main()
