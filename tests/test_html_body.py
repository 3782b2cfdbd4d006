"""Choosing the main text of an HTML page on tiny literal inputs: the paragraph the headline heads."""

from lxml import html as lxml_html

from index.html.body import _headed_body
from index.html.body import headed_paragraph
from index.html.markup import squash
from index.html.regions import Regions

QUESTION = "How does one know when to use wurde or war in forming sentences like the following ones?"
ANSWER = "Even in English the sentence I was robbed is used for the passive voice of the verb to rob."
CHROME = "The network consists of many question and answer communities for all kinds of people."


def tree_of(body: str):
    return lxml_html.fromstring(f"<html><body>{body}</body></html>")


class Candidates:
    """Stand-in for BodyCandidates: a fixed headed paragraph and fallback text."""

    def __init__(self, headed: str, fallback: list[str]):
        self._headed, self._fallback = headed, fallback

    def headed(self) -> str:
        return self._headed

    def get(self, mode: str) -> list[str]:
        assert mode == "fallback"
        return self._fallback


def same(paras: list[str]) -> list[str]:
    return paras


def boxed():
    """The page shows the network blurb only inside a box (a bar, a pop-up)."""
    return frozenset({squash(CHROME)})


def test_headed_paragraph_is_the_first_long_one_after_the_h1_outside_chrome():
    tree = tree_of(f"<nav><h1>Site</h1><p>{CHROME}</p></nav><div><h1>Wurde or war?</h1><p>asked 2014</p>"
                   f"<p>{QUESTION}</p><p>{ANSWER}</p></div>")
    assert headed_paragraph(tree, Regions(tree)) == QUESTION


def test_no_headed_paragraph_without_an_h1():
    tree = tree_of(f"<div><h2>Wurde or war?</h2><p>{QUESTION}</p></div>")
    assert headed_paragraph(tree, Regions(tree)) == ""


def test_the_fallback_replaces_a_text_that_took_boxed_chrome_and_lost_the_question():
    chosen = [CHROME, ANSWER]
    fallback = [QUESTION, ANSWER, "Another answer that is short."]
    assert _headed_body(Candidates(QUESTION, fallback), chosen, same, boxed) == fallback


def test_a_text_without_boxed_chrome_stays_though_it_lacks_the_headed_paragraph():
    chosen = [ANSWER]  # the headed paragraph may be a caption or a pull quote the article leaves out
    assert _headed_body(Candidates(QUESTION, [QUESTION, ANSWER]), chosen, same, boxed) == chosen


def test_a_text_that_holds_the_headed_paragraph_stays():
    chosen = [CHROME, QUESTION, ANSWER]
    assert _headed_body(Candidates(QUESTION, [QUESTION, ANSWER]), chosen, same, boxed) == chosen


def test_a_fallback_that_loses_most_of_the_text_does_not_replace_it():
    chosen = [CHROME, ANSWER, ANSWER.upper(), ANSWER.lower()]
    assert _headed_body(Candidates(QUESTION, [QUESTION, ANSWER]), chosen, same, boxed) == chosen
