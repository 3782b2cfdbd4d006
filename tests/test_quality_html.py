import pytest

from bench import quality_html

pytestmark = [pytest.mark.corpora, pytest.mark.slow]


def test_every_targeted_row_is_ok():
    if not quality_html.CORPORA.is_dir():
        pytest.skip(f"corpora folder absent: {quality_html.CORPORA}")
    table = quality_html.rows()
    assert table, "corpora folder present but html sets missing"
    failed = [row for row in table if row["target"] is not None and not row["ok"]]
    assert failed == []
