"""Words of every language: each article analysed in its language, a query searched in all of them."""

import pytest

from index.schema import ArticleSchema
from literal import ARTICLES
from literal import ram_searcher
from search.engine import run_search
from search.query import parse_query
from search.request import BadRequest
from search.request import SearchRequest

SCHEMA = ArticleSchema()

GERMAN = [
    {"id": "de1", "title": "Förderung der Kultur", "body": "Die Förderung des Theaters wird verlängert.",
     "language": "de"},
    {"id": "de2", "title": "Vereine", "body": "Die Förderungen für Sportvereine steigen.", "language": "de"},
    {"id": "de3", "title": "Gewerkschaft", "body": "Die Gewerkschaft stellt eine Forderung nach mehr Lohn.",
     "language": "de"},
    {"id": "de4", "title": "Am See", "body": "Das Haus am See wurde verkauft.", "language": "de"},
    {"id": "de5", "title": "Streit", "body": "Im Streit hauen sie auf den Tisch.", "language": "de"},
    {"id": "de6", "title": "Verkehr", "body": "Die Straße nach Berlin ist gesperrt.", "language": "de"},
]
FRENCH = [
    {"id": "fr1", "title": "Élection", "body": "L'élection présidentielle aura lieu en mai.", "language": "fr"},
    {"id": "fr2", "title": "Scrutins", "body": "Les élections régionales sont reportées.", "language": "fr"},
    {"id": "fr3", "title": "Animaux", "body": "Le chat dort au château.", "language": "fr"},
]
SPANISH = [
    {"id": "es1", "title": "Elecciones", "body": "Las elecciones generales serán en marzo.", "language": "es"},
    {"id": "es2", "title": "Votación", "body": "La elección del alcalde fue reñida.", "language": "es"},
    {"id": "es3", "title": "Balance", "body": "El año termina con crecimiento.", "language": "es"},
    {"id": "es4", "title": "Salud", "body": "Un estudio del ano y el recto.", "language": "es"},
]
POLISH = [
    {"id": "pl1", "title": "Wybory", "body": "Wybory prezydenckie odbędą się w maju.", "language": "pl"},
    {"id": "pl2", "title": "Po wyborach", "body": "Po wyborach rząd podał się do dymisji.", "language": "pl"},
    {"id": "pl3", "title": "Geometria", "body": "Kąt prosty ma dziewięćdziesiąt stopni.", "language": "pl"},
    {"id": "pl4", "title": "Historia", "body": "Kat wykonał wyrok na rynku.", "language": "pl"},
    {"id": "pl5", "title": "Gabinet", "body": "Premier przedstawił skład rządu.", "language": "pl"},
]
ENGLISH = [
    {"id": "en1", "title": "House prices", "body": "The houses were sold at auction.", "language": "en"},
    {"id": "en2", "title": "Elections", "body": "The election was held in May.", "language": "en"},
]
EVERY = GERMAN + FRENCH + SPANISH + POLISH + ENGLISH


@pytest.fixture(scope="module")
def mixed():
    return ram_searcher(EVERY)


def found(searcher, q, **params):
    req = SearchRequest.from_params({"q": [q], "per_page": ["100"], **{k: [v] for k, v in params.items()}})
    return sorted(hit["id"] for hit in run_search(searcher, req).hits)


def words(field, text):
    return [t.text for t in SCHEMA[field].analyzer(text)]


def test_german_forms_find_each_other_and_umlauts_are_kept(mixed):
    assert found(mixed, "Förderung") == ["de1", "de2"]
    assert found(mixed, "Förderungen") == found(mixed, "Förderung")
    assert found(mixed, "Forderung") == ["de3"]
    assert found(mixed, "Foerderung") == ["de1", "de2"]  # oe is how ö is written without the letter


def test_german_haus_is_not_cut_to_hau(mixed):
    assert words("body_de", "Haus") == ["haus"]
    assert found(mixed, "Haus") == ["de4"]
    assert found(mixed, "hauen") == ["de5"]


def test_german_sharp_s_is_ss(mixed):
    assert found(mixed, "Strasse") == found(mixed, "Straße") == ["de6"]


def test_french_forms_and_accents(mixed):
    assert found(mixed, "élections", language="fr") == ["fr1", "fr2"]
    assert found(mixed, "élection", language="fr") == ["fr1", "fr2"]
    assert found(mixed, "election") == ["en2", "fr1", "fr2"]  # English "election" too: every language is searched
    assert words("body_fr", "présidentielles") == words("body_fr", "présidentielle")
    assert found(mixed, "chat") == ["fr3"]
    assert found(mixed, "château") == ["fr3"] and words("body_fr", "château") != words("body_fr", "chat")


def test_spanish_forms_and_enye(mixed):
    assert found(mixed, "elección") == ["es1", "es2"]
    assert found(mixed, "elecciones") == ["es1", "es2"]
    assert found(mixed, "año") == ["es3"]
    assert found(mixed, "ano") == ["es4"]


def test_polish_forms_and_letters(mixed):
    assert found(mixed, "wyborach") == ["pl1", "pl2"]
    assert found(mixed, "wybory") == ["pl1", "pl2"]
    assert found(mixed, "rząd") == ["pl2", "pl5"]
    assert found(mixed, "kąt") == ["pl3"]
    assert found(mixed, "kat") == ["pl4"]


def test_english_words_are_analysed_as_before(mixed):
    assert found(mixed, "house") == ["en1"]
    assert found(mixed, "houses") == ["en1"]
    assert words("body", "Förderungen Haus") == ["forderungen", "hau"]  # English analysis is unchanged


def test_an_english_index_searches_only_its_own_fields():
    """Without articles of other languages a query is what it always was: the same fields, the same ranking."""
    searcher = ram_searcher(ARTICLES)
    req = SearchRequest.from_params({"q": ["charlie delta"]})
    result = run_search(searcher, req)
    assert result.interpreted_as == str(parse_query("charlie delta").query)
    assert "_" not in result.interpreted_as.replace("figure_words", "")


def test_articles_in_other_languages_index_nothing_in_the_english_fields(mixed):
    reader = mixed.reader()
    assert b"hau" not in set(reader.lexicon("body"))  # "Haus" of a German article is not an English word
    assert mixed.stored_fields(mixed.document_number(id="de4"))["body"] == "Das Haus am See wurde verkauft."


def test_snippets_mark_the_forms_in_the_articles_language(mixed):
    req = SearchRequest.from_params({"q": ["Förderung"]})
    snippets = {hit["id"]: hit["snippet"] for hit in run_search(mixed, req).hits}
    assert snippets["de2"] == "Die <mark>Förderungen</mark> für Sportvereine steigen."
    req = SearchRequest.from_params({"q": ["wybory"]})
    hits = {hit["id"]: hit for hit in run_search(mixed, req).hits}
    assert "<mark>wyborach</mark>" in hits["pl2"]["snippet"] and hits["pl2"]["matched_in"] == ["title", "body"]


def test_a_phrase_and_a_prefix_in_another_language(mixed):
    assert found(mixed, '"Förderung des Theaters"') == ["de1"]
    assert found(mixed, "Förder*") == ["de1", "de2"]


def test_a_known_word_of_another_language_is_not_widened_as_a_typo(mixed):
    result = run_search(mixed, SearchRequest.from_params({"q": ["Gewerkschaft"]}))
    assert [hit["id"] for hit in result.hits] == ["de3"] and result.suggestion is None and not result.fuzzy


def test_language_facet_counts_and_filter(mixed):
    result = run_search(mixed, SearchRequest.from_params({"q": ["election OR wybory"], "language": ["pl"]}))
    assert sorted(hit["id"] for hit in result.hits) == ["pl1", "pl2"]
    facet = {v["value"]: (v["count"], v["selected"], v["label"]) for v in result.facets["language"]}
    assert facet == {"pl": (2, True, "Polish"), "en": (1, False, "English"), "fr": (2, False, "French")}
    assert found(mixed, "election", language="en") == ["en2"]


def test_language_filter_takes_several_and_normalises_codes(mixed):
    req = SearchRequest.from_params({"language": ["DE", "fr-FR", "de"]})
    assert req.languages == ("de", "fr")
    assert req.echo()["language"] == ["de", "fr"] and req.to_params()["language"] == ["de", "fr"]
    hits = run_search(mixed, req.replace(per_page=100)).hits
    assert {hit["language"] for hit in hits} == {"de", "fr"} and len(hits) == len(GERMAN) + len(FRENCH)


@pytest.mark.parametrize("bad", ["german", "d", "1e", "ü1"])
def test_a_language_that_is_not_a_code_is_refused(bad):
    with pytest.raises(BadRequest, match="language"):
        SearchRequest.from_params({"language": [bad]})


def test_a_languages_field_is_averaged_over_its_articles(mixed):
    from search.languages import avg_field_length

    reader = mixed.reader()
    assert avg_field_length(mixed, "body_de") == reader.field_length("body_de") / len(GERMAN)
    assert avg_field_length(mixed, "body") == reader.field_length("body") / len(ENGLISH)
    english = ram_searcher(ARTICLES)
    assert avg_field_length(english, "body") == english.avg_field_length("body")


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    from literal import index_folder

    return index_folder(tmp_path_factory.mktemp("languages"), EVERY)


def test_pages_say_each_articles_language(mixed_folder):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(mixed_folder)}).test_client()
    page = client.get("/?q=Förderungen").get_data(as_text=True)
    assert '<h2 class="hit-title" lang="de">' in page and '<p class="snippet" lang="de">' in page
    assert 'id="facet-language"' not in page  # one language among the hits: nothing to choose
    page = client.get("/?q=election").get_data(as_text=True)
    assert 'id="facet-language"' in page and "French" in page
    article = client.get("/articles/de2?q=Förderung").get_data(as_text=True)
    assert '<div class="article-body" lang="de">' in article and 'id="first-match">Förderungen</mark>' in article
    assert client.get("/api/search?language=xyz").status_code == 400


def test_cli_query_filters_by_language(mixed_folder):
    from click.testing import CliRunner

    import newsearch

    done = CliRunner().invoke(newsearch.cli, ["query", "election", "--index", str(mixed_folder),
                                              "--language", "fr", "--json"])
    assert done.exit_code == 0, done.output
    assert '"language": [\n      "fr"\n    ]' in done.output and '"fr2"' in done.output and '"en2"' not in done.output


def test_more_like_a_german_article_is_found_by_its_german_words():
    from search.related import more_like_this

    records = GERMAN + [{"id": "de7", "title": "Kultur", "body": "Die Förderung der Theater und Vereine.",
                         "language": "de"}] + ENGLISH
    searcher = ram_searcher(records)
    related = [r["id"] for r in more_like_this(searcher, searcher.document_number(id="de7"))]
    assert related and set(related) <= {r["id"] for r in GERMAN}


def test_a_misspelt_german_word_is_corrected_from_german_words(mixed):
    result = run_search(mixed, SearchRequest.from_params({"q": ["Gewerkschaf"]}))
    assert [hit["id"] for hit in result.hits] == ["de3"]
    assert result.suggestion == "gewerkschaft"  # written back as the article writes it, lower-cased
