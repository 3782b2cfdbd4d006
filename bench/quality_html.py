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

Plain ``trafilatura.extract(html)`` with defaults is the reference to beat: its per-page counts are
stored with the trafilatura version (:mod:`bench.plain_trafilatura`) and run live when they do not apply.

Two numbers per measure on the dev pages (see :mod:`bench.html_fit` for what is fitted):

- **plain**: the values of :mod:`index.html.fitted`, fitted on all dev pages, scored on them;
- **leave-one-site-out**: for each site (host of the page's URL), every fitted value refitted on
  the other sites and scored on that site's pages. The gap between the two is overfitting.

What a reindex learns from the other pages of the *same* site (its name in ``<title>``, its
recurring chrome) is learned here as a reindex would, for both numbers: it is not fitting. The AEB
pages are a second check for bodies, never used for fitting. The speed row extracts the dev pages
as a reindex does (site learning, then one extraction per page).

Run ``python -m bench.quality_html`` from the repo root to print the table (about two CPU-minutes
over two processes, three to five minutes of wall time); ``--fit`` also prints the values to paste
into index/html/fitted.py.
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
    return segment_f1([segment_counts(body, item) for body, (_, _, item) in zip(bodies, pages)])


def segment_f1(counts: list[Counter]) -> tuple[float, str]:
    """Segment F1 from every page's :func:`segment_counts`, with a detail string."""
    total: Counter = sum(counts, Counter())
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
    return shingle_f1([shingle_counts(body, item) for body, (_, _, item) in zip(bodies, pages)])


def shingle_counts(body: str, item: dict) -> tuple[float, float, float, bool]:
    """One page's normalised shingle TP/FP/FN, and whether the extracted body is empty."""
    return (*shingle_tp_fp_fn(item["articleBody"], body), not body.strip())


def shingle_f1(counts: list[tuple]) -> tuple[float, str]:
    """:func:`shingle_score` from every page's :func:`shingle_counts`."""
    precision = statistics.mean([_precision(*c[:3]) for c in counts if c[0] + c[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*c[:3]) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    empty = sum(1 for c in counts if c[3])
    return f1, f"P={precision:.3f} R={recall:.3f} empty={empty}/{len(counts)}"


# --- running the extractors ------------------------------------------------------------------


def _decoded(data: bytes) -> str:
    from index.html.decode import decode_html

    return decode_html(data)


def site_profiles(pages: list[Page]) -> list:
    """What a reindex of the set would learn per site (:func:`index.html.site.learn_sites`)."""
    from index.html.site import EMPTY
    from index.html.site import learn_sites

    texts = {key: data for key, data, _ in pages}
    learned = learn_sites(list(texts), lambda key: _decoded(texts[key]))
    return [learned.get(key, EMPTY) for key, _, _ in pages]


def gather_all(pages: list[Page], grid: list | None = None, dates: bool = True) -> list:
    """Every page's evidence. With ``grid`` (fitting's body params), each page's bodies are decided
    under every params of it and the page's tree let go of (:meth:`index.html.Evidence.settle`: many
    pages are kept); without, its body candidates are worked out when first asked for.

    :param dates: False: no date evidence (a set scored for its bodies only).
    """
    from index.html import gather

    out = []
    for (key, data, item), profile in zip(pages, site_profiles(pages)):
        evidence = gather(data, url=_page_url(item), profile=profile, dates=dates)
        out.append(evidence.settle(grid) if evidence is not None and grid is not None else evidence)
    return out


def run_ours(pages: list[Page]) -> tuple[list, float]:
    """Extract every page as a reindex does (site learning, then ``extract_html``); CPU seconds too."""
    from index.html import extract_html

    start = time.process_time()
    profiles = site_profiles(pages)
    articles = [extract_html(data, url=_page_url(item), profile=profile)
                for (_, data, item), profile in zip(pages, profiles)]
    return articles, time.process_time() - start


def _page_url(item: dict) -> str | None:
    url = item.get("key") or item.get("url")
    return url if url and url.startswith("http") else None


def row(what: str, set_: str, measure: str, value: float, target: float | None,
        ok: bool, detail: str) -> dict:
    """One table row in the shape shared by all bench modules."""
    return {"what": what, "set": set_, "measure": measure, "value": round(value, 4),
            "target": target, "ok": ok, "detail": detail}


def body_row(set_: str, measure: str, score: Callable, target: float | None, bodies: list[str],
             plain: float, pages: list[Page]) -> dict:
    """Our body score, checked against its target and plain trafilatura's score (``plain``)."""
    value, detail = score(bodies, pages)
    ok = target is None or (value >= target and value >= plain)
    return row("body", set_, measure, value, target, ok, detail + f"; needs >= plain {plain:.4f}")


def title_row(titles: list[str], pages: list[Page], how: str, target: float | None) -> dict:
    """Exact title match (whitespace folded) on pages with a title."""
    pairs = [(fold(got), fold(item["title"])) for got, (_, _, item) in zip(titles, pages)
             if item.get("title", "").strip()]
    hits = sum(1 for got, want in pairs if got == want)
    value = hits / len(pairs) if pairs else 0.0
    ok = target is None or value >= target
    return row("title", TRAF_DEV, f"exact match ({how})", value, target, ok, f"{hits}/{len(pairs)}")


def date_rows(days: list, pages: list[Page], how: str, targets: bool) -> list[dict]:
    """Exact day and 'nothing found' share on pages with a date."""
    pairs = [(day, item["date"]) for day, (_, _, item) in zip(days, pages) if item.get("date", "").strip()]
    n = len(pairs) or 1
    hits = sum(1 for got, want in pairs if got is not None and got.isoformat() == want)
    missing = sum(1 for got, _ in pairs if got is None)
    wrong = len(pairs) - hits - missing
    exact, none = (0.92, 0.05) if targets else (None, None)
    return [row("date", TRAF_DEV, f"exact day ({how})", hits / n, exact, not targets or hits / n >= exact,
                f"{hits}/{len(pairs)} right, {wrong} wrong, {missing} none"),
            row("date", TRAF_DEV, f"no date found share ({how})", missing / n, none,
                not targets or missing / n <= none, f"{missing}/{len(pairs)} (lower is better: ok when <= target)")]


def source_rows(days: list, sources: list, pages: list[Page], how: str) -> list[dict]:
    """How often each date source decided the day, and how often it was right then."""
    tally: dict = {}
    for day, source, (_, _, item) in zip(days, sources, pages):
        want = item.get("date", "").strip()
        if want:
            right, total = tally.get(source, (0, 0))
            tally[source] = (right + (day is not None and day.isoformat() == want), total + 1)
    ranked = sorted(tally.items(), key=lambda pair: -pair[1][1])
    return [row("date", TRAF_DEV, f"decided by {source or '(no date)'} ({how})", total / max(1, len(days)),
                None, True, f"{total} dated pages, {right} right") for source, (right, total) in ranked]


def _segment_page(pages: list[Page]):
    def score(index: int, body: str) -> tuple[int, int, int]:
        counts = segment_counts(body, pages[index][2])
        return counts["tp"], counts["fp"], counts["fn"]
    return score


def evaluate(traf_pages: list[Page], reference: tuple, traf_evidence: list) -> tuple[list[dict], object]:
    """The dev pages' rows, plain (fitted on all dev pages) and leave-one-site-out; and the fitted values.

    :param reference: plain trafilatura's (score, detail, source) (:func:`bench.plain_trafilatura.score`).
    """
    from bench import html_fit
    from index.html import decide_body

    items = [item for _, _, item in traf_pages]
    keys = [item.get("key") or key for key, _, item in traf_pages]
    counts = html_fit.body_counts(traf_evidence, _segment_page(traf_pages))
    fitted = html_fit.fit_all(traf_evidence, items, keys, counts, list(range(len(traf_pages))))
    held = html_fit.leave_one_site_out(traf_evidence, items, keys, counts)
    traf_base, _, plain_source = reference
    plain = [html_fit.apply(fitted, e) for e in traf_evidence]
    out = []
    for how, outcomes, target in (("plain", plain, None), ("leave-one-site-out", held, 0.935)):
        bodies = [decide_body(e, html_fit.BODY_GRID[o.body_config]) if e else ""
                  for e, o in zip(traf_evidence, outcomes)]
        out.append(body_row(TRAF_DEV, f"segment F1 ({how})", segment_score, target, bodies, traf_base, traf_pages))
    out.append(row("body", TRAF_DEV, "segment F1 (plain trafilatura)", traf_base, None, True, plain_source))
    for how, outcomes, target in (("plain", plain, None), ("leave-one-site-out", held, 0.88)):
        out.append(title_row([o.title for o in outcomes], traf_pages, how, target))
    for how, outcomes in (("plain", plain), ("leave-one-site-out", held)):
        out += date_rows([o.date for o in outcomes], traf_pages, how, how != "plain")
    out += source_rows([o.date for o in held], [o.date_source for o in held], traf_pages, "leave-one-site-out")
    out.append(headline_row([o.title for o in plain], [decide_body(e, fitted.body) if e else "" for e in traf_evidence]))
    return out, fitted


def aeb_rows(body, pool=None) -> list[dict]:
    """The AEB pages' body rows: ours with the body params ``body`` (fitted on the dev pages: these pages are
    never fitted on), and plain trafilatura's; [] without the corpus."""
    from bench import plain_trafilatura
    from index.html import decide_body

    if not (CORPORA / AEB).is_dir():
        return []
    pages = load_set(AEB)
    reference = plain_trafilatura.score(AEB, pages, pool)
    bodies = [decide_body(e, body) if e else "" for e in gather_all(pages, dates=False)]  # bodies only
    base, base_detail, source = reference()
    return [body_row(AEB, "shingle F1 (fitted on dev, untouched)", shingle_score, 0.965, bodies, base, pages),
            row("body", AEB, "shingle F1 (plain trafilatura)", base, None, True, f"{base_detail}; {source}")]


def headline_row(titles: list[str], bodies: list[str]) -> dict:
    """How many bodies still start with their own headline (it belongs in the title only)."""
    from index.html.markup import squash

    starting = sum(1 for title, body in zip(titles, bodies)
                   if title and squash(body.split("\n\n")[0]) == squash(title))
    return row("body", TRAF_DEV, "bodies starting with their headline", starting, None, True,
               f"{starting}/{len(bodies)} pages (plain)")


def rows(speed: bool = True) -> list[dict]:
    """Score everything; [] when the corpora folder is absent."""
    return rows_and_fit(speed)[0]


def rows_and_fit(speed: bool = True, aeb: bool = True) -> tuple[list[dict], object]:
    """The rows, and the values fitted on all dev pages (([], None) without the corpora).

    :param speed: also time a reindex-like extraction of the dev pages (a second pass over them:
        the quality rows do not need it).
    :param aeb: also score the AEB pages with the body params fitted here (tests score them apart,
        with the shipped params, which a test checks are these).
    """
    if not (CORPORA / TRAF_DEV).is_dir() or not (CORPORA / AEB).is_dir():
        return [], None
    from bench import html_fit
    from bench import plain_trafilatura

    traf_pages = load_set(TRAF_DEV)
    with ProcessPoolExecutor(max_workers=1) as pool:
        reference = plain_trafilatura.score(TRAF_DEV, traf_pages, pool)
        evidence = gather_all(traf_pages, html_fit.BODY_GRID)
        out, fitted = evaluate(traf_pages, reference(), evidence)
        if aeb:
            out += aeb_rows(fitted.body, pool)
    if not speed:
        return out, fitted
    _, cpu = run_ours(traf_pages)
    out.append(row("speed", TRAF_DEV, "pages per CPU-second (newsearch, as a reindex)", len(traf_pages) / cpu,
                   None, True, f"{len(traf_pages)} pages in {cpu:.1f} CPU-s, site learning included"))
    return out, fitted


def print_table(table: list[dict]) -> None:
    """Print rows as an aligned text table."""
    header = ("what", "set", "measure", "value", "target", "ok", "detail")
    lines = [header] + [(r["what"], r["set"], r["measure"], f"{r['value']:.4f}",
                         "" if r["target"] is None else f"{r['target']:g}",
                         "ok" if r["ok"] else "FAIL", r["detail"]) for r in table]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)) + "  " + line[-1])


def fitted_source(fitted) -> str:
    """The assignments of :mod:`index.html.fitted` for values fitted on all dev pages."""
    return "\n".join([f"BODY = {fitted.body!r}", "", f"TITLE_WEIGHTS = {fitted.titles!r}", "",
                      f"DATE_WEIGHTS = {fitted.dates!r}"])


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true",
                        help="also print the values fitted on all dev pages, for index/html/fitted.py")
    args = parser.parse_args(argv)
    table, fitted = rows_and_fit()
    if not table:
        print(f"corpora not found at {CORPORA}")
    print_table(table)
    if args.fit and fitted is not None:
        print("\n# fitted on all pages of html-trafilatura-dev:\n" + fitted_source(fitted))


if __name__ == "__main__":
    main()
