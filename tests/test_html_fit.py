"""The fitting core of bench.html_fit (bench.conditional_logit) on tiny literal problems: stacking, ties, signs."""

import numpy as np

from bench.conditional_logit import Candidates
from bench.conditional_logit import Fit
from bench.conditional_logit import _surely_wrong
from bench.conditional_logit import fit
from bench.conditional_logit import fit_penalised
from bench.conditional_logit import fit_weights


def page(rows, right):
    return np.array(rows, dtype=float).reshape(-1, 2), right


#: feature 0 marks the right candidate on every page; feature 1 marks a wrong one on most pages; the
#: last three pages teach nothing (a lone candidate, no candidate, no right candidate)
PAGES = [page([[1, 0], [0, 1]], 0), page([[0, 1], [1, 0], [0, 0]], 1), page([[0, 0], [1, 1]], 1),
         page([[1, 0], [0, 1]], 0), page([[0, 0]], 0), page([], -1), page([[1, 0], [0, 0]], -1)]


def test_select_returns_the_chosen_pages_rows_in_their_order():
    problem = Candidates(PAGES, 2)
    rows, starts, lengths, rights = problem.select(np.array([3, 1]))
    assert rows.tolist() == [[1, 0], [0, 1], [0, 1], [1, 0], [0, 0]]
    assert starts.tolist() == [0, 2] and lengths.tolist() == [2, 3] and rights.tolist() == [0, 3]


def test_hits_counts_pages_whose_best_candidate_is_right_and_ties_go_to_the_first():
    problem = Candidates([page([[1, 0], [1, 1]], 1), page([[1, 0], [0, 0]], 0), page([[0, 0]], 0), page([], -1),
                          page([[1, 0], [0, 0]], -1)], 2)
    everyone = np.arange(5)
    assert problem.hits(np.array([1.0, 0.0]), everyone) == 2  # the first page's tie goes to the wrong one
    assert problem.hits(np.array([1.0, 0.5]), everyone) == 3
    assert problem.hits(np.array([0.0, 0.0]), np.array([2, 3, 4])) == 1  # a lone candidate is right


def test_fit_learns_the_evidence_and_keeps_each_weight_to_its_sign():
    problem = Candidates(PAGES, 2)
    everyone = np.arange(len(PAGES))
    free = fit_weights(problem, everyone, 0.01)
    assert free[0] > 1 and free[1] < 0
    kept = fit_weights(problem, everyone, 0.01, signs=(1, 1))
    assert kept[0] > 1 and kept[1] == 0.0
    assert problem.hits(kept, everyone) == 5


def test_nothing_to_learn_gives_zero_weights():
    problem = Candidates(PAGES, 2)
    assert fit_weights(problem, np.array([4, 5, 6]), 0.1).tolist() == [0.0, 0.0]
    assert fit_weights(problem, np.array([], dtype=np.int64), 0.1).tolist() == [0.0, 0.0]


def test_penalty_is_chosen_on_held_out_sites_and_the_fit_uses_every_chosen_page():
    problem = Candidates(PAGES, 2)
    sites = ["a", "b", "c", "d", "e", "f", "g"]
    weights = fit_penalised(problem, np.arange(4), sites, (1, -1))
    assert weights[0] > 0 and weights[1] <= 0
    assert problem.hits(weights, np.arange(4)) == 4


def test_a_fit_started_near_or_with_a_wrong_hessian_ends_at_the_same_weights():
    """Where a fit starts and the Hessian it carries change the work, not the weights."""
    fresh = fit(Candidates(PAGES, 2), np.arange(len(PAGES)), 0.1, (1, 0))
    wrong_hessian = {np.ones(2, bool).tobytes(): (np.array([40.0, -40.0]), np.array([[1e-3, 0.0], [0.0, 50.0]]))}
    for near in (fresh, Fit(np.array([3.0, 3.0]), {}), Fit(np.zeros(2), wrong_hessian)):
        started = fit(Candidates(PAGES, 2), np.arange(len(PAGES)), 0.1, (1, 0), near)
        assert np.abs(started.weights - fresh.weights).max() < 1e-6


def test_a_fit_on_the_same_usable_pages_is_made_once():
    problem = Candidates(PAGES, 2)
    first = fit(problem, np.array([0, 1, 2, 4]), 0.3)
    assert fit(problem, np.array([0, 1, 2, 5, 6]), 0.3) is first  # pages 4-6 teach nothing
    assert fit(problem, np.array([0, 1, 3]), 0.3) is not first
    assert len(problem.fits) == 2


def test_a_feature_equal_on_every_candidate_of_each_page_gets_no_weight_and_moves_no_other():
    with_inert = [(np.hstack([rows, np.full((len(rows), 1), float(index % 3))]), right)
                  for index, (rows, right) in enumerate(PAGES)]
    plain = fit_weights(Candidates(PAGES, 2), np.arange(len(PAGES)), 0.1)
    widened = fit_weights(Candidates(with_inert, 3), np.arange(len(PAGES)), 0.1, signs=(0, 0, -1))
    assert widened[2] == 0.0 and np.abs(widened[:2] - plain).max() < 1e-9


def test_a_wrong_sign_is_sure_only_farther_from_zero_than_the_gradient_reaches():
    weights, signs = np.array([1.0, -0.5]), np.array([1, 1])
    assert _surely_wrong(weights, np.array([1e-3, 0.0]), 0.1, signs)  # the optimum is within 0.005
    assert not _surely_wrong(weights, np.array([1.0, 0.0]), 0.1, signs)  # within 5: -0.5 may turn
    assert not _surely_wrong(weights, np.array([1e-3, 0.0]), 0.1, np.array([1, 0]))  # no sign is wrong
