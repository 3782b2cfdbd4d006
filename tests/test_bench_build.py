"""bench.corpus's sizes, bench.perf's build measures (wall time, disk peak, scratch), its report's verdicts
(bench.perf_report) and how it counts a search answer (bench.perf_http)."""

import json
import sys
import time

from bench import corpus
from bench import perf
from bench import perf_http
from bench import perf_report

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
    perf.run_timed([sys.executable, "-c", script], tmp_path / "log", peak, watch=folder)
    assert time.perf_counter() - started >= 1.5
    assert peak["disk_bytes"] == 5000
    line = perf.build_line(100, {"seconds": 2.0, "peak": peak, "size": 2000})
    assert "50 docs/s" in line and "scratch (peak − final) 0.00 GB = 1.50× the final index" in line


def _latency(ms_values, unsnipped=0):
    return [{"kind": "common word", "i": i, "ms": ms, "status": 200, "total": 5, "listed": 10,
             "unsnipped": unsnipped if i == 0 else 0, "error": None} for i, ms in enumerate(ms_values)]


def test_a_1m_run_without_the_baseline_is_judged_on_absolute_targets():
    res = {"size": "1m", "latency": {"newsearch": _latency([100.0] * 19 + [400.0])},
           "cold": {"newsearch": _latency([500.0] * 20, unsnipped=2)}, "ready": {"newsearch": 4.2},
           "rate": {"newsearch": {"rate": 30.0, "errors": 0}},
           "builds": {"newsearch": 1400.0, "baseline": None, "docs": 1_000_000,
                      "peak": {"newsearch": {"rss_mb": 3000, "disk_bytes": 4000}, "baseline": {}},
                      "sizes": {"newsearch": 3000, "baseline": None}},
           "rss": {"newsearch": [60.0, 800.0, 800.0]}, "memory": {"newsearch": {"pss": 1200.0, "anonymous": 700.0}},
           "incr": {"change_s": 2.5, "change_seen": True, "add_s": 9.0, "add_seen": True, "totals": (1, 1001)}}
    rows = {row[0].split(" (")[0].split(",")[0]: row for row in perf_report.summary_rows(res)}
    p95 = next(row for name, row in rows.items() if name.startswith("HTTP p95"))
    assert p95[1:] == ["400.0", "—", "—", "≤ 300", "**no**"]
    assert rows["server ready after start"][1:] == ["4.2", "—", "—", "≤ 10", "yes"]
    assert rows["hits listed without a snippet but with body text"][1] == "2"
    assert rows["hits listed without a snippet but with body text"][-1] == "**no**"
    assert rows["full index build"][-1] == "yes"
    scratch = next(row for name, row in rows.items() if "scratch" in row[0])
    assert scratch[1] == "0.33" and scratch[-1] == "yes"
    assert rows["server RSS"][1:] == ["1660", "—", "—", "—", "—"]  # pages both workers map, counted twice
    assert rows["server memory"][1:] == ["1200", "—", "—", "≤ 1536", "yes"]
    assert all(row[2] == "—" for row in rows.values())
    assert perf_report.kind_rows(res) == [["common word", "100.0", "—", "—", "100", "—"]]


def test_a_hit_without_a_snippet_counts_only_when_its_article_has_body_text():
    class Articles:
        def get(self, path):
            body = "" if path.endswith("/empty") else "Some text."
            return 200, json.dumps({"article": {"body": body}}).encode()

    answer = {"total": 7, "hits": [{"id": "a", "snippet": "<mark>x</mark>"}, {"id": "empty", "snippet": ""},
                                   {"id": "full", "snippet": " "}]}
    assert perf_http.answer_counts(answer, Articles(), "newsearch") == (7, 3, 1)
    assert perf_http.answer_counts(answer, Articles(), "baseline") == (7, 3, 2)
