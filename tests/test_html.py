"""HTML extraction on literal pages: titles, dates, bodies, decoding, malformed input; the date rules."""

import datetime
import os

from html_pages import STORY, article_page, page
from index.html import HtmlArticle, decode_html, extract_html


def test_title_site_suffix_stripped():
    head = ('<title>Harbour bridge to be rebuilt | Harbour Gazette</title>'
            '<meta property="og:site_name" content="Harbour Gazette">')
    assert extract_html(article_page(head)).title == "Harbour bridge to be rebuilt"


def test_title_dash_suffix_stripped_without_h1():
    head = ('<title>Harbour bridge to be rebuilt - Harbour Gazette</title>'
            '<meta property="og:site_name" content="Harbour Gazette">')
    assert extract_html(page(head, STORY)).title == "Harbour bridge to be rebuilt"


def test_title_suffix_from_host_name():
    head = "<title>Harbour bridge to be rebuilt » Gazette</title>"
    article = extract_html(page(head, STORY), url="https://www.gazette.example/news/1")
    assert article.title == "Harbour bridge to be rebuilt"


def test_title_logo_h1_ignored():
    head = '<title>Harbour bridge to be rebuilt | Gazette</title>'
    body = f"<h1>Gazette</h1><div>{STORY}</div>"
    assert extract_html(page(head, body)).title == "Harbour bridge to be rebuilt"


def test_date_from_article_published_time():
    head = ('<meta property="article:published_time" content="2019-03-12T10:00:00+01:00">'
            '<meta property="article:modified_time" content="2020-05-01T10:00:00+01:00">')
    article = extract_html(article_page(head))
    assert article.date == datetime.date(2019, 3, 12)
    assert article.year == 2019


def test_date_from_json_ld():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "Harbour bridge to be rebuilt", '
            '"datePublished": "2018-07-04T08:30:00Z", "dateModified": "2021-01-02"}</script>')
    assert extract_html(article_page(head)).date == datetime.date(2018, 7, 4)


def test_date_from_url():
    article = extract_html(article_page(), url="https://news.example/2017/11/23/harbour-bridge/")
    assert article.date == datetime.date(2017, 11, 23)


def test_date_from_time_element():
    before = '<p class="meta">Posted <time datetime="2016-02-29T09:00">29 Feb</time></p>'
    assert extract_html(article_page(before=before)).date == datetime.date(2016, 2, 29)


def test_copyright_year_is_not_a_date():
    after = "<footer><p>© 2015 Harbour Gazette. All rights reserved.</p></footer>"
    article = extract_html(article_page(after=after))
    assert article.date is None
    assert article.year is None


def test_future_and_ancient_dates_rejected():
    head = '<meta property="article:published_time" content="2999-01-05T10:00:00Z">'
    assert extract_html(article_page(head)).date is None
    head = '<meta property="article:published_time" content="1601-01-05T10:00:00Z">'
    assert extract_html(article_page(head)).date is None


def test_pre_web_dates_count_like_in_other_inputs():
    head = '<meta property="article:published_time" content="1987-03-02T10:00:00Z">'
    assert extract_html(article_page(head)).date == datetime.date(1987, 3, 2)


def test_body_without_nav_footer_and_comments():
    before = ('<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport pages</a></li>'
              '</ul></nav>')
    after = ('<section id="comments" class="comments"><h3>Comments</h3>'
             '<div class="comment"><p>I think this bridge is a total waste of our money.</p></div>'
             '</section><footer><p>Contact the newsroom and imprint information.</p></footer>')
    body = extract_html(article_page(before=before, after=after)).body
    assert "The city council voted on Tuesday" in body
    assert "at night and on weekends." in body
    assert "Sport pages" not in body
    assert "waste of our money" not in body
    assert "imprint information" not in body


def test_body_paragraphs_separated_by_blank_lines():
    body = extract_html(article_page()).body
    assert "divided the town.\n\nWork is due" in body


def test_canonical_url():
    head = '<link rel="canonical" href="/news/bridge">'
    article = extract_html(article_page(head), url="https://news.example/amp/bridge?x=1")
    assert article.url == "https://news.example/news/bridge"


def test_decode_cp1251_declared():
    data = '<meta charset="windows-1251"><p>Привет, мир</p>'.encode("cp1251")
    assert decode_html(data) == '<meta charset="windows-1251"><p>Привет, мир</p>'


def test_decode_cp1251_undeclared():
    data = "<p>Москва — столица России, крупнейший город страны.</p>".encode("cp1251")
    assert decode_html(data) == "<p>Москва — столица России, крупнейший город страны.</p>"


def test_decode_latin1_undeclared():
    assert decode_html("<p>Grüße aus Köln, café crème</p>".encode("latin-1")) == (
        "<p>Grüße aus Köln, café crème</p>")


def test_decode_http_equiv_charset():
    data = ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "<p>Ä</p>").encode("latin-1")
    assert decode_html(data).endswith("<p>Ä</p>")


def test_decode_invalid_utf8_mostly_utf8():
    assert decode_html("<p>Grüße</p>".encode("utf-8") + b"\xff") == "<p>Grüße</p>\ufffd"


def test_decode_bom():
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "<p>café</p>"
    assert decode_html("<p>café</p>".encode("utf-16")) == "<p>café</p>"


def test_decode_empty():
    assert decode_html(b"") == ""


def test_extract_cp1251_page_without_charset():
    html = f"<html><head><title>Новости</title></head><body>{STORY}</body></html>"
    assert extract_html(html.encode("cp1251")).title == "Новости"


def test_garbage_bytes_do_not_raise():
    article = extract_html(os.urandom(20000))
    assert isinstance(article, HtmlArticle)


def test_empty_input():
    assert extract_html(b"") == HtmlArticle(title="", body="", date=None, year=None, url=None)
    assert extract_html("") == HtmlArticle(title="", body="", date=None, year=None, url=None)


def test_malformed_and_nested_html_do_not_raise():
    assert isinstance(extract_html(b"<html><body><div><p>Broken <b>markup</div></table>"), HtmlArticle)
    nested = b"<div>" * 5000 + b"<p>deep</p>" + b"</div>" * 5000
    assert isinstance(extract_html(nested), HtmlArticle)


# --- date rules ---------------------------------------------------------------------------------

COMMENT = ('<div class="comments"><p>Peter sagt: <time datetime="2019-08-24T03:36:11+02:00">'
           '24. August 2019 um 03:36 Uhr</time></p></div>')


def test_date_after_published_label_beats_comment_time():
    before = "<p>Veröffentlicht am 16.08.2019 · Dauer: 1 Stunde</p>"
    assert extract_html(article_page(before=before, after=COMMENT)).date == datetime.date(2019, 8, 16)


def test_published_label_with_month_name():
    after = "<p class='meta'>Published on March 12, 2019 by the desk</p>"
    assert extract_html(article_page(after=after)).date == datetime.date(2019, 3, 12)


def test_dateline_after_headline_without_structured_dates():
    teasers = "<aside><ul><li>Older story 21. Januar 2022</li><li>Other story 3. Januar 2022</li></ul></aside>"
    body = (f"<article><h1>Harbour bridge to be rebuilt</h1><p>1. Februar 2022 , Daniel Dillenburg</p>"
            f"{STORY}</article>{teasers}")
    head = "<title>Harbour bridge to be rebuilt</title>"
    assert extract_html(page(head, body)).date == datetime.date(2022, 2, 1)


def test_dateline_in_a_byline_with_a_short_year():
    body = ("<article><h1>Harbour bridge to be rebuilt</h1><div>Ada Lovelace | 06.11.23</div>"
            f"{STORY}<blockquote>A tweet, November 3, 2023</blockquote></article>")
    assert extract_html(page("<title>Harbour bridge to be rebuilt</title>", body)).date == datetime.date(2023, 11, 6)


def test_a_stamp_marked_as_the_edit_is_neither_dateline_nor_time():
    stamps = ('<p><time class="updated" datetime="2022-12-29T15:36:19+01:00">29. Dezember 2022</time> '
              '<time class="entry-date published" datetime="2022-12-30T07:00:40+01:00">30. Dezember 2022</time></p>')
    body = f"<article><h1>Harbour bridge to be rebuilt</h1>{stamps}{STORY}</article>"
    assert extract_html(page("<title>Harbour bridge to be rebuilt</title>", body)).date == datetime.date(2022, 12, 30)


def test_event_date_in_a_sentence_is_not_a_dateline():
    body = ("<article><h1>Harbour bridge to be rebuilt</h1><p>The next public meeting about the bridge "
            "takes place on 5. Februar 2020 at the town hall and everyone is welcome.</p>"
            f"{STORY}</article>")
    head = ('<title>Harbour bridge to be rebuilt</title>'
            '<meta property="article:published_time" content="2020-01-29T10:00:00+01:00">')
    assert extract_html(page(head, body)).date == datetime.date(2020, 1, 29)


def test_time_element_and_generic_meta_are_separate_evidence():
    from index.html import gather
    from index.html.dates import choose_date

    head = '<meta name="date" content="2022-1-26T14:32:06+02:00">'
    before = '<p class="meta"><time datetime="2022-01-21">21.01.2022 - 13:30</time></p>'
    evidence = gather(article_page(head, before=before)).dates
    days = {day: sources for day, sources in evidence.days}
    assert "time" in days[datetime.date(2022, 1, 21)] and "generic" in days[datetime.date(2022, 1, 26)]
    assert choose_date(evidence, {"time": 2.0, "generic": 1.0}) == (datetime.date(2022, 1, 21), "time")
    assert choose_date(evidence, {"time": 1.0, "generic": 2.0})[0] == datetime.date(2022, 1, 26)


def test_year_month_url_completed_by_shown_date():
    after = "<p class='footer-note'>Dieser Artikel wurde am 19. Mai 2010 um 23:03 Uhr gepostet.</p>"
    url = "https://web.archive.org/web/20160218174457/http://blog.example/2010/05/harbour-bridge/"
    assert extract_html(article_page(after=after), url=url).date == datetime.date(2010, 5, 19)


def test_modified_date_only_when_nothing_else():
    head = '<meta itemprop="dateModified" content="06/13/2019">'
    assert extract_html(article_page(head)).date == datetime.date(2019, 6, 13)
    head += '<meta property="article:published_time" content="2018-02-28T20:00:18+00:00">'
    assert extract_html(article_page(head)).date == datetime.date(2018, 2, 28)


def test_ambiguous_slash_date_is_not_read_but_shown_label_date_wins():
    from index.dates import parse_date_string as _parse_date

    assert _parse_date("11/01/2023 12:43:42") is None
    assert _parse_date("06/13/2019") == datetime.date(2019, 6, 13)
    assert _parse_date("13/06/2019") == datetime.date(2019, 6, 13)
    head = '<meta name="date" content="11/01/2023 12:43:42">'
    after = "<p>Erstellt am: 01.11.2023</p>"
    assert extract_html(article_page(head, after=after)).date == datetime.date(2023, 11, 1)


def test_htmldate_text_search_only_without_structured_date(monkeypatch):
    from index.html import dates

    calls = []
    original = dates._htmldate
    monkeypatch.setattr(dates, "_htmldate", lambda *args: calls.append(args[2:]) or original(*args))
    head = '<meta property="article:published_time" content="2019-03-12T10:00:00+01:00">'
    assert extract_html(article_page(head)).date == datetime.date(2019, 3, 12)
    assert calls == [(False,)]


def test_literal_local_day_of_published_time():
    head = '<meta property="article:published_time" content="2019-03-12T23:30:00-05:00">'
    assert extract_html(article_page(head)).date == datetime.date(2019, 3, 12)


def test_default_extraction_skipped_when_precision_text_is_long(monkeypatch):
    from index.html import body as html

    calls = []
    original = html._trafilatura
    monkeypatch.setattr(html, "_trafilatura",
                        lambda tree, url, **options: calls.append(options) or original(tree, url, **options))
    long_story = STORY + "".join(
        f"<p>Paragraph {number} of the council report lists the works planned for section {number} of "
        f"the bridge, the firms invited to bid for them and the weeks in which lane {number} will "
        f"be closed to traffic while the old steel is taken away.</p>" for number in range(12))
    body = f"<article><h1>Harbour bridge to be rebuilt</h1>{long_story}</article>"
    from index.html.fitted import BODY

    assert len(extract_html(page("", body)).body) >= BODY.precision_long
    assert calls == [{"favor_precision": True}]
    calls.clear()
    extract_html(article_page())
    assert calls == [{"favor_precision": True}, {}]


def test_published_label_glued_to_a_preceding_time():
    after = "<p>Letzte Änderung: 31.10.2023 - 14:49:39<span>Erschienen am: 01.11.2023</span></p>"
    assert extract_html(article_page(after=after)).date == datetime.date(2023, 11, 1)
