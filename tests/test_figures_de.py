"""German figures end to end (``find_figures(..., language="de")``): capitalised nouns, titles
and cues, lone words, the shipped tagger and the rules alone, firms and towns vetoed; English rules
for other languages. The tagger's spans and lone words: tests/test_figures_de_spans.py."""

from index.figures import find_figures


def test_german_capitalised_nouns_are_not_people():
    text = ("Mit Entsetzen und Trauer hat das Forum Waffenrecht reagiert. Reflexartige Rufe nach der Europäischen "
            "Feuerwaffenrichtlinie helfen nicht, sagte der FWR-Vorsitzende Friedrich Gepperth. Alle Informationen "
            "zur Bundesregierung finden Sie hier.")
    assert find_figures(text, "", language="de") == ["Friedrich Gepperth"]


def test_german_titles_cues_and_genitive():
    text = ("Bundeskanzlerin Angela Merkel traf Herrn Vilanek in Berlin. Merkels Sprecher schwieg. "
            "Das sei gut, sagte Müller.")
    assert find_figures(text, "", language="de") == ["Angela Merkel", "Vilanek", "Müller"]


def test_german_lone_words_need_evidence():
    text = "Der 33-Jährige verlor die Herrschaft über seinen Chevrolet. Frisch im Amt kam er in Willingen an."
    assert find_figures(text, "", language="de") == []


def test_english_rules_stay_the_default():
    assert find_figures("Governor Igor Rudeni opened the museum.", language="fr") == ["Igor Rudeni"]


def test_german_tagger_is_shipped_and_optional(monkeypatch):
    from index.figures import tagger_de

    assert tagger_de.tagger() is not None, "index/data/figures_de.crfsuite or python-crfsuite is missing"
    text = "Das sei gut, sagte Bundesinnenministerin Nancy Faeser am Mittwoch in Berlin."
    assert find_figures(text, "", language="de") == ["Nancy Faeser"]
    monkeypatch.setattr(tagger_de, "tagger", lambda: None)  # the rules alone decide
    assert find_figures(text, "", language="de") == ["Nancy Faeser"]


def test_german_firms_and_brands_are_vetoed():
    text = ("Vor Moncler und Dolce&Gabbana setzt auch die Nachrichtenagentur Ansa auf Luigi Lavazza S.p.A. "
            "und eine Art Netflix für Journalismus.")
    assert find_figures(text, "", language="de") == []


def test_german_names_that_are_towns_whole_are_vetoed():
    from index.figures.detection_de import is_town

    assert is_town(("Settimo", "Torinese")) and is_town(("Rio", "de", "Janeiro"))
    assert not is_town(("Nancy", "Faeser")) and not is_town(("Paris",))  # a lone word is the model's to judge


def test_german_name_ends_before_a_lower_case_word():
    from index.figures.detection_de import up_to_lower_word

    assert up_to_lower_word(("Rafa", "Galeano", "on", "Vimeo")) == ("Rafa", "Galeano")
    assert up_to_lower_word(("Tanaka", "et", "al")) == ("Tanaka",)
    assert up_to_lower_word(("Hugo", "von", "Montalban")) == ("Hugo", "von", "Montalban")
    assert up_to_lower_word(("John", "v.", "Berenberg-Consbruch")) == ("John", "v.", "Berenberg-Consbruch")
