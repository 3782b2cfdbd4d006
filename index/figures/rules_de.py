"""Hand-written rules: is a German candidate a person? Precision first, on positive evidence only:

- a known given name (or initials) followed by a surname-like word: "Angela Merkel", "Thomas Müller",
  "Felix Mendelssohn" (a plain noun as the last word only after a cue: "Finanzminister Hans Eichel");
- a title or role right before it: "Kanzlerin Merkel", "FWR-Vorsitzende Gepperth", "Herr Vilanek";
- a verb of saying right before or after it, an age or life dates after it: "Müller sagte", "sagte Müller",
  ", so Müller", "laut Müller", "Müller (45)", "Goethe (1749-1832)"; a lone word so cued must not be a compound
  noun ("sagte Bundesregierungssprecher" is no name);
- a listed surname not opening a sentence, not an English word, not after an article, a possessive or a
  preposition of place ("seinen Chevrolet", "in Willingen"); a given name next to a finite verb
  ("brachte Mathilde");
- otherwise a lone word counts only as the surname of a person the article names in full
  (``Verdict.IF_NAMED_IN_FULL``).
"""

from __future__ import annotations

import re

from index.figures.candidates_de import Candidate
from index.figures.candidates_de import is_cued
from index.figures.candidates_de import is_given
from index.figures.lexicon import GIVEN
from index.figures.lexicon import INITIAL
from index.figures.lexicon import ORG
from index.figures.lexicon import PARTICLE
from index.figures.lexicon import PLACE
from index.figures.lexicon import SURNAME
from index.figures.lexicon import TITLE
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import WORD
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import english
from index.figures.lexicon_de import german
from index.figures.lexicon_de import is_compound_noun
from index.figures.segment import Verdict


#: Classes a name may end with after a given name (a place too when it is also a surname: "Rolf Stein").
SURNAME_CLASSES_DE = frozenset({SURNAME, WORD_SURNAME, UNKNOWN, GIVEN, WORD})
#: A lone word right after an article or a possessive is a noun or a thing ("seinen Chevrolet"), and one after a
#: preposition of place is a place ("in Willingen").
DETERMINER_BEFORE = re.compile(r"\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|sein|seine|seinen|"
                               r"seinem|seiner|ihr|ihre|ihren|ihrem|ihrer|unser|unsere|unseren|mein|meine|meinen)\s+$",
                               re.IGNORECASE)
PLACE_BEFORE_DE = re.compile(r"\b(?:in|im|aus|nach|nahe|bei|beim|ab|bis)\s+$")
#: Finite verbs (auxiliaries, modals and frequent ones) whose subject or object a lone name often is: "Beck ist",
#: "brachte Mathilde", "verfolgte Hitler" (any past tense in -te before the name counts too).
AUX = ("hat|hatte|hatten|ist|war|wurde|wird|soll|sollte|will|wollte|kann|konnte|muss|musste|habe|sei|wolle|könne|"
       "müsse|darf|durfte|möchte|bleibt|blieb|gilt|galt|lebte|lebt|starb|spielte|spielt|gewann|gewinnt|verlor|"
       "schrieb|schreibt|erhielt|kam|kommt|ging|geht|zog|stand|steht|machte|macht|sah|sieht|gab|gibt|trat|tritt|"
       "wurden|waren|sind|haben|hätte|wäre|würde")
AUX_AFTER = re.compile(rf"^\s+(?:{AUX})\b")
VERB_BEFORE = re.compile(rf"\b(?:{AUX}|[a-zäöüß]{{3,}}te|sagt|meint|erklärt|traf|trifft|schoss|stieg|übernimmt|"
                         rf"übernahm)\s+$")
#: "&" next to a name, or a company suffix after it, make it a firm.
FIRM_NEXT = re.compile(r"&\s*$")
FIRM_AFTER_DE = re.compile(r"^\s*(?:&|S\.p\.A\.|S\.A\.|GmbH|AG\b|SE\b|KG\b|Inc\b|Ltd\b|Co\.?\b|e\.\s?V\.)")
#: A compound noun this long at the end of a longer name vetoes it ("...projektes"; not "-mann", "-sohn").
LONG_HEAD = 6
#: The shortest lone word taken for a surname.
LONE_MIN = 4


def vetoed(c: Candidate) -> bool:
    """Evidence against a person that nothing outweighs: an organisation or place word, a company suffix, "&"
    or a firm noun next to it ("Hans Böckler Stiftung", "Lavazza S.p.A.", "Dolce&Gabbana", "Nachrichtenagentur
    Ansa", "Fahrstuhl-Firma Schindler"), initials at its end, a compound noun at the end of a longer name
    ("Georg Fischer Innovationsprojektes"); for a lone word also an article, a possessive or a preposition of
    place before it ("seinen Chevrolet", "in Willingen"), an English word ("Water"), fewer than four letters
    or capitals inside ("UEFA")."""
    if c.right in (ORG, PLACE) or c.classes[-1] == INITIAL:
        return True
    if FIRM_NEXT.search(c.before) or FIRM_AFTER_DE.match(c.tail):
        return True
    if c.left == WORD and is_firm_noun(c.left_word):
        return True
    if DETERMINER_BEFORE.search(c.before if not c.left_word else c.left_word + " "):
        return True  # "eine Art Netflix", "Der Hoffnungsvolle sagt", "seinen Chevrolet"
    last = c.words[-1]
    if len(c.words) > 1:
        return c.classes[-1] in (UNKNOWN, WORD) and last.lower() not in german().surnames and \
            is_compound_noun(last.lower(), LONG_HEAD)
    if c.left == TITLE:
        return False
    english_word = last.lower() in english().words and last.lower() not in english().surnames
    if len(last) < LONE_MIN or not last[1:].islower() or english_word:
        return True
    return bool(PLACE_BEFORE_DE.search(c.before))


def judge_segment_de(words: list[str], classes: list[WordClass], left: WordClass | None,
                     right: WordClass | None, before: str, after: str, opens_sentence: bool = False) -> Verdict:
    """Is this segment (not vetoed) a person? See the module docstring for the evidence asked for."""
    names = [c for c in classes if c != PARTICLE]
    titled = left == TITLE
    cued = titled or is_cued(before, after)
    if len(names) > 1:
        return judge_full_name(words, names, cued)
    word, cls = words[-1], names[0]
    if titled and cls != INITIAL:
        return Verdict.YES
    if cls == SURNAME and not opens_sentence and word.lower() not in english().words:
        return Verdict.YES  # "Brown", "White" alone need a cue
    if cls == GIVEN and not opens_sentence and (AUX_AFTER.match(after) or VERB_BEFORE.search(before)):
        return Verdict.YES  # "brachte Mathilde", "Claire hatte"
    if cued and cls in (SURNAME, UNKNOWN, WORD_SURNAME, GIVEN) and not is_compound_noun(word.lower()):
        return Verdict.YES
    return Verdict.IF_NAMED_IN_FULL


def judge_full_name(words: list[str], names: list[WordClass], cued: bool) -> Verdict:
    """Two or more name words: a given name then a surname-like word ("Angela Merkel"; a noun only after a cue,
    "Finanzminister Hans Eichel"), or a cued run with a listed name in it and no compound noun at its end."""
    last = names[-1]
    last_ok = last in SURNAME_CLASSES_DE and (last != WORD or cued) or \
        last == PLACE and words[-1].lower() in german().surnames
    if is_given(words[0], names[0]) and last_ok and WORD not in names[1:-1]:
        return Verdict.YES
    listed = any(c in (GIVEN, SURNAME, WORD_SURNAME) for c in names)
    if cued and listed and WORD not in names and not is_compound_noun(words[-1].lower()):
        return Verdict.YES
    return Verdict.NO


def opens_sentence_alone(c: Candidate) -> bool:
    """A lone word starting a sentence, with no title: German capitalises adverbs, adjectives and verbs there
    ("Wahrscheinlich, sagt ...", "Lassen Sie ...", "Kurz zum ..."), so it counts only as the surname of someone
    the article names in full."""
    return len(c.words) == 1 and c.opens_sentence and c.left != TITLE


def judge_candidate(c: Candidate) -> Verdict:
    """The rules' verdict on one candidate."""
    if vetoed(c):
        return Verdict.NO
    if opens_sentence_alone(c):
        return Verdict.IF_NAMED_IN_FULL
    return judge_segment_de(c.words, c.classes, c.left, c.right, c.before, c.after, c.opens_sentence)


def is_firm_noun(word: str) -> bool:
    """A noun for a firm, brand, medium or venue, also as the end of a compound ("Nachrichtenagentur")."""
    return bool(word) and german().firm_nouns.fullmatch(word.lower()) is not None
