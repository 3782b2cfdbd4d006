import pytest

from bench.quality import CORPORA
from bench.quality import seed_rows

pytestmark = pytest.mark.corpora


@pytest.fixture(scope="module")
def seed_checks():
    """The seed pages through the pipeline, extracted when the test runs (not when it is collected)."""
    if not (CORPORA / "seeds").is_dir():
        pytest.skip("../shared/corpora/seeds not present")
    return seed_rows()


def test_seed_pages_through_the_pipeline(seed_checks):
    failed = {row["measure"]: row["detail"] for row in seed_checks if not row["ok"]}
    assert seed_checks and failed == {}
