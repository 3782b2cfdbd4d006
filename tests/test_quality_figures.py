import pytest

from bench import quality_figures

#: Rows whose target is not met yet (see the report of issue 13): they must keep failing until it is, so the
#: test below notices the day they pass.
NOT_MET = {("germeval2014-dev", "PER per article F1"), ("germeval2014-dev/held-out", "PER per article F1"),
           ("germeval2014-dev/5-fold", "PER per article F1")}

pytestmark = [pytest.mark.corpora, pytest.mark.slow, pytest.mark.cost(30)]


@pytest.fixture(scope="module")
def figure_rows():
    if not quality_figures.CORPORA.is_dir():
        pytest.skip("../shared/corpora not present")
    return quality_figures.rows(checks=False)  # every row with a target


def test_figure_quality_targets(figure_rows):
    failed = [r for r in figure_rows if r["target"] is not None and not r["ok"]
              and (r["set"], r["measure"]) not in NOT_MET]
    assert failed == []


@pytest.mark.xfail(strict=True, reason="GermEval per-article F1 is below its 0.80 target (precision is met)")
def test_germeval_f1_target(figure_rows):
    assert all(r["ok"] for r in figure_rows if (r["set"], r["measure"]) in NOT_MET)
