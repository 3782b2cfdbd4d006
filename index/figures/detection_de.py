"""Person mentions in German text, where a capital letter marks every noun, not just names.

The sequence model (:mod:`tagger_de`) marks the names of people; a name is taken from a confidence of
:data:`FULL_MIN` on (:data:`LONE_MIN` for a lone word, more often a place, a firm or a noun), chosen for
precision first on each half of GermEval 2014 dev tagged by a model trained on the other half (0.6 rather than
0.5 raised precision on both halves, .846 -> .859 and .879 -> .888, at the same F1). A name ends before a lower-case
word that is no surname particle ("Rafa Galeano on Vimeo"). A lone word needs evidence that it names a person
(:func:`lone_evidence`: a role, a verb of saying, a given name, running text the model is very sure of), or the
model's near certainty inside a clause (:func:`bare_name`): on the German dev pages most lone words without it
were brands, firms, places or words opening a sentence ("Readly", "Montauk", "Knapp vor ..."). Without either, or
when the model is less sure, it still counts when it is the surname of a person named in full in the same article,
also in the genitive ("Merkels" after "Angela Merkel"). Measured: GermEval held-out half P .859 -> .891, R .663 ->
.613 with the evidence rule; share of people on the held-out German audit .873 -> .928. The thresholds and
:func:`bare_name` were then chosen on the even half (model trained on the odd one) and checked on the odd half and
on the German dev pages, whose added figures were read by eye: held-out F1 .724 -> .741 (P .890 -> .884).
Firm evidence next to a name vetoes it ("Lavazza S.p.A.", "Dolce&Gabbana", "Nachrichtenagentur
Ansa"); so does a name that is, whole, a town's ("Settimo Torinese"). Upper-case lines (headlines, shouted
labels) are skipped.

Without the model (no model file, or ``python-crfsuite`` missing) the hand-written rules decide: each
candidate (:mod:`candidates_de`) is judged by :mod:`rules_de`.
"""

from __future__ import annotations

import re

from index.figures import morphology_de
from index.figures import tagger_de
from index.figures.candidates_de import WORD_BEFORE
from index.figures.candidates_de import candidates_de
from index.figures.normalize import Mention
from index.figures.normalize import bare
from index.figures.normalize import fold
from index.figures.lexicon import PARTICLE_WORDS
from index.figures.lexicon import english
from index.figures.lexicon_de import german
from index.figures.lexicon_de import is_title
from index.figures.rules_de import DETERMINER_BEFORE
from index.figures.rules_de import FIRM_AFTER_DE
from index.figures.rules_de import FIRM_NEXT
from index.figures.rules_de import is_firm_noun
from index.figures.rules_de import PLACE_BEFORE_DE
from index.figures.rules_de import judge_candidate
from index.figures.segment import Verdict

#: Words and marks around a name (a hyphenated role stays one word: "Crocs-CEO").
TOKEN_WORDS = re.compile(r"[^\W\d_][\w-]*|[^\w\s]")
#: A surname particle abbreviated: "John v. Berenberg-Consbruch".
ABBREVIATED_PARTICLE = re.compile(r"[a-z]{1,2}\.")
#: A given name after a lone word and a comma: a reference list's "Straub, Wolfgang".
GIVEN_AFTER = re.compile(r",\s*([^\W\d_][\w-]+)")
#: A speaker before a colon and a quotation: 'Güllner: "Solidarität ..."'.
SPEAKER_AFTER = re.compile(r"\s*:\s*[\"„“»«]")
#: A lone name in running text: plain spelling, and the model's confidence from which it counts there.
PLAIN_WORD = re.compile(r"[A-ZÄÖÜ][a-zäöüßà-ÿ]+")
PROSE_MIN = 0.85
#: What HanTa may take the lower-cased word for, for it to count as a name in running text.
NAME_LIKE_POS = frozenset({"pos=NE", "pos=FM", "pos=NN"})
#: Words before a lone word that put it in a list or a phrase rather than in a clause.
LINKS_BEFORE = frozenset("mit von vom bei beim für über durch gegen ohne um an am auf aus nach zu zum zur und oder "
                         "wie".split())
#: The model's confidence from which a name of two or more words, or a lone word, is taken.
FULL_MIN = 0.6
LONE_MIN = 0.6
#: The confidence from which a lone word inside a clause needs no other evidence of a person (:func:`bare_name`);
#: 0.8 rather than 0.75 kept "Montauk", "Schufa", "Strava" out on the German dev pages.
BARE_MIN = 0.8
#: A lone word opening a sentence needs this confidence.
OPENS_MIN = 0.85
#: Below this a lone word is not kept even as a known surname.
SURNAME_MIN = 0.2


def find_mentions_de(text: str) -> list[Mention]:
    """Every person mention in German ``text``, in order, before merging."""
    spans = tagger_de.people(text)
    if spans is None:
        return find_mentions_rules(text)
    strong: list[Mention] = []
    weak: list[Mention] = []
    for span in spans:
        words = up_to_lower_word(trimmed(span.words))
        if not words or firm_next(text, span) or span.confidence < SURNAME_MIN or is_town(words):
            continue
        mention = Mention(words, span.start)
        if len(words) == 1 and (lone_doubtful(text, span, words[0]) or not bare_name(text, span, words[0])
                                and not lone_evidence(text, span, words[0])):
            weak.append(mention)
        elif span.confidence >= (LONE_MIN if len(words) == 1 else FULL_MIN):
            strong.append(mention)
        elif len(words) == 1:
            weak.append(mention)
    return genitives(strong) + known_surnames(weak, strong)


def trimmed(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words without possessives and without lower-case words at its start ("von Athen") or its end
    ("David von": the tagger stopped before the surname)."""
    words = tuple(bare(w) for w in words)
    while words and not words[0][:1].isupper():
        words = words[1:]
    while words and not words[-1][:1].isupper():
        words = words[:-1]
    return words


def up_to_lower_word(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words up to a lower-case word that is no surname particle: the tagger ran on over it ("Rafa
    Galeano on Vimeo", "Tanaka et al")."""
    for i, word in enumerate(words[1:], 1):
        if word[:1].islower() and word.lower() not in PARTICLE_WORDS and not ABBREVIATED_PARTICLE.fullmatch(word) \
                and word.split("-")[0].lower() not in PARTICLE_WORDS:  # "Ali al-Nuaimi"
            return words[:i]
    return words


def lone_evidence(text: str, span, word: str) -> bool:
    """A lone word is a name on its own only with evidence that it names a person: a title or role right before
    it ("Ministerin Köstinger", "Crocs-CEO Rees"), a verb of saying next to it ("sagte Müller", "Müller
    erklärte"), a given name after it and a comma (a reference list's "Straub, Wolfgang"), or a given name that is no common word and no place ("Franziskus", "Enrique"; not "Sofia", "Max",
    "Helle"). Without it, it counts only as the surname of someone the article names in full: brands, firms and
    places stand alone far more often ("Readly", "Crocs", "Montauk", "Smart")."""
    before = TOKEN_WORDS.findall(text[max(0, span.start - 60) : span.start])
    after = TOKEN_WORDS.findall(text[span.end : span.end + 40])
    if before and before[-1][:1].isupper() and is_title(before[-1].split("-")[-1].lower()):
        return True
    speech = german().speech
    if any(w.lower() in speech for w in before[-3:] + after[:3]):
        return True
    if SPEAKER_AFTER.match(text, span.end) or in_prose(span, word, before, after):
        return True
    given_after = GIVEN_AFTER.match(text, span.end)
    return is_plain_given_name(word) or bool(given_after) and is_plain_given_name(given_after.group(1))


def bare_name(text: str, span, word: str) -> bool:
    """A lone word the model is sure of (:data:`BARE_MIN`), plainly spelt, no German noun and no English word
    ("Kratzer", "Smart", "Covid-19"), inside a sentence and not in a list: not opening the sentence, no ",", "&",
    "/" or "und"/"oder" next to it and no preposition before it. Brands stand in lists and phrases ("Armani, Gucci,
    Prada", "Vor Moncler und ..."); news and Wikipedia prose name people so ("schoss Kaká in", "hat Amundsen")."""
    if span.confidence < BARE_MIN or span.opens or not PLAIN_WORD.fullmatch(word):
        return False
    low = word.lower()
    if low in german().nouns or low in english().words:
        return False  # "Kratzer", "Schaber" (tools), "Seat", "Smart"
    before = TOKEN_WORDS.findall(text[max(0, span.start - 30) : span.start])[-1:]
    after = TOKEN_WORDS.findall(text[span.end : span.end + 30])[:1]
    return not any(w.lower() in LINKS_BEFORE or w in (",", "&", "/") for w in before + after)


def in_prose(span, word: str, before: list[str], after: list[str]) -> bool:
    """A word the model is very sure of, plainly spelt (no inner capital, digit or hyphen: not "FairCoop",
    "Covid-19"), no English word, no German noun and, lower-cased, no other German word by HanTa's guess
    ("Knapp", "Frisch"), standing in running text: a lower-case word or a
    punctuation mark on each side, no preposition or conjunction before it ("mit Lilium", "von Hennessy"), no
    capitalised word after it ("Smart Home", "Valendos Angebote"). News prose names people so ("schoss Kaká in
    der", "hatte Schulz seine"); brands and places more often stand in lists and phrases."""
    if span.confidence < PROSE_MIN or not PLAIN_WORD.fullmatch(word):
        return False
    low = word.lower()
    if low in english().words or low in german().nouns or not NAME_LIKE_POS.issuperset(morphology_de.part_of_speech(low)):
        return False  # "Knapp vor ...", "Frisch natürlich": an adverb or an adjective opening a sentence
    if not before or not after or before[-1].lower() in LINKS_BEFORE:
        return False
    left, right = before[-1], after[0]
    return (left[:1].islower() or left in ',;:.!?"„“') and (right[:1].islower() or right in '.,;:!?"“)')


def is_plain_given_name(word: str) -> bool:
    """A given name (also in the genitive, "Gretchens") that is no German noun, no place and no English word
    unless it is a German given name ("Martin", not "Ruby")."""
    lex, eng = german(), english()
    low = word.lower()
    for key in (low, low[:-1] if low.endswith("s") and len(low) > 3 else None):
        if key and (key in lex.given or key in eng.given) and key not in lex.nouns and key not in lex.places \
                and (key not in eng.words or key in lex.german_given):
            return True
    return False


def is_town(words: tuple[str, ...]) -> bool:
    """A name of several words that is, whole, a town's or a country's ("Settimo Torinese"); 1 of 368 such names of
    people in GermEval dev is one ("Si Mongkhon")."""
    return len(words) > 1 and " ".join(words).lower() in german().towns


def firm_next(text: str, span) -> bool:
    """A company suffix or "&" after the name or inside it, "&" or a firm noun right before it: "Lavazza S.p.A.",
    "Dolce&Gabbana", "Nachrichtenagentur Ansa", "Fahrstuhl-Firma Schindler"."""
    before = text[max(0, span.start - 40) : span.start]
    if FIRM_AFTER_DE.match(text[span.end : span.end + 20]) or FIRM_NEXT.search(before):
        return True
    if any(FIRM_AFTER_DE.match(word) for word in span.words[1:]):
        return True  # the tagger took the suffix into the name: "Luigi Lavazza S.p.A."
    word = WORD_BEFORE.search(before)
    return bool(word) and word.group(1)[:1].isupper() and is_firm_noun(word.group(1).split("-")[-1])


def lone_doubtful(text: str, span, word: str) -> bool:
    """A lone word that counts only as the surname of someone named in full: at the start of a sentence unless
    the model is very sure (German capitalises whatever stands there: "Raus aus ...", "Zirkuläres
    Wirtschaften"), after an article, a possessive or a preposition of place ("eine Art Netflix", "in Dallas
    geborenen"), or an English word ("Hey")."""
    before = text[max(0, span.start - 30) : span.start]
    if span.opens and span.confidence < OPENS_MIN:
        return True
    if DETERMINER_BEFORE.search(before) or PLACE_BEFORE_DE.search(before):
        return True
    low = word.lower()
    return low in english().words and low not in english().surnames


def find_mentions_rules(text: str) -> list[Mention]:
    """Every person mention in German ``text`` by the hand-written rules alone."""
    strong: list[Mention] = []
    weak: list[Mention] = []
    for candidate in candidates_de(text):
        verdict = judge_candidate(candidate)
        if verdict != Verdict.NO:
            target = strong if verdict == Verdict.YES else weak
            target.append(Mention(tuple(candidate.words), candidate.start))
    return strong + known_surnames(weak, strong)


def genitives(mentions: list[Mention]) -> list[Mention]:
    """Lone words that are the genitive of another mention's surname, as that surname ("Merkels" -> "Merkel")."""
    known = {fold(m.words[-1]): m.words[-1] for m in mentions if len(m.words) > 1}
    return [Mention((known[fold(m.words[0])[:-1]],), m.start) if len(m.words) == 1 and
            fold(m.words[0]).endswith("s") and fold(m.words[0])[:-1] in known else m for m in mentions]


def known_surnames(weak: list[Mention], strong: list[Mention]) -> list[Mention]:
    """Weak (lone-word) mentions that are the surname of a strong mention, either in the genitive ("Merkels" after
    "Angela Merkel", "Berlusconi" after "Silvio Berlusconis")."""
    known = {fold(m.words[-1]): m.words[-1] for m in strong}
    known.update({key[:-1]: known[key][:-1] for key in list(known) if len(key) > 4 and key.endswith("s")
                  and key[:-1] not in known})  # "Berlusconi" after "Silvio Berlusconis"
    kept = []
    for mention in weak:
        word = mention.words[-1]
        key = fold(word)
        if key in known:
            kept.append(mention)
        elif key.endswith("s") and key[:-1] in known:
            kept.append(Mention((known[key[:-1]],), mention.start))
    return kept
