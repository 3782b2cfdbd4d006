"""Facet and chip URLs are encoded by hand for speed: they must read exactly as ``urlencode`` writes them."""

from urllib.parse import urlencode

import pytest

from web.urls import _encode


@pytest.mark.parametrize("name, value", [
    ("q", "oil & gas"),
    ("q", 'a+b/c?d=e#f "quoted" 100%'),
    ("figure", ["Igor Rudeni", "Валентина Матвиенко", "José Sarney"]),
    ("year", [1987, 1988]),
    ("page", 3),
    ("figure", []),
    ("q", ""),
])
def test_encoding_matches_urlencode(name, value):
    expected = urlencode({name: value}, doseq=True) if value not in ("", []) else ""
    assert _encode(name, value) == expected
