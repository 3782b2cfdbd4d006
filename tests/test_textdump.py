import datetime
from pathlib import Path

from index import extract_articles
from index.textdump import Boilerplate
from index.textdump import image_dates
from index.textdump import parse_text_dump

SAMPLE = Path(__file__).resolve().parents[1] / "sample"


def seeds():
    return {a.id.rsplit("/", 1)[1][:3]: a for a in extract_articles([SAMPLE], workers=0)}


def test_seed_titles():
    articles = seeds()
    assert articles["000"].title == "Tribute to the Memory from Russian senators"
    assert articles["002"].title == ("The final stage of the installation of the central figure of the "
                                     "Rzhev Memorial to the Soviet Soldier has begun")


def test_seed_bodies_lose_teaser_images_and_footer():
    for article in seeds().values():
        assert "Tasmagambetov" not in article.body
        assert "Go back" not in article.body and "Back to the all news" not in article.body
        assert ".jpeg" not in article.body


def test_seed_dates():
    articles = seeds()
    assert (articles["000"].date, articles["000"].year) == (None, 2020)
    assert articles["002"].date == datetime.date(2020, 1, 30)


def test_recurring_lines_are_dropped_but_a_page_scraped_twice_is_kept():
    page = "Menu line\nA headline here\n\nThe body of the story.\n"
    twin = page
    other = "Menu line\nAnother headline\n\nAnother body.\n"
    model = Boilerplate()
    for text in (page, twin, other):
        model.add(text)
    assert parse_text_dump(other, model.recurring(other))[:2] == ("Another headline", "Another body.")
    assert parse_text_dump(page, model.recurring(page))[:2] == ("A headline here", "The body of the story.")


def test_image_names_give_dates():
    assert image_dates("x image-30-01-20-01-10-1.jpeg y") == [datetime.date(2020, 1, 30)]
    assert image_dates("thumb_75887_news_big.jpeg") == []
