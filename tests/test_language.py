from index.article import Article
from index.article import derive_title
from index.language import DEFAULT_LANGUAGE
from index.language import detect_language
from index.language import language_code


def test_detects_common_news_languages():
    assert detect_language("Die Bundesregierung", "Die Bundesregierung hat am Mittwoch neue Regeln beschlossen, "
                           "die ab dem kommenden Jahr für alle Haushalte gelten sollen.") == "de"
    french = "Le gouvernement a annoncé mercredi de nouvelles règles pour tous les ménages."
    assert detect_language("", french) == "fr"


def test_unsure_or_empty_text_gets_the_default():
    assert detect_language("", "") == DEFAULT_LANGUAGE
    assert detect_language("", "12,5 % 3.400 -- 1986") == DEFAULT_LANGUAGE
    assert detect_language("NY COMEX GOLD CLSG 7-APR", "OPEN HIGH LOW CLOSE APR7 4205 4225 4185 4220L") == "en"


def test_language_codes_from_input():
    assert [language_code(v) for v in ("de", "DE", "de-AT", "pt_BR", "deu", "", None, 7)] == [
        "de", "de", "de", "pt", None, None, None, None]


def test_derived_title_is_the_first_sentence_cut_at_a_word():
    assert derive_title("U.S. officials said the deal was off. Later they said more.") == (
        "U.S. officials said the deal was off.")
    long = "word " * 40
    title = derive_title(long)
    assert title.endswith("…") and len(title) <= 100 and "wor…" not in title
    assert derive_title("\n\n") == ""


def test_derived_title_in_the_json_form():
    article = Article("a1", body="Oil prices rose. Then fell.", derived_title="Oil prices rose.", language="en")
    data = article.to_json()
    assert (data["title"], data["title_derived"], data["language"]) == ("Oil prices rose.", True, "en")
    assert Article("a2", title="Headline", derived_title="").to_json()["title_derived"] is False


def test_derived_title_and_language_through_the_index(tmp_path):
    import json

    from whoosh import index as whoosh_index
    from whoosh.query import Term

    from index import reindex
    from web import create_app

    source = tmp_path / "wire.jsonl"
    records = [{"id": "w1", "title": "", "body": "Grain exports rose sharply in March. Officials were pleased.",
                "language": "en-GB"},
               {"id": "w2", "title": "Getreide", "body": "Die Ausfuhren von Getreide stiegen im März deutlich an, "
                "wie die Behörden am Mittwoch mitteilten."}]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    reindex([source], tmp_path / "ix", workers=0)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()
    hit = client.get("/api/search?q=grain").get_json()["hits"][0]
    assert (hit["title"], hit["title_derived"], hit["language"]) == ("Grain exports rose sharply in March.", True, "en")
    assert client.get("/api/search?q=title:grain").get_json()["total"] == 0  # never ranked as a headline
    article = client.get("/api/articles/w1").get_json()["article"]
    assert (article["title"], article["title_derived"]) == ("Grain exports rose sharply in March.", True)
    german = client.get("/api/articles/w2").get_json()["article"]
    assert (german["title_derived"], german["language"]) == (False, "de")
    ix = whoosh_index.open_dir(next(p for p in (tmp_path / "ix").rglob("_MAIN_*.toc")).parent)
    with ix.searcher() as searcher:
        assert [searcher.stored_fields(d)["id"] for d in searcher.search(Term("language", "de")).docs()] == ["w2"]
        assert searcher.document(id="w1")["language"] == "en"
