"""Fitting HTML extraction's values, and measuring them leave-one-site-out.

What is **fitted** on evaluation pages (and so must be scored on sites it was not fitted on):

- body: the choice among trafilatura's modes and the cleaning switches — one
  :class:`~index.html.fitted.BodyParams` out of :data:`BODY_GRID`, the one with the best segment F1;
- title: the weights of the candidate features (:data:`index.html.title.FEATURES`), a conditional
  logit (softmax over a page's candidates) fitted by Newton's method, its L2 penalty chosen among
  :data:`~bench.conditional_logit.PENALTIES` by cross-validation by site on the fitting pages;
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

from bench.conditional_logit import Candidates
from bench.conditional_logit import fit_penalised
from bench.conditional_logit import penalty_path
from index.html import Evidence
from index.html import decide_body
from index.html.dates import SOURCES
from index.html.dates import choose_date
from index.html.fitted import BodyParams
from index.html.site import host_of
from index.html.title import FEATURES
from index.html.title import choose_title

#: The direction of each piece of title evidence, fixed by design (its strength is fitted).
TITLE_SIGNS = tuple(-1 if name in ("site", "has_site", "short", "chrome") else 1 for name in FEATURES)
#: Every date source is evidence for the day it gives.
DATE_SIGNS = (1,) * len(SOURCES)

#: The grid of body configurations. Its order breaks ties (the first of equals wins): a cleaning
#: step that changes nothing on the fitting pages stays on, as designed (the recall fallback at its
#: mildest threshold first), so a held-out site does not lose a step only because no other site
#: needed it; the box cleaning, which costs time, stays off unless it helps.
BODY_GRID = [
    BodyParams(precision_keep=keep, recall_below=below, drop_chrome=chrome, drop_stamps=stamps,
               drop_repeats=repeats)
    for keep, below, chrome, stamps, repeats in itertools.product(
        (0.4, 0.5, 0.6), (100, 250, 0), (False, True), (True, False), (True, False))
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


@dataclasses.dataclass
class DevSet:
    """The fitting pages' title and date candidates, built once, fitted on any subset of the pages."""

    titles: Candidates
    dates: Candidates
    has_title: np.ndarray
    has_date: np.ndarray
    sites: list[str]
    counts: np.ndarray
    #: each penalty's fit on every page: where the fits on subsets of them start
    title_starts: dict
    date_starts: dict
    #: the inner folds' last fits (see :func:`fit_penalised`)
    title_recent: dict = dataclasses.field(default_factory=dict)
    date_recent: dict = dataclasses.field(default_factory=dict)


def dev_set(evidence: list, items: list[dict], keys: list[str], counts: np.ndarray) -> DevSet:
    titles = [item.get("title", "") for item in items]
    dates = [item.get("date", "") for item in items]
    title_problem = Candidates([title_rows(e, t) for e, t in zip(evidence, titles)], len(FEATURES))
    date_problem = Candidates([date_rows(e, t) for e, t in zip(evidence, dates)], len(SOURCES))
    has_title, has_date = np.array([bool(t) for t in titles]), np.array([bool(t) for t in dates])
    return DevSet(
        titles=title_problem, dates=date_problem, has_title=has_title, has_date=has_date,
        sites=[site_of(key) for key in keys], counts=counts,
        title_starts=penalty_path(title_problem, np.flatnonzero(has_title), TITLE_SIGNS),
        date_starts=penalty_path(date_problem, np.flatnonzero(has_date), DATE_SIGNS))


def fit_titles(dev: DevSet, pages: np.ndarray) -> dict[str, float]:
    weights = fit_penalised(dev.titles, pages[dev.has_title[pages]], dev.sites, TITLE_SIGNS, dev.title_starts,
                            dev.title_recent)
    return dict(zip(FEATURES, weights.round(4).tolist()))


def fit_dates(dev: DevSet, pages: np.ndarray) -> dict[str, float]:
    weights = fit_penalised(dev.dates, pages[dev.has_date[pages]], dev.sites, DATE_SIGNS, dev.date_starts,
                            dev.date_recent)
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
    return fit_dev(dev_set(evidence, items, keys, counts), np.array(pages, dtype=np.int64))


def fit_dev(dev: DevSet, pages: np.ndarray) -> Fitted:
    return Fitted(body=BODY_GRID[best_config(dev.counts[pages].sum(0))],
                  titles=fit_titles(dev, pages), dates=fit_dates(dev, pages))


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
    dev = dev_set(evidence, items, keys, counts)
    outcomes: list = [None] * len(evidence)
    # in the inner folds' order of sites: neighbours' inner folds hold nearly the same pages
    for group in sorted(site_groups(keys), key=lambda group: str(dev.sites[group[0]])):
        others = np.ones(len(evidence), bool)
        others[group] = False
        fitted = fit_dev(dev, np.flatnonzero(others))
        for index in group:
            outcomes[index] = apply(fitted, evidence[index])
    return outcomes
