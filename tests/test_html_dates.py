"""Date evidence of HTML pages on tiny literal pages: which source gives which day (no fitted weights)."""

import datetime

from lxml import html as lxml_html

from index.html.dates import date_evidence
from index.html.regions import Regions

STORY = ("<p>The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate that had "
         "lasted for more than ten years and divided the town.</p>")
TITLE = "Harbour bridge to be rebuilt"


def sources(body: str, title: str = TITLE) -> dict:
    """Source → day the page's date evidence gives (htmldate skipped: the cheap path)."""
    tree = lxml_html.fromstring(f"<html><head><title>{title}</title></head><body>{body}</body></html>")
    evidence = date_evidence(tree, [], (None, None), [title], Regions(tree), cheap=True)
    return {source: day for day, names in evidence.days for source in names}


def test_a_date_before_a_trailing_published_verb_is_a_label():
    body = (f"<article><h1>{TITLE}</h1>{STORY}<p class='postmetadata'>Der Beitrag wurde am Mittwoch, den "
            "27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter Termine abgelegt.</p></article>")
    assert sources(body)["label"] == datetime.date(2019, 11, 27)


def test_a_date_in_a_sentence_before_a_published_verb_is_no_label():
    body = (f"<article><h1>{TITLE}</h1><p>Am 3. März 2019 fand die Sitzung statt. Das Protokoll wurde "
            f"später veröffentlicht.</p>{STORY}</article>")
    assert "label" not in sources(body)


def test_a_trailing_published_verb_in_a_teaser_link_is_no_label():
    body = (f"<article><h1>{TITLE}</h1>{STORY}</article><div class='related'><p>Ein anderer Beitrag, am "
            "2. Mai 2018 veröffentlicht</p></div>")
    assert "label" not in sources(body)


def test_the_dateline_under_a_visible_h2_headline_when_the_h1_is_hidden():
    body = (f"<header><h1 class='visuallyhidden'>{TITLE} | Gazette</h1><p>Menu Service 21.01.2022</p></header>"
            f"<article><h2>{TITLE}</h2><div class='meta'>25.01.2022</div>{STORY}</article>")
    assert sources(body, f"{TITLE} | Gazette")["headline"] == datetime.date(2022, 1, 25)


def test_a_short_section_heading_is_not_taken_for_the_headline():
    body = f"<div><h2>News</h2><p>12.03.2021</p></div><div>{STORY}</div>"
    assert "headline" not in sources(body, "Gazette News: harbour bridge")
