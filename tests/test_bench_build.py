"""bench.corpus's sizes and bench.perf's build measures (wall time, disk peak, scratch)."""

import time

from bench import corpus
from bench import perf

REUTERS = [{"id": "r1", "title": "A", "body": "one", "date": "1987-03-02T10:00:00"},
           {"id": "r2", "title": "B", "body": "two", "date": None}]


def test_the_1m_size_is_reuters_47_times_with_new_ids_and_whole_years():
    ours = [pair[0] for pair in corpus.records(REUTERS, "1m", {})]
    assert len(ours) == 47 * len(REUTERS)
    assert [r["id"] for r in ours[:4]] == ["r1", "r2", "r1-s1", "r2-s1"]
    assert ours[-2]["id"] == "r1-s46" and ours[-2]["date"] == "2033-03-02T10:00:00"
    assert ours[-1]["date"] is None
    assert len({r["id"] for r in ours}) == len(ours)
    assert [pair[0] for pair in corpus.records(REUTERS, "scaled", {})] == ours[:5 * len(REUTERS)]


def test_disk_peak_keeps_the_largest_size_seen(tmp_path):
    peak = perf.DiskPeak(tmp_path)
    (tmp_path / "run").write_bytes(b"x" * 1000)
    assert peak.sample(force=True) == 1000
    (tmp_path / "run").unlink()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "final").write_bytes(b"x" * 300)
    assert peak.sample(force=True) == 1000
    assert perf.dir_bytes(tmp_path) == 300


def test_run_timed_samples_the_disk_a_command_uses(tmp_path):
    folder = tmp_path / "ix"
    script = (f"import pathlib, time; p = pathlib.Path({str(folder)!r}); p.mkdir(); "
              "(p / 'scratch').write_bytes(b'x' * 5000); time.sleep(1.5); (p / 'scratch').unlink(); "
              "(p / 'index').write_bytes(b'x' * 2000)")
    peak = {}
    started = time.perf_counter()
    perf.run_timed([perf.sys.executable, "-c", script], tmp_path / "log", peak, watch=folder)
    assert time.perf_counter() - started >= 1.5
    assert peak["disk_bytes"] == 5000
    line = perf.build_line(100, {"seconds": 2.0, "peak": peak, "size": 2000})
    assert "50 docs/s" in line and "scratch (peak − final) 0.00 GB = 1.50× the final index" in line
