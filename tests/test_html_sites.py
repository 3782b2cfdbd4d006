"""HTML extraction on literal pages of one site: what is learned from the other pages of the site (its name,
its chrome), cleaning, dates by their place on the page, and the source and id of a page."""

import datetime

from html_pages import STORY, article_page, page
from index.html import decode_html, extract_html

STORIES = {
    1: STORY,
    2: ("<p>The ferry to the islands will run twice as often from June, the shipping company said on "
        "Monday after a winter in which passengers complained about crowded boats.</p>"
        "<p>Tickets bought for the old timetable stay valid, and the first boat now leaves at six.</p>"),
    3: ("<p>Fishermen brought in the largest catch of herring in a decade this week, and the market hall "
        "stayed open late on Thursday to sell it.</p>"
        "<p>Prices fell by a third, the market's manager said, and the cold stores are full.</p>"),
}


def site_page(number, extra_body="", title_suffix=" | Harbour Weekly"):
    head = (f'<title>Story number {number} of the week{title_suffix}</title>'
            f'<link rel="canonical" href="https://www.harbour.example/news/{number}">')
    body = (f"<article><h1>Story number {number} of the week</h1>{STORIES.get(number, STORY)}{extra_body}"
            "</article><footer><p>Harbour Weekly, 1 Quay Street</p></footer>")
    return page(head, body)


def learned(pages):
    from index.html.site import learn_sites

    texts = {number: decode_html(data) for number, data in pages.items()}
    return learn_sites(list(texts), texts.get)


def test_site_name_and_chrome_are_learned_from_the_other_pages_of_the_site():
    letter = "<p>Subscribe to our weekly letter for more news from the harbour and the old town.</p>"
    profiles = learned({n: site_page(n, letter) for n in (1, 2, 3)})
    profile = profiles[1]
    assert profile.names == ("harbourweekly",) and profile.pages == 3
    article = extract_html(site_page(1, letter), profile=profile)
    assert "weekly letter" not in article.body and "The city council voted" in article.body
    assert "weekly letter" in extract_html(site_page(1, letter)).body


def test_a_lone_page_or_a_page_without_host_learns_nothing():
    from index.html.site import EMPTY

    profiles = learned({1: site_page(1), 2: page("<title>Other</title>", STORY)})
    assert profiles.get(1, EMPTY) == EMPTY and profiles.get(2, EMPTY) == EMPTY


def test_an_article_scraped_twice_keeps_its_text():
    profiles = learned({1: site_page(1), 2: site_page(1), 3: site_page(3)})
    assert "The city council voted" in extract_html(site_page(1), profile=profiles[1]).body
    assert profiles[1].chrome and profiles[3] == profiles[1]


def test_learned_site_name_is_evidence_for_the_title():
    from index.html import gather
    from index.html.title import FEATURES

    profiles = learned({n: site_page(n) for n in (1, 2)})
    data = page("<title>Bridge works start in May | Harbour Weekly</title>"
                '<link rel="canonical" href="https://harbour.example/news/9">', STORY)
    found = {c.text: dict(zip(FEATURES, c.features)) for c in gather(data, profile=profiles[1]).titles}
    assert found["Bridge works start in May"]["site_rest"] == 1.0
    assert found["Harbour Weekly"]["site"] == 1.0


def test_cleaning_steps():
    from index.html.cleaning import clean
    from index.html.fitted import BodyParams
    from index.html.site import EMPTY

    paras = ["Mo, 11:41 Uhr", "06.11.2023", "City news", "Harbour bridge to be rebuilt",
             "The city council voted on Tuesday to rebuild the old harbour bridge.", "Bild anzeigen",
             "Work is due to start in the spring.", "Bild anzeigen", "Abonnieren Sie den Newsletter."]
    params = BodyParams(drop_chrome=True, drop_stamps=True, drop_repeats=True)
    kept = clean(paras, frozenset({"harbourbridgetoberebuilt"}), frozenset({"abonnierensiedennewsletter"}),
                 EMPTY, params)
    assert kept == ["The city council voted on Tuesday to rebuild the old harbour bridge.",
                    "Work is due to start in the spring."]
    assert clean(paras[:2] + paras[4:5], frozenset(), frozenset(), EMPTY, params) == paras[4:5]


def test_pointers_ads_and_credits_are_not_the_article():
    from index.html.cleaning import clean
    from index.html.fitted import BodyParams
    from index.html.site import EMPTY

    story = ["The city council voted on Tuesday to rebuild the old harbour bridge.",
             "Read more about the plan in the council's report.", "Related companies say they will bid."]
    asides = ["Czytaj też: Wyścig zbrojeń ruszył z kopyta", "Lesen Sie auch » Das Ende der Fähre", "Read more",
              "Anzeige", "Advertisement", "Quelle: Landesregierung Hessen", "Foto: MDR/Bernd Cramer",
              "Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss."]
    kept = clean(story[:1] + asides + story[1:], frozenset(), frozenset(), EMPTY, BodyParams())
    assert kept == story
    assert clean(asides[:1], frozenset(), frozenset(), EMPTY, BodyParams()) == asides[:1]


def test_a_date_only_in_a_link_to_another_article_is_not_the_page_date():
    sidebar = ('<div class="sidebar"><ul><li><a href="/magazin/7">Das MagenMorgazin am 01.07.17</a></li>'
               '<li><a href="/magazin/6">Das Frühlingsmagazin am 03.04.17</a></li></ul></div>')
    article = extract_html(article_page(after=sidebar))
    assert (article.date, article.year, article.date_source) == (None, None, None)


def test_a_permalink_on_the_date_is_the_page_date():
    before = ('<p class="byline">Posted on <a href="/2019/08/16/bridge/"><time datetime="2019-08-16">'
              "16 August 2019</time></a></p>")
    assert extract_html(article_page(before=before)).date == datetime.date(2019, 8, 16)


def test_utc_timestamp_read_in_the_page_time_zone():
    head = ('<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2019-10-18T22:04:00Z"}</script>')
    assert extract_html(article_page(head)).date == datetime.date(2019, 10, 19)


def test_source_and_id_of_a_page_are_the_same_from_its_folder_or_alone(tmp_path):
    from index import extract_articles

    folder = tmp_path / "html"
    folder.mkdir()
    (folder / "p1.html").write_bytes(site_page(1))
    (folder / "p2.html").write_bytes(page("<title>No canonical here</title>", STORY))
    from_folder = {a.id: a.source for a in extract_articles([folder], workers=0)}
    alone = {a.id: a.source for a in extract_articles([folder / "p1.html"], workers=0)}
    assert from_folder == {"html/p1.html": "harbour.example", "html/p2.html": "html"}
    assert alone == {"html/p1.html": "harbour.example"}


def test_reindex_learns_per_site_and_a_touched_page_re_extracts_nothing(tmp_path):
    import os

    from index import reindex

    folder = tmp_path / "pages"
    folder.mkdir()
    letter = "<p>Subscribe to our weekly letter for more news from the harbour and the old town.</p>"
    for number in (1, 2, 3):
        (folder / f"p{number}.html").write_bytes(site_page(number, letter))
    first = reindex([folder], tmp_path / "ix", workers=0)
    assert (first.added, len(first.skipped)) == (3, 0)
    os.utime(folder / "p2.html", ns=(1, 1))
    again = reindex([folder], tmp_path / "ix", workers=0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_hidden_text_is_not_shown():
    from lxml import html as lxml_html

    from index.html.regions import Regions, is_hidden, shown_text

    tree = lxml_html.fromstring(
        '<html><body><h1><span class="visually-hidden">Headline:</span> Bridge <b hidden>x</b>rebuilt'
        '<i style="display: none">y</i></h1><p class="hidden-xs">kept</p></body></html>')
    regions = Regions(tree)
    h1 = tree.find(".//h1")
    assert shown_text(h1, regions) == "Bridge rebuilt"
    assert not is_hidden(tree.find(".//p"))  # "hidden-xs" hides on small screens only


def test_a_hidden_label_in_the_headline_is_not_part_of_the_title():
    body = (f'<article><h1><span class="sr-only">Article:</span> Harbour bridge to be rebuilt</h1>'
            f'{STORY}</article>')
    assert extract_html(page("", body)).title == "Harbour bridge to be rebuilt"


def test_the_headline_as_shown_beats_its_metadata_spelling():
    head = '<meta property="og:title" content="Harbour bridge - to be rebuilt">'
    body = f'<article><div class="entry-title">Harbour bridge – to be rebuilt</div>{STORY}</article>'
    assert extract_html(page(head, body)).title == "Harbour bridge – to be rebuilt"
