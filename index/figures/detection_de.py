"""Person mentions in German text, where a capital letter marks every noun, not just names.

The sequence model (:mod:`tagger_de`) marks the names of people; a name is taken from a confidence of
:data:`FULL_MIN` on (:data:`LONE_MIN` for a lone word, more often a place, a firm or a noun), chosen for
precision first on each half of GermEval 2014 dev tagged by a model trained on the other half (0.6 rather than
0.5 raised precision on both halves, .846 -> .859 and .879 -> .888, at the same F1). A lone word it is less sure of still counts when it
is the surname of a person named in full in the same article, also in the genitive ("Merkels" after "Angela
Merkel"). Firm evidence next to a name vetoes it ("Lavazza S.p.A.", "Dolce&Gabbana", "Nachrichtenagentur
Ansa"); so does a name that is, whole, a town's ("Settimo Torinese"). Upper-case lines (headlines, shouted
labels) are skipped.

Without the model (no model file, or ``python-crfsuite`` missing) the hand-written rules decide: each
candidate (:mod:`candidates_de`) is judged by :mod:`rules_de`.
"""

from __future__ import annotations

from index.figures import tagger_de
from index.figures.candidates_de import WORD_BEFORE
from index.figures.candidates_de import candidates_de
from index.figures.normalize import Mention
from index.figures.normalize import bare
from index.figures.normalize import fold
from index.figures.lexicon import english
from index.figures.lexicon_de import german
from index.figures.rules_de import DETERMINER_BEFORE
from index.figures.rules_de import FIRM_AFTER_DE
from index.figures.rules_de import FIRM_NEXT
from index.figures.rules_de import is_firm_noun
from index.figures.rules_de import PLACE_BEFORE_DE
from index.figures.rules_de import judge_candidate
from index.figures.segment import Verdict

#: The model's confidence from which a name of two or more words, or a lone word, is taken.
FULL_MIN = 0.6
LONE_MIN = 0.7
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
        words = trimmed(span.words)
        if not words or firm_next(text, span) or span.confidence < SURNAME_MIN or is_town(words):
            continue
        mention = Mention(words, span.start)
        if len(words) == 1 and lone_doubtful(text, span, words[0]):
            weak.append(mention)
        elif span.confidence >= (LONE_MIN if len(words) == 1 else FULL_MIN):
            strong.append(mention)
        elif len(words) == 1:
            weak.append(mention)
    return genitives(strong) + known_surnames(weak, strong)


def trimmed(words: tuple[str, ...]) -> tuple[str, ...]:
    """A name's words without possessives and without lower-case words at its start ("von Athen")."""
    words = tuple(bare(w) for w in words)
    while words and not words[0][:1].isupper():
        words = words[1:]
    return words


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
    return bool(word) and word.group(1)[:1].isupper() and is_firm_noun(word.group(1))


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
    """Weak (lone-word) mentions that are the surname of a strong mention, also in the genitive ("Merkels")."""
    known = {fold(m.words[-1]): m.words[-1] for m in strong}
    kept = []
    for mention in weak:
        word = mention.words[-1]
        key = fold(word)
        if key in known:
            kept.append(mention)
        elif key.endswith("s") and key[:-1] in known:
            kept.append(Mention((known[key[:-1]],), mention.start))
    return kept
