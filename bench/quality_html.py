"""How well ``index.html.extract_html`` finds body, title and date on real pages.

The pages and their ground truth live outside the repo in ``../shared/corpora`` (never copied here):

- ``html-trafilatura-dev``: 328 pages with ``with``/``without`` text segments, titles and dates.
  Body score = the set's own segment F1: a ``with`` segment found in the extracted body
  (whitespace-normalised substring match) is a true positive, a missing one a false negative; a
  ``without`` segment found is a false positive. P/R/F1 over all segments of all pages.
  Titles: exact match after whitespace folding; dates: exact day.
- ``html-scrapinghub-aeb``: 181 article pages with a ground-truth ``articleBody``. Body score = the
  benchmark's ``evaluate.py``: shingles are 4-grams of ``\\w+`` tokens with counts; per page TP/FP/FN
  are normalised to sum 1; precision is averaged over pages with TP+FP > 0 (an empty extraction does
  not count for precision) and recall over pages with TP+FN > 0 (an empty extraction counts 0);
  F1 is taken from the two averages.

Plain ``trafilatura.extract(html)`` with defaults is scored in the same run for comparison.
Run ``python -m bench.quality_html`` from the repo root to print the table.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
TRAF_DEV = "html-trafilatura-dev"
AEB = "html-scrapinghub-aeb"
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
SHINGLE_N = 4

Page = tuple[str, bytes, dict]


def load_set(name: str) -> list[Page]:
    """Return ``(key, raw html bytes, truth)`` for every page of one corpus, sorted by key."""
    folder = CORPORA / name
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        filename = key if key.endswith(".html.gz") else key + ".html.gz"
        pages.append((key, gzip.decompress((folder / "html" / filename).read_bytes()), item))
    return pages


def fold(text: str) -> str:
    """Collapse all whitespace runs to one space."""
    return " ".join(text.split())


# --- html-trafilatura-dev: segment F1 -------------------------------------------------------


def segment_counts(body: str, item: dict) -> Counter:
    """Count tp/fn (``with`` segments) and fp/tn (``without`` segments) for one page."""
    text = fold(body)
    counts: Counter = Counter()
    for segment in item.get("with", []):
        counts["tp" if fold(segment) in text else "fn"] += 1
    for segment in item.get("without", []):
        counts["fp" if fold(segment) in text else "tn"] += 1
    return counts


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def segment_score(bodies: list[str], pages: list[Page]) -> tuple[float, str]:
    """Segment F1 over all pages, with a detail string."""
    total: Counter = Counter()
    for body, (_, _, item) in zip(bodies, pages):
        total += segment_counts(body, item)
    p, r, f1 = prf(total["tp"], total["fp"], total["fn"])
    return f1, f"P={p:.3f} R={r:.3f} tp={total['tp']} fp={total['fp']} fn={total['fn']}"


# --- html-scrapinghub-aeb: shingle F1 (evaluate.py) ------------------------------------------


def shingles(text: str, n: int = SHINGLE_N) -> Counter:
    """4-grams of ``\\w+`` tokens with counts (a shorter text gives one shorter shingle)."""
    tokens = TOKEN_RE.findall(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(gram for gram in grams if gram)


def shingle_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Per-page TP/FP/FN on shingles, normalised to sum 1 so long pages weigh the same."""
    true_sh, pred_sh = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(true_sh) | set(pred_sh):
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp, fp, fn = tp + min(t, p), fp + max(0, p - t), fn + max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def shingle_score(bodies: list[str], pages: list[Page]) -> tuple[float, str]:
    """evaluate.py's F1: precision and recall averaged over pages, F1 from the two averages."""
    counts = [shingle_tp_fp_fn(item["articleBody"], body) for body, (_, _, item) in zip(bodies, pages)]
    precision = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    empty = sum(1 for body in bodies if not body.strip())
    return f1, f"P={precision:.3f} R={recall:.3f} empty={empty}/{len(bodies)}"


# --- running the extractors ------------------------------------------------------------------


def run_ours(pages: list[Page]) -> tuple[list, float]:
    """Extract every page with ``extract_html``; return the articles and the CPU seconds used."""
    from index.html import extract_html

    start = time.process_time()
    articles = [extract_html(data, url=_page_url(item)) for _, data, item in pages]
    return articles, time.process_time() - start


def run_plain_trafilatura(pages: list[Page]) -> list[str]:
    """Body text from ``trafilatura.extract(html)`` with its defaults ('' when it finds none)."""
    import trafilatura

    return [trafilatura.extract(data) or "" for _, data, _ in pages]


def _page_url(item: dict) -> str | None:
    url = item.get("key") or item.get("url")
    return url if url and url.startswith("http") else None


def row(what: str, set_: str, measure: str, value: float, target: float | None,
        ok: bool, detail: str) -> dict:
    """One table row in the shape shared by all bench modules."""
    return {"what": what, "set": set_, "measure": measure, "value": round(value, 4),
            "target": target, "ok": ok, "detail": detail}


def body_rows(set_: str, measure: str, score: Callable, target: float, ours: list[str],
              plain: list[str], pages: list[Page]) -> list[dict]:
    """Our body score next to plain trafilatura's on one set."""
    value, detail = score(ours, pages)
    base, base_detail = score(plain, pages)
    ok = value >= target and value >= base
    return [row("body", set_, f"{measure} (newsearch)", value, target, ok, detail + f"; needs >= plain {base:.4f}"),
            row("body", set_, f"{measure} (plain trafilatura)", base, None, True, base_detail)]


def title_row(articles: list, pages: list[Page]) -> dict:
    """Exact title match (whitespace folded) on pages with a title."""
    pairs = [(fold(a.title), fold(item["title"])) for a, (_, _, item) in zip(articles, pages)
             if item.get("title", "").strip()]
    hits = sum(1 for got, want in pairs if got == want)
    value = hits / len(pairs) if pairs else 0.0
    return row("title", TRAF_DEV, "exact match", value, 0.85, value >= 0.85, f"{hits}/{len(pairs)}")


def date_rows(articles: list, pages: list[Page]) -> list[dict]:
    """Exact day and 'nothing found' share on pages with a date."""
    pairs = [(a.date, item["date"]) for a, (_, _, item) in zip(articles, pages) if item.get("date", "").strip()]
    n = len(pairs) or 1
    hits = sum(1 for got, want in pairs if got is not None and got.isoformat() == want)
    missing = sum(1 for got, _ in pairs if got is None)
    wrong = len(pairs) - hits - missing
    return [row("date", TRAF_DEV, "exact day", hits / n, 0.90, hits / n >= 0.90,
                f"{hits}/{len(pairs)} right, {wrong} wrong, {missing} none"),
            row("date", TRAF_DEV, "no date found share", missing / n, 0.05, missing / n < 0.05,
                f"{missing}/{len(pairs)} (lower is better: ok when < target)")]


def _plain_bodies() -> tuple[list[str], list[str]]:
    """Plain trafilatura on both sets (run in a second process, beside our extractor)."""
    return run_plain_trafilatura(load_set(TRAF_DEV)), run_plain_trafilatura(load_set(AEB))


def rows() -> list[dict]:
    """Score everything; [] when the corpora folder is absent."""
    if not (CORPORA / TRAF_DEV).is_dir() or not (CORPORA / AEB).is_dir():
        return []
    traf_pages, aeb_pages = load_set(TRAF_DEV), load_set(AEB)
    with ProcessPoolExecutor(max_workers=1) as pool:
        plain = pool.submit(_plain_bodies)
        traf_ours, traf_cpu = run_ours(traf_pages)
        aeb_ours, aeb_cpu = run_ours(aeb_pages)
        traf_plain, aeb_plain = plain.result()
    out = body_rows(TRAF_DEV, "segment F1", segment_score, 0.93, [a.body for a in traf_ours],
                    traf_plain, traf_pages)
    out += body_rows(AEB, "shingle F1", shingle_score, 0.96, [a.body for a in aeb_ours],
                     aeb_plain, aeb_pages)
    out += [title_row(traf_ours, traf_pages)] + date_rows(traf_ours, traf_pages)
    pages, cpu = len(traf_pages) + len(aeb_pages), traf_cpu + aeb_cpu
    out.append(row("speed", "both", "pages per CPU-second (newsearch)", pages / cpu, None, True,
                   f"{pages} pages in {cpu:.1f} CPU-s"))
    return out


def print_table(table: list[dict]) -> None:
    """Print rows as an aligned text table."""
    header = ("what", "set", "measure", "value", "target", "ok", "detail")
    lines = [header] + [(r["what"], r["set"], r["measure"], f"{r['value']:.4f}",
                         "" if r["target"] is None else f"{r['target']:.2f}",
                         "ok" if r["ok"] else "FAIL", r["detail"]) for r in table]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) + "  " + line[-1])


if __name__ == "__main__":
    table = rows()
    if not table:
        print(f"corpora not found at {CORPORA}")
    print_table(table)
