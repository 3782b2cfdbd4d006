"""Choosing the ranking's tunables so they hold on collections not looked at.

Every candidate setting of :data:`GRID` (ranking weights, :class:`search.scoring.Weighting`) and
:data:`STRATEGIES` (how a long query relaxes, :mod:`search.strategy`) is scored on every set. The
plain number of a set is that of the setting chosen on all three; its held-out number is that of the
setting that did best on the *other two* sets (leave-one-collection-out). The objective of a choice
is the worst, over the sets it sees, of nDCG@10 divided by Tantivy's on that set (a setting must be
good on every set, not best on one), with MAP@100 kept at or above Tantivy's.

Usage::

    .venv/bin/python -m bench.relevance_tuning [--quick]
"""

import argparse
import contextlib
import dataclasses
import itertools
import sys

from bench.relevance import CORPORA
from bench.relevance import CACHE
from bench.relevance import SETS
from bench.relevance import build_index
from bench.relevance import read_qrels
from bench.relevance import read_queries
from bench.relevance import score_runs
from bench.relevance import tantivy_runs
from search import scoring
from search import strategy

#: Ranking settings tried: every product of these values, except that the feedback settings are
#: varied only where feedback is on.
GRID = {
    "fields": ((("title", 2.0), ("body", 1.0), ("figure_words", 1.0)),
               (("title", 4.0), ("body", 1.0), ("figure_words", 1.0))),
    "b": (0.65, 0.75),
    "feedback": (0.0, 2.0),
    "feedback_docs": (15, 20),
    "feedback_power": (1.0, 2.0),
}
FEEDBACK_ONLY = ("feedback_docs", "feedback_power")
#: Relaxation settings tried: (FEW, REPEAT_EXPONENT).
STRATEGIES = ((100, 0.5), (200, 0.5), (200, 1.0))


@contextlib.contextmanager
def patched(module, **values):
    old = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)


def matched_sets(data: dict) -> dict:
    """``{set: [(qid, searcher, Matched)]}`` under the current strategy settings."""
    import search
    from search.engine import match

    found = {}
    for name, (index_dir, queries, _) in data.items():
        service = search.SearchService(index_dir)
        searcher = service.searcher()
        found[name] = [(qid, searcher, match(searcher, search.SearchRequest.from_params(
            {"q": [text], "per_page": ["100"]}))) for qid, text in queries.items()]
    return found


def evaluate(matched: dict, data: dict, weighting) -> dict:
    """``{set: measures}`` of one weighting over already matched queries."""
    from search.engine import ordered

    result = {}
    with patched(scoring, DEFAULT=weighting):
        for name, items in matched.items():
            runs = {}
            for qid, searcher, m in items:
                ranked = ordered(searcher, m, 0, 100, grouped=True)
                runs[qid] = [searcher.stored_fields(d)["id"] for d, _ in ranked]
            result[name] = score_runs(runs, data[name][2])
    return result


def objective(scores: dict, reference: dict, names) -> float:
    """The worst set's nDCG@10 as a ratio to Tantivy's (a setting must be good on every set), ties
    to the mean MAP@100 ratio; a setting whose MAP@100 falls below Tantivy's on a set loses."""
    ndcg = min(scores[n]["ndcg10"] / reference[n]["ndcg10"] for n in names)
    maps = [scores[n]["map100"] / reference[n]["map100"] for n in names]
    return ndcg + 0.01 * sum(maps) / len(maps) - (1.0 if min(maps) < 1 else 0.0)


def settings(quick: bool):
    """The weightings tried, as changes to :class:`search.scoring.Weighting`'s defaults."""
    grid = {k: v[-1:] if quick and k in FEEDBACK_ONLY else v for k, v in GRID.items()}
    keys, seen = list(grid), set()
    for values in itertools.product(*(grid[k] for k in keys)):
        chosen = dict(zip(keys, values))
        if not chosen.get("feedback"):
            chosen = {k: v for k, v in chosen.items() if k not in FEEDBACK_ONLY}
        key = tuple(sorted(chosen.items()))
        if key not in seen:
            seen.add(key)
            yield chosen


def tune(data: dict, reference: dict, quick: bool = False, log=sys.stderr) -> list:
    """Every (strategy, weighting) tried with its per-set measures."""
    tried = []
    for few, repeats in STRATEGIES:
        with patched(strategy, FEW=few, REPEAT_EXPONENT=repeats):
            matched = matched_sets(data)
            for values in settings(quick):
                weighting = dataclasses.replace(scoring.Weighting(), **values)
                scores = evaluate(matched, data, weighting)
                tried.append(((few, repeats), weighting, scores))
                print(f"FEW={few} repeats^{repeats} {values}: "
                      + " ".join(f"{n} {s['ndcg10']:.3f}/{s['map100']:.3f}" for n, s in scores.items()),
                      file=log, flush=True)
    return tried


def held_out(data: dict, reference: dict | None = None, quick: bool = False) -> str:
    """The plain and held-out table (see the module docstring)."""
    if reference is None:
        reference = {n: score_runs(tantivy_runs(CORPORA / n, data[n][1]), data[n][2]) for n in data}
    tried = tune(data, reference, quick)
    names = list(data)
    best_all = max(tried, key=lambda t: objective(t[2], reference, names))
    lines = ["| set | nDCG@10 plain | nDCG@10 held-out | MAP@100 plain | MAP@100 held-out | Tantivy nDCG@10 / MAP@100 | chosen without this set |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        others = [n for n in names if n != name]
        chosen = max(tried, key=lambda t: objective(t[2], reference, others))
        plain, held = best_all[2][name], chosen[2][name]
        lines.append(f"| {name} | {plain['ndcg10']:.3f} | {held['ndcg10']:.3f} | {plain['map100']:.3f} | "
                     f"{held['map100']:.3f} | {reference[name]['ndcg10']:.3f} / {reference[name]['map100']:.3f} | "
                     f"{_describe(chosen)} |")
    lines.append("")
    lines.append(f"Chosen on all three: {_describe(best_all)}")
    return "\n".join(lines)


def _describe(entry) -> str:
    (few, repeats), w, _ = entry
    title = dict(w.fields).get("title")
    feedback = (f"feedback {w.feedback} from {w.feedback_docs} hits ^{w.feedback_power}"
                if w.feedback else "no feedback")
    return f"FEW {few}, repeats^{repeats}, title {title}, b {w.b}, {feedback}"


def load(names=SETS) -> dict:
    data = {}
    for name in names:
        folder = CORPORA / name
        qrels = read_qrels(folder)
        queries = {q: t for q, t in read_queries(folder).items() if q in qrels}
        data[name] = (build_index(folder, CACHE), queries, qrels)
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the ends of each range")
    args = parser.parse_args(argv)
    print(held_out(load(), quick=args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
