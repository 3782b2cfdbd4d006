"""The language detector's accuracy and the German figures audit on the dev pages (bench.quality_languages):
every dev page extracted as a reindex would, in its own file so that a second test worker can run it beside
the figure rows of tests/test_quality_figures.py."""

import pytest

from bench import quality_languages

pytestmark = [pytest.mark.corpora, pytest.mark.slow, pytest.mark.cost(40)]


def test_language_and_german_audit_targets():
    if not quality_languages.PAGES.is_dir():
        pytest.skip("../shared/corpora/html-trafilatura-dev not present")
    assert [r for r in quality_languages.rows() if not r["ok"]] == []
