"""Issue 12, "Done when": a property-based run over the API's published description.

Schemathesis generates requests for every operation of ``/api/openapi.json`` and sends them to a
live ``newsearch serve`` of the small literal index; no answer may be a 5xx or fall outside the
documented statuses, content types and bodies, and none may hold the server past twice its time
limit. A few hundred requests here (bounded in time); ``bench/fuzz.py`` runs thousands.
"""

import importlib.util

import pytest

from bench.fuzz import Tally
from bench.fuzz import fuzz
from bench.fuzz import hostile
from bench.fuzz import served

# Looked up, not imported: schemathesis takes ~0.5 s to import, which every test process would pay to
# collect this file; bench.fuzz imports it in the one process that runs the test.
pytestmark = [pytest.mark.slow, pytest.mark.cost(11),
              pytest.mark.skipif(importlib.util.find_spec("schemathesis") is None,
                                 reason="schemathesis is not installed (pip install -e '.[test]')")]

REQUESTS = 300
LIMIT = 1.0


def test_generated_requests_get_documented_answers_in_time(index_dir, tmp_path):
    tally = Tally()
    with served(str(index_dir), LIMIT, tmp_path / "log") as base:
        fuzz(base, REQUESTS, tally, seconds=120)
        hostile(base, tally)
    report = tally.report(LIMIT)
    assert tally.requests >= 100, report
    assert not tally.failures, report
    assert not [s for s in tally.statuses if not isinstance(s, int) or s >= 500], report
    assert max(seconds for seconds, _ in tally.times) < 2 * LIMIT + 1.0, report
