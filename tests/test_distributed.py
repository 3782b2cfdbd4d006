"""Extraction on a Dask cluster (``--dask``): the index written is the one a local run writes.

The comparisons run a real ``LocalCluster`` of two worker processes (the ``distributed`` package, the
``dask`` extra); they skip when it is not installed. Without ``--dask`` Dask is never imported.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import index.intake
import newsearch
from index import reindex
from index.store import open_current

pytestmark = pytest.mark.cost(17)

PAGE = """<html><head><title>{title} | Harbour Gazette</title>
<meta property="og:url" content="https://gazette.example/{slug}">
<meta property="article:published_time" content="2021-03-0{day}T09:00:00Z"></head>
<body><nav>Home · World · Harbours · Subscribe</nav>
<article><h1>{title}</h1><p>{body}</p><p>Port director Maria Lindqvist said the quays would reopen
after the storm, and harbour master Jonas Berg agreed with her about the timing of the work.</p></article>
<footer>© Harbour Gazette · All rights reserved · Contact the newsroom</footer></body></html>"""

DUMP = """{title}

Published by the Coastal Wire — subscribe for daily news
{body} Minister Ana Sousa visited the dock on Monday.
Coastal Wire · all rights reserved
"""


def corpus(root):
    """JSON Lines with near-duplicate pairs far apart, a folder of text dumps sharing boilerplate, and
    HTML pages of one site: enough for many batches, clusters, figures, aliases and collection learning."""
    root.mkdir()
    records = []
    for n in range(90):
        body = f"Story {n % 45} reports that the port of Gdansk handled {n % 45 * 1000} containers in March. " * 3
        records.append({"id": f"w{n}", "title": f"Port figures {n % 45}", "body": body,
                        "date": f"2020-0{n % 9 + 1}-1{n % 10}", "figures": ["Jan Kowalski" if n % 7 else "J. Kowalski"]})
    (root / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (root / "dumps").mkdir()
    for n in range(6):
        body = f"Fishermen in village {n} counted {n * 11} boats after the storm."
        (root / "dumps" / f"d{n}.txt").write_text(DUMP.format(title=f"Storm report {n}", body=body))
    (root / "pages").mkdir()
    for n in range(5):
        page = PAGE.format(title=f"Quays of harbour {n} reopen", slug=f"quays-{n}", day=n + 1,
                           body=f"Harbour {n} was closed for {n + 2} days while cranes were repaired.")
        (root / "pages" / f"quays-{n}.html").write_text(page)
    return root


def stored(index_dir):
    """Every article's stored fields by id, and the figure aliases of the index in ``index_dir``."""
    gen, ix = open_current(index_dir)
    try:
        with ix.searcher() as searcher:
            articles = {fields["id"]: fields for fields in searcher.all_stored_fields()}
        aliases = json.loads((gen / "aliases.json").read_text())["aliases"]
    finally:
        ix.close()
    return articles, aliases


@pytest.mark.slow
def test_without_dask_nothing_loads_dask(tmp_path):
    """A local reindex and extract never import Dask (a subprocess, so other tests' imports do not count)."""
    src = corpus(tmp_path / "src")
    code = (
        "import sys, newsearch\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(newsearch.cli, ['reindex', {str(src)!r}, '--index', {str(tmp_path / 'ix')!r},"
        " '--workers', '0'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(newsearch.cli, ['extract', {str(src / 'dumps')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="the 'dask' extra (distributed) is not installed")
    import index.dask_extraction

    monkeypatch.setattr(index.dask_extraction, "CONNECT_SECONDS", 1)
    src = corpus(tmp_path / "src")
    for args in (["reindex", str(src), "--index", str(tmp_path / "ix")], ["extract", str(src)]):
        result = CliRunner().invoke(newsearch.cli, [*args, "--dask", "tcp://127.0.0.1:9"])
        assert result.exit_code == 1, result.output
        assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "ix").exists()


def test_dask_with_workers_is_a_usage_error(tmp_path):
    src = corpus(tmp_path / "src")
    result = CliRunner().invoke(newsearch.cli, ["reindex", str(src), "--index", str(tmp_path / "ix"),
                                                "--workers", "2", "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "cannot be used together" in result.output


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, as on two small machines."""
    distributed = pytest.importorskip("distributed", reason="the 'dask' extra (distributed) is not installed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=":0") as cluster:
        yield cluster


@pytest.mark.slow
def test_dask_reindex_writes_the_local_index(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(index.intake, "BATCH_SIZE", 8)  # many batches, answered out of order
    src = corpus(tmp_path / "src")
    local = reindex([src], tmp_path / "local", workers=0)
    result = CliRunner().invoke(newsearch.cli, ["reindex", str(src), "--index", str(tmp_path / "dask"),
                                                "--dask", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    here, there = stored(tmp_path / "local"), stored(tmp_path / "dask")
    assert local.added == len(here[0]) == 101
    assert here == there
    articles, aliases = here
    assert len({a["cluster"] for a in articles.values() if a["id"].startswith("w")}) == 45  # pairs
    assert aliases == {"J. Kowalski": "Jan Kowalski"}
    assert all("Coastal Wire" not in a["body"] for a in articles.values() if a["id"].startswith("dumps"))


@pytest.mark.slow
def test_dask_extract_prints_the_local_articles(tmp_path, cluster):
    src = corpus(tmp_path / "src")
    runner = CliRunner()
    local = runner.invoke(newsearch.cli, ["extract", str(src)])
    remote = runner.invoke(newsearch.cli, ["extract", str(src), "--dask", cluster.scheduler_address])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.output == local.output and local.output.count("\n") == 101


@pytest.mark.slow
def test_worker_killed_mid_run_loses_nothing(tmp_path, cluster, monkeypatch):
    """A worker killed while it extracts a batch: the scheduler runs it again elsewhere; same index."""
    from distributed import Client

    from index.dask_extraction import DaskExtraction

    monkeypatch.setattr(index.intake, "BATCH_SIZE", 4)
    src = corpus(tmp_path / "src")
    reindex([src], tmp_path / "local", workers=0)
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)

    class KillABusyWorker:
        """As articles come back, kill a worker that is extracting a batch (the scheduler says which).

        Each article waits at most a moment for a busy worker: the parent sends the next batch only
        after it has taken the articles it holds, so waiting long here (it was 30 s an article) can
        find every worker idle, again and again (two minutes of a parallel test run)."""

        killed = False
        deadline = time.monotonic() + 60  # for the whole run

        def start(self, total):
            pass

        def advance(self, n=1):
            wait = min(time.monotonic() + 1, self.deadline)
            while not self.killed and time.monotonic() < wait:
                busy = [address for address, worker in list(cluster.scheduler.workers.items()) if worker.processing]
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    self.killed = True
                else:
                    time.sleep(0.01)

    progress = KillABusyWorker()
    log = cluster.scheduler.transition_log
    before = len(log)
    try:
        with DaskExtraction(cluster.scheduler_address) as pool:
            report = reindex([src], tmp_path / "dask", workers=pool, progress=progress)
    finally:
        cluster.wait_for_workers(2, timeout=60)  # the nanny restarts it, for the tests after this one
    assert progress.killed and report.added == 101
    started = [key for key, _, finish, *_ in list(log)[before:] if finish == "processing"]
    assert len(started) > len(set(started))  # a batch was started again after its worker died
    assert stored(tmp_path / "local") == stored(tmp_path / "dask")


@pytest.mark.slow
def test_workers_of_another_version_are_refused(cluster, monkeypatch):
    import index.dask_extraction
    from index.dask_extraction import DaskExtraction
    from index.dask_extraction import DaskUnavailable

    monkeypatch.setattr(index.dask_extraction, "_code_digest", lambda: "changed here only")
    with pytest.raises(DaskUnavailable, match=r"\d Dask worker.s. run another newsearch"):
        with DaskExtraction(cluster.scheduler_address):
            pass


@pytest.mark.slow
def test_scheduler_lost_mid_run_leaves_the_live_index(tmp_path, monkeypatch):
    """An incremental run whose scheduler goes away fails clearly; the index keeps what it had."""
    distributed = pytest.importorskip("distributed", reason="the 'dask' extra (distributed) is not installed")
    from index.dask_extraction import DaskExtraction
    from index.dask_extraction import DaskFailed

    monkeypatch.setattr(index.intake, "BATCH_SIZE", 4)
    src = corpus(tmp_path / "src")
    reindex([src], tmp_path / "ix", workers=0)
    before = stored(tmp_path / "ix")
    lines = (src / "wire.jsonl").read_text().replace("Port figures", "Harbour figures")
    (src / "wire.jsonl").write_text(lines)

    with distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                  dashboard_address=":0") as doomed:
        class CloseOnFirst:
            def start(self, total):
                pass

            def advance(self, n=1):
                doomed.close()

        with pytest.raises(DaskFailed, match="failed part way"):
            with DaskExtraction(doomed.scheduler_address) as pool:
                reindex([src], tmp_path / "ix", workers=pool, progress=CloseOnFirst())
    assert stored(tmp_path / "ix") == before
    assert reindex([src], tmp_path / "ix", workers=0).updated == 90  # and the next run does the work
