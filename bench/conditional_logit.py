"""A conditional logit (a softmax over each page's candidates) fitted with signs kept and its L2
penalty chosen by cross-validation by site: the fitting core of :mod:`bench.html_fit`.

Leave-one-site-out fits tens of thousands of these on nearly the same pages, so the work is cut
without changing the weights: a fit on the same usable pages is made once (:func:`fit`), each fit
starts where a fit on nearly the same pages ended, stage by stage of its active set, with that
fit's Hessian (:func:`_newton`), features that cannot move a probability are left at 0
(:func:`_inert`), and a stage stops once the sign it will drop is sure (:func:`_surely_wrong`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

#: L2 penalties tried; the one kept is chosen by :data:`INNER_FOLDS`-fold cross-validation by site
#: on the fitting pages alone (so, leave-one-site-out, without the held-out site).
PENALTIES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
INNER_FOLDS = 5
NEWTON_STEPS = 30
#: A step with a Hessian carried over counts when it shrinks the gradient below this share.
CHORD_RATE = 0.1
#: exp(-700) ≈ 1e-304 is still a normal float: scores spread less than this share one shift
SOFTMAX_SPREAD = 700.0


class Candidates:
    """Every page's candidate rows, stacked once, with the row of the right candidate of each page.

    Leave-one-site-out fits tens of thousands of models on subsets of the same pages; each fit selects
    its pages' rows out of this one array instead of stacking the pages again (same rows, same order).
    """

    def __init__(self, pages: list[tuple[np.ndarray, int]], size: int):
        self.size = size
        self.lengths = np.array([len(x) for x, _ in pages], dtype=np.int64)
        self.rights = np.array([right for _, right in pages], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.rows = np.vstack([x for x, _ in pages]) if pages else np.zeros((0, size))
        #: pages that teach something: a right candidate among several
        self.usable = (self.rights >= 0) & (self.lengths > 1)
        #: fits already made, by (penalty, signs, usable pages): see :func:`fit_weights`
        self.fits: dict = {}

    def select(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The rows of the ``chosen`` pages (in that order), each page's start and length in them, and
        the row of each page's right candidate."""
        lengths = self.lengths[chosen]
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        index = np.arange(int(lengths.sum())) + np.repeat(self.offsets[chosen] - starts, lengths)
        return self.rows[index], starts, lengths, starts + self.rights[chosen]

    def hits(self, weights: np.ndarray, chosen: np.ndarray) -> int:
        """Chosen pages whose best-scoring candidate is the right one (ties go to the first candidate)."""
        chosen = chosen[(self.rights[chosen] >= 0) & (self.lengths[chosen] > 0)]
        if not len(chosen):
            return 0
        rows, starts, lengths, rights = self.select(chosen)
        scores = rows @ weights
        best = np.repeat(np.maximum.reduceat(scores, starts), lengths)
        place = np.arange(len(scores))
        first = np.minimum.reduceat(np.where(scores == best, place, len(scores)), starts)
        return int((first == rights).sum())


@dataclasses.dataclass
class Fit:
    """One fit's weights, and where each stage of its active set ended (see :func:`fit`)."""

    weights: np.ndarray
    #: free features (a boolean mask's bytes) → that stage's weights on them and the Hessian its
    #: last steps took
    stages: dict[bytes, tuple[np.ndarray, np.ndarray]]

    def start(self, free: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Where a fit on nearly the same pages starts its stage with the ``free`` features: this
        fit's stage with the same free features (and its Hessian), else this fit's weights."""
        return self.stages.get(free.tobytes()) or (self.weights[free], None)


def fit_weights(problem: Candidates, chosen: np.ndarray, penalty: float,
                signs: tuple[int, ...] | None = None, near: Fit | None = None) -> np.ndarray:
    """Weights maximising Σ log softmax(X w)[right] − penalty·|w|² over the ``chosen`` pages that have a
    right candidate, each weight kept to the sign its evidence has by design (``signs``: +1, -1 or 0 for
    either). See :func:`fit`."""
    return fit(problem, chosen, penalty, signs, near).weights.copy()


def fit(problem: Candidates, chosen: np.ndarray, penalty: float, signs: tuple[int, ...] | None = None,
        near: Fit | None = None) -> Fit:
    """The fit of :func:`fit_weights`, with its stages.

    The signs are kept by an active set: a weight that comes out on the wrong side is fixed at 0 and
    the others are refitted. The objective is strictly concave (penalty > 0), so Newton's method ends
    at the same weights from any start; starting each stage where the same stage of a fit on nearly
    the same pages ended (``near``), with its Hessian, takes it there with less work (:func:`_newton`).

    A fit depends only on the usable pages chosen, so one made before on the same pages is returned
    again: leave-one-site-out asks for the same pages many times (held-out sites that teach nothing,
    the inner fold that holds both of two neighbouring held-out sites).
    """
    signs = np.array(signs or (0,) * problem.size)
    chosen = chosen[problem.usable[chosen]]
    key = (penalty, signs.tobytes(), chosen.tobytes())
    if key not in problem.fits:
        problem.fits[key] = _fit_active_set(problem, chosen, penalty, signs, near or Fit(np.zeros(problem.size), {}))
    return problem.fits[key]


def _fit_active_set(problem: Candidates, chosen: np.ndarray, penalty: float, signs: np.ndarray, near: Fit) -> Fit:
    """Newton fits on fewer and fewer free features (never the :func:`_inert` ones) until no weight
    has the wrong sign."""
    selected = problem.select(chosen) if len(chosen) else None
    free, stages = np.ones(problem.size, bool) if selected is None else ~_inert(selected), {}
    while True:
        weights = np.zeros(problem.size)
        if selected is not None and free.any():
            stage = stages[free.tobytes()] = _newton(selected, free, penalty, *near.start(free), signs=signs[free])
            weights[free] = stage[0]
        wrong = free & (signs * weights < 0)
        if not wrong.any():
            return Fit(weights, stages)
        free &= ~wrong


def _inert(selected: tuple) -> np.ndarray:
    """Features equal on every candidate of each page: they move no probability, so their weight's
    optimum is 0 (the penalty's) whatever the other weights are, and the others' do not depend on it;
    a fit leaves them at 0."""
    rows, starts, lengths, _ = selected
    return (rows == np.repeat(rows[starts], lengths, axis=0)).all(0)


def _newton(selected: tuple, free: np.ndarray, penalty: float, start: np.ndarray,
            hessian: np.ndarray | None = None, signs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The unconstrained fit over the ``free`` features of the selected rows, from ``start``; and the
    last Hessian its steps took.

    Each step solves a Hessian for the gradient, as Newton's method does, but a Hessian is computed
    only when the one in hand fails: a step taken with a Hessian carried over (from the step before,
    or ``hessian``: a fit's on nearly the same pages) counts only if it shrinks the gradient to under
    :data:`CHORD_RATE` of what it was; otherwise it is taken again with the Hessian at the weights in
    hand. Where Newton's method converges, this converges to the same weights; where it does not,
    every carried step fails and the steps are Newton's. With ``signs`` (the free features'), it
    stops as soon as the signs it would end with are sure and one of them is wrong
    (:func:`_surely_wrong`): the active set fixes that weight at 0 and refits anyway.
    """
    all_rows, starts, lengths, rights = selected
    rows = all_rows[:, free]
    problem = (rows, starts, lengths, rows[rights].sum(0), penalty)
    weights = start.astype(np.float64, copy=True)
    probs, gradient = _gradient(problem, weights)
    inverse = None if hessian is None else np.linalg.inv(hessian)
    steps = 0
    while steps < NEWTON_STEPS and not (signs is not None and _surely_wrong(weights, gradient, penalty, signs)):
        fresh = inverse is None
        if fresh:
            hessian = _hessian(rows, probs, starts) + 2 * penalty * np.eye(rows.shape[1])
            inverse = np.linalg.inv(hessian)
        step = inverse @ gradient
        tried = weights - step
        tried_probs, tried_gradient = _gradient(problem, tried)
        if not fresh and tried_gradient @ tried_gradient > CHORD_RATE ** 2 * (gradient @ gradient):
            inverse = None
            continue
        weights, probs, gradient = tried, tried_probs, tried_gradient
        steps += 1
        if np.abs(step).max() < 1e-7:
            break
    return weights, hessian


def _surely_wrong(weights: np.ndarray, gradient: np.ndarray, penalty: float, signs: np.ndarray) -> bool:
    """Are the signs the fit will end with already sure, and some weight's the wrong one?

    The penalty makes the objective strongly convex (its Hessian is at least 2·penalty), so the
    optimum lies within |gradient| / (2·penalty) of the weights in hand: a weight farther than that
    from 0 keeps its sign. Then the active set's next stage is known without converging this one.
    """
    reach = np.sqrt(gradient @ gradient) / (2 * penalty) if penalty > 0 else np.inf
    return bool(np.all(np.abs(weights) > reach) and np.any(signs * weights < 0))


def _gradient(problem: tuple, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidates' probabilities under ``weights``, and the penalised negative log-likelihood's
    gradient there."""
    rows, starts, lengths, right_sum, penalty = problem
    probs = _probabilities(rows @ weights, starts, lengths)
    return probs, probs @ rows - right_sum + 2 * penalty * weights


def _probabilities(scores: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Softmax of the scores within each page: the scores less the highest of all, or of each page's
    where they spread so far that the exponential of the lowest would not be a normal float."""
    top = scores.max()
    if top - scores.min() < SOFTMAX_SPREAD:
        shifted = np.exp(scores - top)
    else:
        shifted = np.exp(scores - np.repeat(np.maximum.reduceat(scores, starts), lengths))
    return shifted / np.repeat(np.add.reduceat(shifted, starts), lengths)


def _hessian(rows: np.ndarray, probs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Σ p·x·xᵀ over the rows (one symmetric product of the rows scaled by √p) less each page's outer
    product of its mean row: the negative log-likelihood's Hessian, without the penalty."""
    root = rows * np.sqrt(probs)[:, None]
    per_page = np.add.reduceat(rows * probs[:, None], starts)
    return root.T @ root - per_page.T @ per_page


def penalty_path(problem: Candidates, chosen: np.ndarray, signs: tuple[int, ...],
                 near: dict | None = None) -> dict[float, Fit]:
    """The fit on the ``chosen`` pages under each of :data:`PENALTIES` (each from ``near``'s fit under
    the same penalty)."""
    near = near or {}
    return {penalty: fit(problem, chosen, penalty, signs, near.get(penalty)) for penalty in PENALTIES}


def fit_penalised(problem: Candidates, chosen: np.ndarray, sites: list, signs: tuple[int, ...],
                  near: dict | None = None, recent: dict | None = None) -> np.ndarray:
    """Weights with the penalty that predicts best on held-out sites within the ``chosen`` pages.

    :param sites: every page's site (indexed like ``problem``); the inner folds split by site.
    :param near: a :func:`penalty_path` on nearly the same pages, where each penalty's fit starts.
    :param recent: the inner folds' fits of the previous call by (penalty, fold), where this call's
        start, updated with this call's: taking held-out sites in the inner folds' order of sites,
        the same inner fold of the next one holds the same pages but for two sites.
    """
    order = sorted({sites[i] for i in chosen}, key=str)
    fold_of = {site: index % INNER_FOLDS for index, site in enumerate(order)}
    folds = np.array([fold_of[sites[i]] for i in chosen], dtype=np.int64)
    path = penalty_path(problem, chosen, signs, near)
    recent = {} if recent is None else recent
    scores = []
    for penalty in PENALTIES:
        right = 0
        for fold in range(INNER_FOLDS):
            inner = fit(problem, chosen[folds != fold], penalty, signs, recent.get((penalty, fold), path[penalty]))
            recent[(penalty, fold)] = inner
            right += problem.hits(inner.weights, chosen[folds == fold])
        scores.append(right)
    best = max(range(len(PENALTIES)), key=lambda index: (scores[index], index))  # ties: more penalty
    return path[PENALTIES[best]].weights.copy()
