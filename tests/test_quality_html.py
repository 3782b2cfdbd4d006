"""HTML extraction on the real pages of ../shared/corpora (skipped when absent).

Three costs: the six pages issue 14 names (one extraction each), a fixed subset of the dev pages
scored against plain trafilatura run live (a few seconds; it also checks the stored reference the
bench compares with, :mod:`bench.plain_trafilatura`), and the whole bench on the dev pages — every
page, refitted per held-out site — run once per session and shared by the aggregate assertions
(``slow``, a minute). The AEB pages are scored in tests/test_quality_html_aeb.py.
"""

import gzip
import json

import pytest

from bench import plain_trafilatura
from bench import quality_html

pytestmark = [pytest.mark.corpora, pytest.mark.cost(58)]

DEV = quality_html.CORPORA / quality_html.TRAF_DEV
AEB = quality_html.CORPORA / quality_html.AEB
#: every SUBSET_STEP-th dev page (sorted by name) is the quick subset
SUBSET_STEP = 8


def need(folder) -> None:
    if not folder.is_dir():
        pytest.skip(f"corpus absent: {folder} (the shared corpora are not installed here)")


def dev_page(name: str):
    """The extracted article and the truth of one html-trafilatura-dev page (skip when absent)."""
    if not (DEV / "html" / name).exists():
        pytest.skip(f"corpus page absent: {DEV / 'html' / name}")
    from index.html import extract_html

    truth = json.loads((DEV / "ground-truth.json").read_text("utf-8"))[name]
    data = gzip.decompress((DEV / "html" / name).read_bytes())
    return extract_html(data, url=truth["key"]), truth


def found(article, truth) -> list[str]:
    body = quality_html.fold(article.body)
    return [segment for segment in truth["with"] if quality_html.fold(segment) in body]


# --- the pages issue 14 names ------------------------------------------------------------------


def test_p0058_about_page_gets_no_date_from_a_sidebar_link():
    article, _ = dev_page("p0058.html.gz")
    assert (article.date, article.year) == (None, None)


def test_p0312_body_is_the_article_not_the_tagline():
    article, truth = dev_page("p0312.html.gz")
    assert found(article, truth) == truth["with"]
    assert "Dein wichtigster Touchpoint" not in article.body


def test_p0327_body_is_the_question_and_answers_without_network_chrome():
    article, truth = dev_page("p0327.html.gz")
    assert not article.body.startswith("Stack Exchange Network")
    assert found(article, truth) == truth["with"]


def test_p0184_body_leaves_out_the_newsletter_teaser():
    article, _ = dev_page("p0184.html.gz")
    assert "Newsletter" not in article.body and "Wünschen Sie sich mehr Tipps" not in article.body


def test_p0310_body_starts_after_the_date_line():
    article, _ = dev_page("p0310.html.gz")
    assert not article.body.startswith(("Mo, 11:41 Uhr", "06.11.2023"))


def test_p0034_body_does_not_repeat_its_headline():
    article, truth = dev_page("p0034.html.gz")
    assert article.title == truth["title"]
    assert not article.body.startswith(article.title)


# --- a fixed subset, scored quickly ------------------------------------------------------------


@pytest.fixture(scope="module")
def subset():
    """Every SUBSET_STEP-th dev page, extracted as a reindex of those pages would."""
    need(DEV)
    pages = quality_html.load_set(quality_html.TRAF_DEV)[::SUBSET_STEP]
    articles, _ = quality_html.run_ours(pages)
    return pages, articles


@pytest.fixture(scope="module")
def plain_subset(subset):
    """Plain trafilatura run live on the subset: its bodies and per-page counts."""
    pages, _ = subset
    bodies = plain_trafilatura.extract(pages)
    return bodies, plain_trafilatura.page_counts(quality_html.TRAF_DEV, bodies, pages)


def test_subset_bodies_score_at_least_plain_trafilatura(subset, plain_subset):
    pages, articles = subset
    ours, _ = quality_html.segment_score([article.body for article in articles], pages)
    plain, _ = quality_html.segment_score(plain_subset[0], pages)
    assert ours >= plain


def test_stored_plain_trafilatura_counts_are_what_it_gives_now(subset, plain_subset):
    """The whole bench compares against plain trafilatura's stored per-page counts (bench/plain_trafilatura.json)
    when they were made with the installed trafilatura: checked here against a live run on a subset of both sets."""
    need(AEB)
    pages, _ = subset
    stored = plain_trafilatura.stored(quality_html.TRAF_DEV, pages)
    if stored is None:
        pytest.skip("bench/plain_trafilatura.json is for another trafilatura: the bench runs it live")
    assert stored == plain_subset[1]
    aeb = quality_html.load_set(quality_html.AEB)[::SUBSET_STEP]
    assert plain_trafilatura.stored(quality_html.AEB, aeb) == plain_trafilatura.live(quality_html.AEB, aeb)


def test_subset_titles_and_dates(subset):
    """Floors a few pages under what the subset scores today: a regression guard, not a target."""
    pages, articles = subset
    title = quality_html.title_row([article.title for article in articles], pages, "subset", None)
    dates = quality_html.date_rows([article.date for article in articles], pages, "subset", False)
    assert title["value"] >= 0.80, title["detail"]
    assert dates[0]["value"] >= 0.83, dates[0]["detail"]
    assert dates[1]["value"] == 0.0, dates[1]["detail"]


# --- the whole bench, once per session ------------------------------------------------------------


@pytest.fixture(scope="session")
def bench_fit():
    """Every quality row of ``bench.quality_html`` on the dev pages (no speed row; the AEB pages are scored in
    tests/test_quality_html_aeb.py, in another test process), by (what, measure); and the values fitted on all
    dev pages."""
    need(DEV)
    need(AEB)
    rows, fitted = quality_html.rows_and_fit(speed=False, aeb=False)
    return {(row["what"], row["measure"]): row for row in rows}, fitted


TARGETS = [
    pytest.param("body", "segment F1 (leave-one-site-out)", id="body-held-out"),
    pytest.param("title", "exact match (leave-one-site-out)", id="title-held-out"),
    pytest.param("date", "exact day (leave-one-site-out)", id="date-held-out"),
    pytest.param("date", "no date found share (leave-one-site-out)", id="no-date-share"),
]


@pytest.mark.slow
@pytest.mark.parametrize("what, measure", TARGETS)
def test_target(bench_fit, what, measure):
    """Each targeted row of the bench meets its target (and, for bodies, plain trafilatura)."""
    row = bench_fit[0][(what, measure)]
    assert row["target"] is not None and row["ok"], row


@pytest.mark.slow
def test_shipped_values_are_the_fit_on_all_dev_pages(bench_fit):
    """index/html/fitted.py holds what the bench fits on all dev pages (what a reindex uses is what is measured;
    the AEB pages are scored with it)."""
    from index.html import fitted

    fit = bench_fit[1]
    assert (fit.body, fit.titles, fit.dates) == (fitted.BODY, fitted.TITLE_WEIGHTS, fitted.DATE_WEIGHTS), \
        "refit: python -m bench.quality_html --fit, and paste into index/html/fitted.py"
