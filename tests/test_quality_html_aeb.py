"""HTML bodies on the AEB pages (../shared/corpora/html-scrapinghub-aeb, skipped when absent): pages never fitted
on, scored with the body params shipped in index/html/fitted.py (tests/test_quality_html.py checks that they are
the fit on all dev pages). A file of its own so that a second test process scores them beside the dev pages'
leave-one-site-out refit."""

import pytest

from bench import quality_html

pytestmark = [pytest.mark.corpora, pytest.mark.slow, pytest.mark.cost(15)]


def test_aeb_bodies_meet_their_target_and_beat_plain_trafilatura():
    from index.html.fitted import BODY

    if not (quality_html.CORPORA / quality_html.AEB).is_dir():
        pytest.skip(f"corpus absent: {quality_html.CORPORA / quality_html.AEB}")
    ours, plain = quality_html.aeb_rows(BODY)
    assert ours["measure"] == "shingle F1 (fitted on dev, untouched)" and ours["target"] is not None
    assert ours["ok"], ours
    assert ours["value"] >= plain["value"], (ours, plain)
