"""The report of :mod:`bench.perf`: every figure of a run as newsearch, baseline, their ratio and the issue's
target, per size and per query kind, with the machine and its load (``--write`` puts it in
``bench/RESULTS.md``)."""

import os
import platform
import statistics
from pathlib import Path

from bench.perf_http import CLIENTS
from bench.perf_http import THREADS
from bench.perf_http import WORKERS

#: The issue's targets per size: ratios are newsearch / baseline.
TARGETS = {
    "real": {"p50": 1 / 15, "p95": 1 / 4, "rate": 8.0, "docs_per_s": 1.0, "incr_change": 2.0, "rss_mb": 500},
    "scaled": {"p50": 1 / 20, "p95": 1 / 5, "rate": 10.0, "docs_per_s": None, "incr_change": 3.0,
               "rss_mb": 1536},
    "1m": {"p50": 1 / 20, "p95": 1 / 5, "rate": 10.0, "docs_per_s": None, "incr_change": 3.0, "rss_mb": 1536,
           "build_s": 1500, "scratch_ratio": 1.5, "p95_ms": 300, "ready_s": 10},
}


def percentile(values: list, p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "—"
    return f"{r:.3f}× (1/{1 / r:.1f})" if 0 < r < 1 else f"{r:.2f}×"


def summary_rows(res: dict) -> list:
    """``[metric, newsearch, baseline, ratio, target, met]`` rows of one size (baseline "—" when left out)."""
    t = TARGETS[res["size"]]
    lat = {side: [r["ms"] for r in rows if r["status"] == 200] for side, rows in res["latency"].items()}
    errs = {side: sum(r["status"] != 200 for r in rows) for side, rows in res["latency"].items()}
    rows = []

    def add(metric, ns, base, fmt, target=None, better="lower", absolute=None):
        ratio = ns / base if ns is not None and base else None
        if absolute is not None:
            met = ns is not None and ns <= absolute
            target_text = f"≤ {absolute:g}"
        elif target is not None and ratio is not None:
            met = ratio <= target if better == "lower" else ratio >= target
            target_text = f"≤ 1/{1 / target:.0f}" if better == "lower" else f"≥ {target:g}×"
        else:
            met, target_text = None, "—"
        show = lambda v: "—" if v is None else fmt(v)  # noqa: E731
        rows.append([metric, show(ns), show(base), fmt_ratio(ratio), target_text,
                     "—" if met is None else ("yes" if met else "**no**")])

    def of(values: dict, side: str, pick):
        return pick(values[side]) if values.get(side) else None

    ms = lambda v: f"{v:.1f}"  # noqa: E731
    for name, p in (("p50", 50), ("p95", 95)):
        add(f"HTTP {name} latency, ms ({len(lat['newsearch'])} requests)",
            percentile(lat["newsearch"], p), of(lat, "baseline", lambda v: percentile(v, p)), ms, t[name],
            absolute=t.get(f"{name}_ms"))
    if res.get("cold"):
        cold = {side: [r["ms"] for r in rows if r["status"] == 200] for side, rows in res["cold"].items()}
        for name, p in (("p50", 50), ("p95", 95)):
            add(f"first pass after start (cold caches): {name} latency, ms", percentile(cold["newsearch"], p),
                of(cold, "baseline", lambda v: percentile(v, p)), ms)
    if res.get("ready"):
        add("server ready after start (first search answered), s", res["ready"]["newsearch"],
            res["ready"].get("baseline"), lambda v: f"{v:.1f}", absolute=t.get("ready_s"))
    answers = {side: rows + res.get("cold", {}).get(side, []) for side, rows in res["latency"].items()}
    if all("listed" in r for rows in answers.values() for r in rows):
        listed = sum(r["listed"] for r in answers["newsearch"])
        add(f"hits listed without a snippet but with body text, all passes (of {listed:,} listed)",
            sum(r["unsnipped"] for r in answers["newsearch"]),
            of(answers, "baseline", lambda v: sum(r["unsnipped"] for r in v)), str, absolute=0)
    r = res["rate"]
    add(f"searches/s, {CLIENTS} clients", r["newsearch"]["rate"], of(r, "baseline", lambda v: v["rate"]),
        lambda v: f"{v:.1f}", t["rate"], better="higher")
    add("errors (non-200 / failed requests)", errs["newsearch"] + r["newsearch"]["errors"],
        of(r, "baseline", lambda v: v["errors"] + errs["baseline"]), str, absolute=0)
    b = res["builds"]
    if b["newsearch"] is not None:
        add("full index build, s", b["newsearch"], b["baseline"], lambda v: f"{v:.1f}", absolute=t.get("build_s"))
        add("full index build, docs/s", b["docs"] / b["newsearch"], b["docs"] / b["baseline"] if b["baseline"]
            else None, lambda v: f"{v:,.0f}", t["docs_per_s"], better="higher")
        if b.get("peak"):
            add("full index build, peak RSS of all its processes, MB", b["peak"]["newsearch"].get("rss_mb"),
                b["peak"]["baseline"].get("rss_mb"), lambda v: f"{v:.0f}")
            disk = b["peak"]["newsearch"].get("disk_bytes")
            if disk:
                scratch = max(disk - b["sizes"]["newsearch"], 0) / b["sizes"]["newsearch"]
                add("full index build, scratch disk (peak − final) / final index", scratch, None,
                    lambda v: f"{v:.2f}", absolute=t.get("scratch_ratio"))
    mb = lambda v: v / 1e6 if v is not None else None  # noqa: E731
    add("index size, MB", mb(b["sizes"]["newsearch"]), mb(b["sizes"]["baseline"]), lambda v: f"{v:.1f}")
    memory = res.get("memory")
    add(f"server RSS, MB (master + {WORKERS} workers; pages they share counted in each)",
        sum(res["rss"]["newsearch"]), of(res["rss"], "baseline", sum), lambda v: f"{v:.0f}",
        absolute=None if memory else t["rss_mb"])
    if memory:
        add("server memory (PSS: shared pages counted once), MB", memory["newsearch"]["pss"],
            of(memory, "baseline", lambda v: v["pss"]), lambda v: f"{v:.0f}", absolute=t["rss_mb"])
        add("server anonymous memory (heaps; pages shared since the fork counted in each), MB",
            memory["newsearch"]["anonymous"],
            of(memory, "baseline", lambda v: v["anonymous"]), lambda v: f"{v:.0f}")
    i = res["incr"]
    if i["change_s"] is None:
        rows.append(["incremental reindex", "**failed**", "—", "—", f"≤ {t['incr_change']:g}", "**no**"])
        return rows
    rows.append(["incremental reindex, 1 changed file, s", f"{i['change_s']:.2f}", "—", "—",
                 f"≤ {t['incr_change']:g}", "yes" if i["change_s"] <= t["incr_change"] and i["change_seen"]
                 else "**no**" if i["change_seen"] else "**change not seen by server**"])
    before, after = i.get("totals", (None, None))
    rows.append(["incremental reindex, +1,000 articles, s", f"{i['add_s']:.2f}", "—", "—", "—",
                 "—" if i["add_seen"] else f"**server total {after} ≠ {before} + 1,000**"])
    return rows


def kind_rows(res: dict) -> list:
    """Per query kind: p50 of each side, ratio, and how many queries' totals differ."""
    out = []
    lat = res["latency"]
    for kind in dict.fromkeys(r["kind"] for r in lat["newsearch"]):
        ns = [r["ms"] for r in lat["newsearch"] if r["kind"] == kind and r["status"] == 200]
        base = [r["ms"] for r in lat.get("baseline", []) if r["kind"] == kind and r["status"] == 200]
        totals = {}
        for side in lat:
            for r in lat[side]:
                if r["kind"] == kind:
                    totals.setdefault(r["i"], {})[side] = r["total"]
        ns_total = sum(t.get("newsearch") or 0 for t in totals.values())
        base_total = sum(t.get("baseline") or 0 for t in totals.values())
        p50n, p50b = statistics.median(ns) if ns else None, statistics.median(base) if base else None
        out.append([kind, f"{p50n:.1f}" if p50n else "—", f"{p50b:.1f}" if p50b else "—",
                    fmt_ratio(p50n / p50b if p50n and p50b else None), f"{ns_total:,}",
                    f"{base_total:,}" if "baseline" in lat else "—"])
    return out


def table(header: list, rows: list) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_info() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30}


def report(results: list, info: dict, args) -> str:
    alone = [res["stamp"]["label"] for res in results if "baseline" not in res["latency"]]
    parts = [
        "# newsearch vs the baseline: performance",
        "",
        f"Last run: {info['started']} → {info['finished']} (UTC), `python -m bench.perf {info['argv']}`.",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']:.0f} GB RAM, Python {info['python']}; "
        f"**shared** with other jobs — load average (1/5/15 min) before: {info['load_before']}, "
        f"after: {info['load_after']}.",
        "",
        "Both systems ran in the same run, side by side: both servers up at once with "
        f"{WORKERS} gunicorn workers × {THREADS} threads (gthread); latency = {args.passes} sequential passes "
        "of the 50-query mix (`bench/queries.json`), each query sent to both in turn over keep-alive "
        "connections on 127.0.0.1, after a first pass timed apart (the \"cold caches\" rows: newsearch "
        "keeps decoded posting lists and per-segment facet arrays between requests, so the later passes, "
        f"which repeat the mix, find them warm); throughput = {CLIENTS} client threads for {args.duration:g} s per system "
        "in 4 alternating slices. Ratios are newsearch / baseline. The baseline (`bench/baseline_app.py`) is "
        "a straightforward Whoosh + Flask service: new searcher per request, `groupedby` facets, "
        "`hit.highlights(\"body\")`, plain schema, an indexer that extracts nothing, one writer process. "
        "Both systems facet on the same people: the baseline's records carry the figure names newsearch "
        "extracts from the same text (written by `bench/corpus.py`; the baseline does not extract them).",
    ]
    if alone:
        parts[-1] += (f" Measured without the baseline (newsearch alone, against absolute targets): {', '.join(alone)}"
                      " — see the docstring of `bench/perf.py`.")
    for res in results:
        parts += ["", f"## {res['stamp']['label']}: {res['stamp']['documents']:,} articles", "",
                  table(["metric", "newsearch", "baseline", "ratio", "target", "met?"], summary_rows(res)),
                  "", "Per query kind (p50 ms; summed `total` of the kind's queries — they differ because "
                  "newsearch stems words and counts a figure under all its spellings (aliases), while the "
                  "baseline matches words and figure names exactly):", "",
                  table(["kind", "newsearch p50", "baseline p50", "ratio", "newsearch totals",
                         "baseline totals"], kind_rows(res))]
        parts += ["", "Server RSS per process after the load, MB (master first): "
                  + "; ".join(f"{side} " + " + ".join(f"{mb:.0f}" for mb in mbs) for side, mbs in res["rss"].items())
                  + "."]
        if res["incr"]["problems"]:
            parts += ["", "Problems after newsearch's incremental reindex (server up):", ""]
            parts += [f"- {p}" for p in res["incr"]["problems"]]
        errors = [r for rows in res["latency"].values() for r in rows if r["status"] != 200]
        if errors:
            parts += ["", "Errors seen in the latency passes:", ""]
            parts += [f"- {r['kind']} #{r['i']}: HTTP {r['status']} {r['error']!r}" for r in errors[:10]]
    return "\n".join(parts) + "\n"


def loadavg() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())
