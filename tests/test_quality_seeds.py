import pytest

from bench.quality import CORPORA
from bench.quality import seed_rows

pytestmark = pytest.mark.corpora


@pytest.mark.skipif(not (CORPORA / "seeds").is_dir(), reason="../shared/corpora/seeds not present")
@pytest.mark.parametrize("check", [r for r in seed_rows()], ids=lambda r: r["measure"])
def test_seed_pages_through_the_pipeline(check):
    assert check["ok"], check["detail"]
