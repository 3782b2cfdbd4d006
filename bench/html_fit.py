"""Fitting HTML extraction's values, and measuring them leave-one-site-out.

What is **fitted** on evaluation pages (and so must be scored on sites it was not fitted on):

- body: the choice among trafilatura's modes and the cleaning switches — one
  :class:`~index.html.fitted.BodyParams` out of :data:`BODY_GRID`, the one with the best segment F1;
- title: the weights of the candidate features (:data:`index.html.title.FEATURES`), a conditional
  logit (softmax over a page's candidates) fitted by Newton's method, its L2 penalty chosen among
  :data:`PENALTIES` by cross-validation by site on the fitting pages;
- date: the weights of the date sources (:data:`index.html.dates.SOURCES`), the same model over the
  distinct days a page's sources give.

Leave-one-site-out: the dev pages are grouped by host (the ``key`` URL of ground-truth.json, an
archive.org wrapper unwrapped); for each host, everything above is refitted on the pages of all
other hosts and applied to that host's pages. What the page's *own site* teaches at reindex time
(:func:`index.html.site.learn_sites`: the site's name in ``<title>``, its recurring chrome lines)
is not fitting: a user's reindex learns it from their own collection, so the bench learns it the
same way, from the pages of the same host in the set, for the plain and the held-out numbers alike.

Designed before scoring and not refitted per fold (they could not be held out): the candidate
sources and features themselves and the direction of each (:data:`TITLE_SIGNS`, :data:`DATE_SIGNS`),
the grid, the chrome class words (:mod:`index.html.regions`),
the month names and "published" labels, the fixed thresholds named in :mod:`index.html.cleaning`.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools

import numpy as np

from index.html import Evidence
from index.html import decide_body
from index.html.dates import SOURCES
from index.html.dates import choose_date
from index.html.fitted import BodyParams
from index.html.site import host_of
from index.html.title import FEATURES
from index.html.title import choose_title

#: L2 penalties tried; the one kept is chosen by :data:`INNER_FOLDS`-fold cross-validation by site
#: on the fitting pages alone (so, leave-one-site-out, without the held-out site).
PENALTIES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
INNER_FOLDS = 5
#: The direction of each piece of title evidence, fixed by design (its strength is fitted).
TITLE_SIGNS = tuple(-1 if name in ("site", "has_site", "short", "chrome") else 1 for name in FEATURES)
#: Every date source is evidence for the day it gives.
DATE_SIGNS = (1,) * len(SOURCES)
NEWTON_STEPS = 30

BODY_GRID = [
    BodyParams(precision_keep=keep, recall_below=below, drop_chrome=chrome, drop_stamps=stamps,
               drop_repeats=repeats)
    for keep, below, chrome, stamps, repeats in itertools.product(
        (0.4, 0.5, 0.6), (0, 100, 250), (False, True), (False, True), (False, True))
]


def fold(text: str) -> str:
    return " ".join((text or "").split())


def site_of(key: str) -> str:
    """The host a page's truth URL names (the key itself for pages without a URL)."""
    return (host_of(key) if key.startswith("http") else None) or key


def site_groups(keys: list[str]) -> list[list[int]]:
    """Indexes of the pages of each host, the host read from each page's truth URL."""
    groups = collections.defaultdict(list)
    for index, key in enumerate(keys):
        groups[site_of(key)].append(index)
    return list(groups.values())


# --- conditional logit ---------------------------------------------------------------------------


def fit_weights(pages: list[tuple[np.ndarray, int]], size: int, penalty: float,
                signs: tuple[int, ...] | None = None) -> np.ndarray:
    """Weights maximising Σ log softmax(X w)[right] − penalty·|w|² over pages with a right candidate,
    each weight kept to the sign its evidence has by design (``signs``: +1, -1 or 0 for either).

    The signs are kept by an active set: a weight that comes out on the wrong side is fixed at 0 and
    the others are refitted.
    """
    signs = signs or (0,) * size
    free = np.ones(size, bool)
    while True:
        weights = np.zeros(size)
        weights[free] = _newton(pages, free, penalty)
        wrong = free & (np.array(signs) * weights < 0)
        if not wrong.any():
            return weights
        free &= ~wrong


def _newton(pages: list[tuple[np.ndarray, int]], free: np.ndarray, penalty: float) -> np.ndarray:
    """The unconstrained fit over the ``free`` features."""
    size = int(free.sum())
    usable = [(x[:, free], right) for x, right in pages if right >= 0 and len(x) > 1]
    weights = np.zeros(size)
    if not usable or not size:
        return weights
    rows = np.vstack([x for x, _ in usable])
    starts = np.cumsum([0] + [len(x) for x, _ in usable])[:-1]
    lengths = np.array([len(x) for x, _ in usable])
    rights = starts + np.array([right for _, right in usable])
    for _ in range(NEWTON_STEPS):
        scores = rows @ weights
        shifted = np.exp(scores - np.repeat(np.maximum.reduceat(scores, starts), lengths))
        probs = shifted / np.repeat(np.add.reduceat(shifted, starts), lengths)
        weighted = rows * probs[:, None]
        gradient = weighted.sum(0) - rows[rights].sum(0) + 2 * penalty * weights
        per_page = np.add.reduceat(weighted, starts)
        hessian = weighted.T @ rows - per_page.T @ per_page + 2 * penalty * np.eye(size)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-7:
            break
    return weights


def hits(weights: np.ndarray, pages: list[tuple[np.ndarray, int]]) -> int:
    """Pages whose best-scoring candidate is the right one (ties go to the first candidate)."""
    return sum(1 for x, right in pages if right >= 0 and len(x) and int(np.argmax(x @ weights)) == right)


def fit_penalised(pages: list[tuple[np.ndarray, int]], sites: list, size: int,
                  signs: tuple[int, ...]) -> np.ndarray:
    """Weights with the penalty that predicts best on held-out sites within ``pages``.

    :param sites: each page's site; the inner folds split by site.
    """
    order = sorted(set(sites), key=str)
    fold_of = {site: index % INNER_FOLDS for index, site in enumerate(order)}
    scores = []
    for penalty in PENALTIES:
        right = 0
        for fold in range(INNER_FOLDS):
            train = [page for page, site in zip(pages, sites) if fold_of[site] != fold]
            test = [page for page, site in zip(pages, sites) if fold_of[site] == fold]
            right += hits(fit_weights(train, size, penalty, signs), test)
        scores.append(right)
    best = max(range(len(PENALTIES)), key=lambda index: (scores[index], index))  # ties: more penalty
    return fit_weights(pages, size, PENALTIES[best], signs)


def title_rows(evidence: Evidence | None, truth: str) -> tuple[np.ndarray, int]:
    """A page's eligible title candidates as a feature matrix, and the row equal to the truth (-1: none)."""
    candidates = evidence.titles if evidence else []
    site = FEATURES.index("site")
    candidates = [c for c in candidates if not c.features[site]] or candidates
    matrix = np.array([candidate.features for candidate in candidates]).reshape(-1, len(FEATURES))
    want = fold(truth)
    right = next((i for i, c in enumerate(candidates) if want and fold(c.text) == want), -1)
    return matrix, right


def date_rows(evidence: Evidence | None, truth: str) -> tuple[np.ndarray, int]:
    """A page's candidate days as rows of source indicators, and the row of the true day (-1: none)."""
    days = evidence.dates.days if evidence else ()
    matrix = np.array([[float(source in sources) for source in SOURCES] for _, sources in days])
    right = next((i for i, (day, _) in enumerate(days) if day.isoformat() == truth), -1)
    return matrix.reshape(-1, len(SOURCES)), right


def fit_titles(evidence: list, truths: list[str], sites: list) -> dict[str, float]:
    chosen = [(title_rows(e, t), s) for e, t, s in zip(evidence, truths, sites) if t]
    weights = fit_penalised([rows for rows, _ in chosen], [s for _, s in chosen], len(FEATURES), TITLE_SIGNS)
    return dict(zip(FEATURES, weights.round(4).tolist()))


def fit_dates(evidence: list, truths: list[str], sites: list) -> dict[str, float]:
    chosen = [(date_rows(e, t), s) for e, t, s in zip(evidence, truths, sites) if t]
    weights = fit_penalised([rows for rows, _ in chosen], [s for _, s in chosen], len(SOURCES), DATE_SIGNS)
    return dict(zip(SOURCES, weights.round(4).tolist()))


# --- body grid -----------------------------------------------------------------------------------


def body_counts(evidence: list, score_page) -> np.ndarray:
    """(pages × configs × 3) tp/fp/fn of every page under every :data:`BODY_GRID` configuration."""
    counts = np.zeros((len(evidence), len(BODY_GRID), 3))
    for page, item in enumerate(evidence):
        bodies = {}
        for config, params in enumerate(BODY_GRID):
            body = decide_body(item, params) if item else ""
            if body not in bodies:
                bodies[body] = score_page(page, body)
            counts[page, config] = bodies[body]
    return counts


def best_config(counts: np.ndarray) -> int:
    """The configuration with the best F1 over the summed counts (the first of equals)."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    f1 = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-9), 0.0)
    return int(np.argmax(f1))


# --- one fitted model, and leave-one-site-out --------------------------------------------------


@dataclasses.dataclass
class Fitted:
    body: BodyParams
    titles: dict[str, float]
    dates: dict[str, float]


def fit_all(evidence: list, items: list[dict], keys: list[str], counts: np.ndarray, pages: list[int]) -> Fitted:
    """Every fitted value, from the pages numbered ``pages`` only."""
    chosen = [evidence[i] for i in pages]
    sites = [site_of(keys[i]) for i in pages]
    return Fitted(
        body=BODY_GRID[best_config(counts[pages].sum(0))],
        titles=fit_titles(chosen, [items[i].get("title", "") for i in pages], sites),
        dates=fit_dates(chosen, [items[i].get("date", "") for i in pages], sites),
    )


@dataclasses.dataclass
class Outcome:
    """What one page gets under one fitted model."""

    title: str
    date: object
    date_source: str | None
    body_config: int


def apply(fitted: Fitted, evidence: Evidence | None) -> Outcome:
    if evidence is None:
        return Outcome("", None, None, BODY_GRID.index(fitted.body))
    day, source = choose_date(evidence.dates, fitted.dates)
    return Outcome(choose_title(evidence.titles, fitted.titles), day, source, BODY_GRID.index(fitted.body))


def leave_one_site_out(evidence: list, items: list[dict], keys: list[str], counts: np.ndarray) -> list[Outcome]:
    """Each page's outcome under values fitted on the other sites only."""
    outcomes: list = [None] * len(evidence)
    everyone = set(range(len(evidence)))
    for group in site_groups(keys):
        fitted = fit_all(evidence, items, keys, counts, sorted(everyone - set(group)))
        for index in group:
            outcomes[index] = apply(fitted, evidence[index])
    return outcomes
