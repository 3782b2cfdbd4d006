"""Train the German figure model (``index/data/figures_de_model.json``) on GermEval 2014 dev, half held out.

Every name-like segment the German rules cut from an article and do not veto is a candidate
(``index.figures.candidates_de``); its label is whether it names one of the article's gold people (as
:mod:`bench.germeval` matches names). A logistic regression (L2, Newton steps) learns weights for the candidate's
features (``index.figures.model_de.candidate_features``: word classes, cues, position, never a word's identity;
the hand-written rules' verdict is one of them). Only the even-numbered articles ("tune") are used: the
threshold for names the rules also take is chosen by 5-fold cross-validation over them (the highest F1 whose
cross-validated precision is at least :data:`MIN_PRECISION`), the one for names the model alone takes is fixed
(:data:`ALONE_THRESHOLD`); then the model is fitted on all of them. The odd-numbered articles are scored at the
end, as the held-out estimate.

    .venv/bin/python -m bench.train_figures_de           # train, report, write the model
    .venv/bin/python -m bench.train_figures_de --dry-run # cross-validation only (held-out half untouched)

GermEval 2014 is CC BY 4.0 (Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for German, LREC 2014).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench import germeval
from index.figures import candidates_de
from index.figures import model_de
from index.figures import rules_de

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
DEV = CORPORA / "germeval2014-dev" / "dev.tsv"
L2 = 1.0
FOLDS = 5
MIN_PRECISION = 0.88
#: Where the rules say yes, the model keeps a name from this probability on (chosen by cross-validation).
AGREED_THRESHOLDS = [0.1, 0.2, 0.35, 0.5, 0.65]
#: Where the rules say no, the model adds a name only from this probability on: fixed for precision on news
#: pages, where the first German audit samples showed the names the model alone adds to be brands and
#: sentence-initial words more often than on GermEval's sentences.
ALONE_THRESHOLD = 0.8


def samples(articles):
    """(features, label) of every candidate of the articles."""
    rows = []
    for article in articles:
        gold = germeval.distinct_people(article.gold)
        for candidate in candidates_de.candidates_de(article.text):
            if rules_de.vetoed(candidate) or rules_de.opens_sentence_alone(candidate):
                continue  # decided without the model
            key = germeval.name_key(" ".join(candidate.words))
            label = any(germeval.same_person(key, g) for g in gold)
            rule = rules_de.judge_candidate(candidate)
            rows.append((model_de.candidate_features(candidate, article.text, rule), label))
    return rows


def fit(rows) -> dict:
    """Logistic regression weights for ``rows``, by Newton's method with an L2 penalty (bias not penalised)."""
    names = sorted({name for features, _ in rows for name in features})
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names) + 1))
    x[:, -1] = 1.0
    for r, (features, _) in enumerate(rows):
        for name, value in features.items():
            x[r, index[name]] = value
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    w = np.zeros(len(names) + 1)
    penalty = np.full(len(names) + 1, L2)
    penalty[-1] = 0.0
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return {"bias": float(w[-1]), "weights": {name: round(float(w[i]), 5) for name, i in index.items()}}


def evaluate(model: dict, articles, threshold: float, agreed: float | None = None) -> germeval.Score:
    """Per-article scores of the full pipeline with ``model`` at ``threshold`` (``agreed`` where the rules say
    yes; the same by default)."""
    model_de.model.cache_clear()
    original = model_de.model
    model_de.model = lambda: dict(model, threshold=threshold, threshold_rules_agree=agreed or threshold)
    try:
        return germeval.scores(articles)["all"]
    finally:
        model_de.model = original


def choose_threshold(tune) -> tuple[float, dict]:
    """The agreed threshold with the best cross-validated F1 among those with precision >= MIN_PRECISION."""
    totals = {t: germeval.Score() for t in AGREED_THRESHOLDS}
    for fold in range(FOLDS):
        train = [a for i, a in enumerate(tune) if i % FOLDS != fold]
        test = [a for i, a in enumerate(tune) if i % FOLDS == fold]
        model = fit(samples(train))
        for t in AGREED_THRESHOLDS:
            score = evaluate(model, test, ALONE_THRESHOLD, t)
            totals[t].tp += score.tp
            totals[t].fp += score.fp
            totals[t].fn += score.fn
    ok = [t for t in AGREED_THRESHOLDS if totals[t].precision >= MIN_PRECISION] or AGREED_THRESHOLDS
    best = max(ok, key=lambda t: totals[t].f1)
    return best, totals


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true",
                        help="cross-validation on the tune half only; neither score the held-out half nor write")
    args = parser.parse_args(argv)
    articles = germeval.read_articles(DEV)
    tune = [a for a in articles if a.part == "tune"]
    held_out = [a for a in articles if a.part == "held-out"]
    threshold, totals = choose_threshold(tune)
    for t in AGREED_THRESHOLDS:
        s = totals[t]
        print(f"cv: alone {ALONE_THRESHOLD}, agreed {t:.2f}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}")
    print(f"chosen threshold {threshold}")
    if args.dry_run:
        return  # the held-out half is scored only for the model that is written
    model = dict(fit(samples(tune)), threshold=ALONE_THRESHOLD, threshold_rules_agree=threshold)
    held = evaluate(model, held_out, ALONE_THRESHOLD, threshold)
    print(f"held-out: P={held.precision:.3f} R={held.recall:.3f} F1={held.f1:.3f}")
    model_de.MODEL_FILE.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {model_de.MODEL_FILE}")


if __name__ == "__main__":
    main()
