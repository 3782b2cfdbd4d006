from index.schema import BODY_ANALYZER
from index.schema import NAME_ANALYZER
from search.query import parse_query
from search.snippets import _tokens
from search.snippets import find_matches
from search.snippets import query_terms
from search.snippets import snippet

TEXT = ("The U.S. Treasury's Baker said rates, rating and RATES rose; Café São Paulo "
        "re-opened at 9.5 pct in the new upstream release, a big new release.")


def test_fast_tokens_equal_the_index_analyzers():
    body = [(t.text, t.startchar, t.endchar) for t in BODY_ANALYZER(TEXT, chars=True)]
    names = [t.text for t in NAME_ANALYZER(TEXT)]
    assert [(stem, start, end) for stem, start, end, _ in _tokens(TEXT)] == body
    assert [folded for *_, folded in _tokens(TEXT)] == names


def marked(query, text=TEXT, **kwargs):
    return snippet(text, query_terms(parse_query(query).query), **kwargs)


def test_phrase_is_one_unit_and_its_words_are_not_marked_alone():
    assert marked('"upstream release"', length=400) == (
        "The U.S. Treasury&#x27;s Baker said rates, rating and RATES rose; Café São Paulo re-opened at "
        "9.5 pct in the new <mark>upstream release</mark>, a big new release.")


def test_words_match_all_their_forms():
    spans = find_matches(TEXT, query_terms(parse_query("rate").query))
    assert [TEXT[a:b] for a, b, _ in spans] == ["rates", "rating", "RATES"]


def test_accents_fold():
    assert "<mark>Café</mark>" in marked("cafe")


def test_passage_is_cut_at_word_boundaries():
    text = " ".join(["filler"] * 100) + " the harbour opened " + " ".join(["tail"] * 100)
    out = marked("harbour", text=text, length=60, passages=1)
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>harbour</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 62
    words = out.replace("<mark>", "").replace("</mark>", "").strip("…").split()
    assert set(words) <= {"filler", "the", "harbour", "opened", "tail"}


def test_two_best_passages():
    text = "alpha beta. " + "x " * 300 + "gamma alpha. " + "y " * 300 + "gamma delta."
    out = marked("alpha gamma", text=text, length=40)
    assert out.count("…") >= 2 and "<mark>gamma</mark> <mark>alpha</mark>" in out


def test_no_match_gives_the_start():
    assert marked("zzz", text="Short text.") == "Short text."


def test_escapes_markup():
    assert marked("kilo", text="<b>kilo</b> & co") == "&lt;b&gt;<mark>kilo</mark>&lt;/b&gt; &amp; co"


PHRASE_TEXTS = [
    TEXT,
    "Balance of payments: the balance of the payments, balance-of-payments and balance payments. "
    "New release.New release; new, upstream release. The release of the release of new releases.",
    "Interest rates rose. Interest   rates, interest-rate, INTEREST RATES; interest in rates; "
    "U.S. interest rates; u.s.interest rates. Rates interest. a interest b rates.",
    "Eurodollar dollars, dollar.rates _dollar 1dollar dollar_rates (dollar) petrodollars; "
    "interestingly interest-rates rated rates.dollar ratings Dollar-rate.",
]


def test_fast_path_agrees_with_full_tokenization():
    from search.snippets import _fast_matches
    from search.snippets import _token_matches

    queries = ["rate", "baker treasury", "cafe paulo", "opened release", "u.s", "new",
               '"upstream release"', '"new release"', '"balance of payments"', '"interest rates"',
               '"interest rates" rose', '"release of new"', '"rates interest" u.s', '"new upstream release"']
    for text in PHRASE_TEXTS:
        for query in queries:
            terms = query_terms(parse_query(query).query)
            assert _fast_matches(text, terms) == _token_matches(text, terms), (query, text[:30])
    assert _fast_matches("İstanbul", query_terms(parse_query("istanbul").query)) is None


def test_marks_stay_on_their_words_across_line_breaks_and_indents():
    text = "intro words here\n    Oil industry analysts said\n    the oil ministers met. " + "pad " * 80
    out = marked("oil", text=text, length=60)
    assert "<mark>Oil</mark> industry" in out and "<mark>in</mark>" not in out


def _pieces(out):
    """The passages of a snippet as plain text, without the ellipses between them."""
    plain = out.replace('<mark class="figure">', "").replace("<mark>", "").replace("</mark>", "")
    return [piece.strip() for piece in plain.split("…") if piece.strip()]


def test_passages_never_repeat_text_nor_double_an_ellipsis():
    import random

    rng = random.Random(15)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    for _ in range(300):
        text = " ".join(rng.choice(words + ["oil"] * rng.randint(0, 2)) for _ in range(rng.randint(40, 200)))
        text = text.replace("kappa", "kappa...") if rng.random() < 0.3 else text
        out = marked("oil", text=text, length=rng.choice([60, 120, 300]))
        assert "……" not in out and "… …" not in out and "...…" not in out, out
        at = 0
        for piece in _pieces(out):
            found = text.find(piece, at)
            assert found >= at, (piece, out)  # in text order, and not overlapping the one before
            at = found + len(piece)


def test_selected_figures_are_marked_by_full_name_or_surname():
    from search.snippets import Terms
    from search.snippets import figure_names
    from search.snippets import snippet

    text = "Treasury Secretary James Baker said rates would fall. Baker added nothing. Bakery closed."
    out = snippet(text, Terms(figures=figure_names(["James Baker"])))
    assert out.count('<mark class="figure">') == 2
    assert '<mark class="figure">James Baker</mark>' in out and '<mark class="figure">Baker</mark> added' in out


def test_matched_in_tells_title_body_and_figures_apart():
    from search.snippets import find_matches
    from search.snippets import matched_in

    def where(query, title, body, figures=()):
        terms = query_terms(parse_query(query).query)
        return matched_in(terms, title, find_matches(title, terms), body, find_matches(body, terms), list(figures))

    assert where("oil", "Oil prices", "Crude oil rose.") == ["title", "body"]
    assert where("oil", "Prices", "Crude oil rose.") == ["body"]
    assert where("baker", "Prices", "Rates rose.", ["James Baker"]) == ["figures"]
    assert where("figure:baker", "Baker speaks", "Baker spoke.", ["James Baker"]) == ["figures"]
    assert where('"crude oil"', "Crude oil", "No match here.") == ["title"]
