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


def test_term_positions_are_the_indexed_tokens_positions(monkeypatch):
    """``term_positions`` gives each term the positions the token stream gives it (stop words before the
    first kept word counted), also when its memory of words is emptied on the way."""
    from index import analysis

    monkeypatch.setattr(analysis, "TERMS_KEPT", 3)
    monkeypatch.setattr(analysis, "_TERMS", {})
    for analyzer in (BODY_ANALYZER, analysis.LanguageWords("de")):
        for text in TEXTS + ["a the Baker and the baker, BAKERS", "der die das Müller und müller"]:
            expected = {}
            for token in analyzer(text, positions=True):
                expected.setdefault(token.text, []).append(token.pos)
            assert analyzer.term_positions(text) == expected
