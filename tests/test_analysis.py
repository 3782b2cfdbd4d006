import pytest

from index.schema import BODY_ANALYZER
from index.schema import REFERENCE_BODY_ANALYZER

TEXTS = [
    "The U.S. Treasury's Baker said rates, rating and RATES rose; Café São Paulo re-opened at 9.5 pct.",
    "a I to of the an — Ärger über Öl; naïve coöperation in the 1987's MARKET, e.g. x.y.z and 3.14",
    "",
    "   \n\t ",
]


def tokens(analyzer, text, **kwargs):
    keys = ("text", "pos", "startchar", "endchar", "stopped", "boost")
    return [tuple(getattr(t, k, None) for k in keys) for t in analyzer(text, **kwargs)]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("options", [
    {}, {"positions": True, "chars": True}, {"positions": True, "removestops": False},
    {"mode": "query"}, {"positions": True, "start_pos": 5, "chars": True, "start_char": 7},
])
def test_fused_analyzer_equals_the_whoosh_composition(text, options):
    assert tokens(BODY_ANALYZER, text, **options) == tokens(REFERENCE_BODY_ANALYZER, text, **options)


def test_untokenized_value():
    assert tokens(BODY_ANALYZER, "Running", tokenize=False) == \
        tokens(REFERENCE_BODY_ANALYZER, "Running", tokenize=False)
