import gzip
import json

import pytest

from bench import quality_html

pytestmark = [pytest.mark.corpora, pytest.mark.slow]

DEV = quality_html.CORPORA / quality_html.TRAF_DEV


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


@pytest.mark.xfail(strict=True, reason="issue 14's leave-one-site-out targets are not met yet (title 0.861 < 0.88, "
                                       "date 0.898 < 0.92, body 0.931 < 0.935): see the closing note")
def test_every_targeted_row_is_ok():
    if not quality_html.CORPORA.is_dir():
        pytest.skip(f"corpora folder absent: {quality_html.CORPORA}")
    table = quality_html.rows()
    assert table, "corpora folder present but html sets missing"
    failed = [row for row in table if row["target"] is not None and not row["ok"]]
    assert failed == []


def test_p0058_about_page_gets_no_date_from_a_sidebar_link():
    article, _ = dev_page("p0058.html.gz")
    assert (article.date, article.year) == (None, None)


def test_p0312_body_is_the_article_not_the_tagline():
    article, truth = dev_page("p0312.html.gz")
    assert found(article, truth) == truth["with"]
    assert "Dein wichtigster Touchpoint" not in article.body


@pytest.mark.xfail(strict=True, reason="the question is missed: trafilatura keeps the answers only, "
                                       "the heuristic fallback is not chosen (see the report of issue 14)")
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
