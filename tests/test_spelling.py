"""search.spelling on a literal in-memory index: unknown words widened to near ones, "did you mean"."""

from literal import ram_searcher
from search.query import parse_query
from search.spelling import correction
from search.spelling import max_distance
from search.spelling import near_terms
from search.spelling import suggest
from search.spelling import surface_word
from search.spelling import tolerate_typos


def widen(searcher, text):
    query, widened = tolerate_typos(parse_query(text).query, searcher, text)
    return query, [w.to_json() for w in widened]


def test_long_words_may_be_two_edits_away():
    assert (max_distance("charlie"), max_distance("matvienko")) == (1, 2)


def test_near_terms_share_the_first_letter_and_come_by_frequency():
    reader = ram_searcher().reader()
    assert near_terms(reader, "body", "charle") == ["charli"]
    assert near_terms(reader, "body", "xharli") == []


def test_an_unknown_word_is_widened_and_says_to_what():
    query, widened = widen(ram_searcher(), "charle")
    assert widened == [{"word": "charle", "matched": ["charlie"]}]
    assert "charli" in str(query)


def test_a_known_word_is_left_alone():
    assert widen(ram_searcher(), "charlie")[1] == []


def test_a_stem_is_written_back_as_a_word_from_an_article():
    searcher = ram_searcher()
    assert surface_word(searcher, "body", "charli") == "charlie"
    assert correction(searcher, "body", "charle") == "charlie"


def test_did_you_mean_corrects_each_misspelt_word_in_place():
    searcher = ram_searcher()
    text = "charle AND ekho"
    assert suggest(searcher, parse_query(text).query, text) == "charlie AND echo"
    assert suggest(searcher, parse_query("charlie").query, "charlie") is None


def test_answers_are_kept_for_the_commit():
    searcher = ram_searcher()
    widen(searcher, "charle")
    widen(searcher, "charle")
    assert searcher.cache.built["known_words"] == 1 and searcher.cache.hits["known_words"] >= 1
