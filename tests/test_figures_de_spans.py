"""German name spans after the tagger: names cut in two joined, particles at their edges, a sure lone word."""

from index.figures.tagger_de import Span


class FakeModel:
    """A tagger that is sure of every label it gave."""

    def marginal(self, label, position):
        return 1.0


def _sentence(text: str):
    tokens, at = [], 0
    for word in text.split():
        at = text.index(word, at)
        tokens.append((word, at))
        at += len(word)
    return tokens


def test_a_name_cut_in_two_by_the_tagger_is_one_name():
    from index.figures.tagger_de import person_spans

    sentence = _sentence("Tayler Jane Geddes ist die Tochter")
    spans = person_spans(FakeModel(), sentence, ["B-PER", "B-PER", "I-PER", "O", "O", "O"])
    assert [s.words for s in spans] == [("Tayler", "Jane", "Geddes")]


def test_two_people_apart_stay_two():
    from index.figures.tagger_de import person_spans

    sentence = _sentence("Müller und Meier , Schulz")
    spans = person_spans(FakeModel(), sentence, ["B-PER", "O", "B-PER", "O", "B-PER"])
    assert [s.words for s in spans] == [("Müller",), ("Meier",), ("Schulz",)]


def test_particles_stay_inside_a_name_and_leave_its_edges():
    from index.figures.detection_de import trimmed
    from index.figures.detection_de import up_to_lower_word

    assert trimmed(("David", "von")) == ("David",)
    assert trimmed(("von", "Athen")) == ("Athen",)
    assert trimmed(("Ole", "von", "Beust")) == ("Ole", "von", "Beust")
    assert up_to_lower_word(("Ali", "al-Nuaimi")) == ("Ali", "al-Nuaimi")
    assert up_to_lower_word(("Rafa", "Galeano", "on-air")) == ("Rafa", "Galeano")


def _lone(text: str, word: str, confidence: float = 0.9, opens: bool = False) -> Span:
    start = text.index(word)
    return Span((word,), start, start + len(word), confidence, opens)


def test_a_sure_lone_word_inside_a_clause_is_a_name_but_not_in_a_list():
    from index.figures.detection_de import bare_name

    cases = {("In der zweiten Halbzeit hat Amundsen den Ball verloren.", "Amundsen"): True,
             ("Bereits z. B. Armani, Gucci, Prada haben verzichtet.", "Gucci"): False,
             ("Vor Moncler und Dolce haben andere verzichtet.", "Moncler"): False,
             ("Er nutzte dafür Kratzer an Stelle der Schaber.", "Kratzer"): False,
             ("Damit ist ein an Corona-Covid-19 Erkrankter gemeint.", "Corona-Covid-19"): False,
             ("Die Zukunft heißt Smart Home.", "Smart"): False}
    for (text, word), expected in cases.items():
        assert bare_name(text, _lone(text, word), word) is expected, word
    text = "In der zweiten Halbzeit hat Amundsen den Ball verloren."
    assert not bare_name(text, _lone(text, "Amundsen", confidence=0.7), "Amundsen")  # not sure enough
    assert not bare_name(text, _lone(text, "Amundsen", opens=True), "Amundsen")  # opening a sentence


def test_a_firm_noun_before_a_name_also_at_the_end_of_a_hyphenated_compound():
    from index.figures.detection_de import firm_next

    text = "So hat die Fahrstuhl-Firma Schindler 200 der SUV bestellt."
    assert firm_next(text, _lone(text, "Schindler"))
    text = "So hat der Partei-Chef Schindler 200 Briefe bestellt."
    assert not firm_next(text, _lone(text, "Schindler"))


def test_german_lone_word_needs_a_role_a_verb_of_saying_a_given_name_or_running_text():
    from index.figures.detection_de import lone_evidence

    cases = {("Heute sieht Ministerin Köstinger keine Gefahr.", "Köstinger"): True,
             ("Das sei gut, sagte Kohlmann am Mittwoch.", "Kohlmann"): True,
             ("Vor einigen Jahren verkaufte Crocs-CEO Rees noch mehr.", "Rees"): True,
             ("Danach kam irgendwann Franziskus dazu.", "Franziskus"): True,
             ("Herausgeber: Börner, Ingo/Straub, Wolfgang (2018).", "Straub"): True,
             ("Beispielsweise Readly oder andere Dienste bieten das an.", "Readly"): False,
             ("Die Zukunft von Smart Home ist offen.", "Smart"): False,
             ("Der Prozess um Ruby dauert an.", "Ruby"): False,
             ("In seinem achten Spiel schoss Marchoux in der Partie ein Tor.", "Marchoux"): True,
             ("Er prallte gegen die Leitplanke. Knapp vor dem Hang kam er zum Stehen.", "Knapp"): False,
             ("Wir wollen mit Lilium einen Weltmarktführer bauen.", "Lilium"): False}
    for (text, word), expected in cases.items():
        assert lone_evidence(text, _lone(text, word), word) is expected, word


def test_german_lone_surname_of_a_full_name_in_the_genitive():
    from index.figures.detection_de import known_surnames
    from index.figures.normalize import Mention

    strong = [Mention(("Silvio", "Berlusconis"), 0)]
    assert known_surnames([Mention(("Berlusconi",), 40), Mention(("Ruby",), 60)], strong) == [
        Mention(("Berlusconi",), 40)]
