import pytest

from bench import quality_figures

pytestmark = [pytest.mark.corpora, pytest.mark.slow]


def test_figure_quality_targets():
    if not quality_figures.CORPORA.is_dir():
        pytest.skip("../shared/corpora not present")
    failed = [r for r in quality_figures.rows() if r["target"] is not None and not r["ok"]]
    assert failed == []
