"""Person mentions in German text, where a capital letter marks every noun, not just names.

A capitalised run is cut into segments of name-like words by the German word classes (:mod:`lexicon_de`):
nouns, compound nouns, function words, titles, organisation words and places end a name. A segment is a person
only on positive evidence, precision first:

- a known given name (or initials) followed by a surname-like word: "Angela Merkel", "Thomas Müller",
  "Felix Mendelssohn" (the last word no plain noun, place or organisation);
- a title or role right before it: "Kanzlerin Merkel", "FWR-Vorsitzende Gepperth", "Herr Vilanek";
- a verb of saying right before or after it, an age or life dates after it: "Müller sagte", "sagte Müller",
  ", so Müller", "laut Müller", "Müller (45)", "Goethe (1749-1832)"; a lone word so cued must not be a compound
  noun ("sagte Bundesregierungssprecher" is no name);
- a lone word that is the surname of a person named in full in the same article, also in the genitive
  ("Merkels" after "Angela Merkel").

Upper-case lines (headlines, shouted labels) are skipped: in German they hold no evidence a name would need.
"""

from __future__ import annotations

import re

from index.figures.blocks import iter_blocks
from index.figures.firms import has_word
from index.figures.lexicon import COMMON
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
from index.figures.lexicon_de import classify_de
from index.figures.lexicon_de import german
from index.figures.lexicon_de import is_compound_noun
from index.figures.normalize import Mention
from index.figures.normalize import bare
from index.figures.normalize import fold
from index.figures.normalize import split_words
from index.figures.patterns import CAPITALISED_RUN
from index.figures.segment import Verdict

#: Word classes a German name is made of (a noun, ``WORD``, only as a surname after a given name).
NAME_CLASSES_DE = frozenset({GIVEN, SURNAME, WORD_SURNAME, UNKNOWN, PARTICLE, INITIAL, WORD})
#: Lower-case words that are surname particles only after "von" or "van" ("von der Leyen"); elsewhere they are
#: German articles ("Rolle der Burgstätte").
ARTICLE_PARTICLES = frozenset({"der", "den", "das", "des", "dem", "die"})
#: Classes a name may end with after a given name (a place too when it is also a surname: "Rolf Stein").
SURNAME_CLASSES_DE = frozenset({SURNAME, WORD_SURNAME, UNKNOWN, GIVEN, WORD})
#: Age or life dates right after a name: "Müller (45)", "Goethe (1749–1832)", "Brandt (* 1913)".
DATES_AFTER = re.compile(r"^\s*\(\s*(?:\*|geb\.|†)?\s*(?:\d{1,3}|\d{4})\s*(?:\)|[-–—/,]|$)")
#: A lone word right after an article or a possessive is a noun or a thing ("seinen Chevrolet"), and one after a
#: preposition of place is a place ("in Willingen").
DETERMINER_BEFORE = re.compile(r"\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|sein|seine|seinen|"
                               r"seinem|seiner|ihr|ihre|ihren|ihrem|ihrer|unser|unsere|unseren|mein|meine|meinen)\s+$",
                               re.IGNORECASE)
PLACE_BEFORE_DE = re.compile(r"\b(?:in|im|aus|nach|nahe|bei|beim|ab|bis)\s+$")
#: The start of a sentence: a capital there is no evidence of a name.
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“„»«]\s*|\n)\s*$")
#: Finite verbs (auxiliaries, modals and frequent ones) whose subject or object a lone name often is: "Beck ist",
#: "brachte Mathilde", "verfolgte Hitler" (any past tense in -te before the name counts too).
AUX = ("hat|hatte|hatten|ist|war|wurde|wird|soll|sollte|will|wollte|kann|konnte|muss|musste|habe|sei|wolle|könne|"
       "müsse|darf|durfte|möchte|bleibt|blieb|gilt|galt|lebte|lebt|starb|spielte|spielt|gewann|gewinnt|verlor|"
       "schrieb|schreibt|erhielt|kam|kommt|ging|geht|zog|stand|steht|machte|macht|sah|sieht|gab|gibt|trat|tritt|"
       "wurden|waren|sind|haben|hätte|wäre|würde")
AUX_AFTER = re.compile(rf"^\s+(?:{AUX})\b")
VERB_BEFORE = re.compile(rf"\b(?:{AUX}|[a-zäöüß]{{3,}}te|sagt|meint|erklärt|traf|trifft|schoss|stieg|übernimmt|"
                         rf"übernahm)\s+$")
#: The shortest lone word taken for a surname.
LONE_MIN = 4
WORD_AFTER = re.compile(r"^[\s,]*([\w’'-]+)")
WORD_BEFORE = re.compile(r"([\w’'-]+)[\s,]*$")


def find_mentions_de(text: str) -> list[Mention]:
    """Every person mention in German ``text``, in order, before merging."""
    strong: list[Mention] = []
    weak: list[Mention] = []
    lowered: dict[str, bool] = {}
    for offset, block, caps in iter_blocks(text):
        if caps:
            continue
        for run in CAPITALISED_RUN.finditer(block):
            judge_run_de(text, block, run, offset, strong, weak, lowered)
    return strong + known_surnames(weak, strong)


def judge_run_de(text: str, block: str, run: re.Match, offset: int, strong: list, weak: list,
                 lowered: dict[str, bool]) -> None:
    """Cut one capitalised run into segments and file each person-like one as a strong or weak mention."""
    words = [bare(w) for w in split_words(run.group())]
    classes = [word_class(w, text, lowered) for w in words]
    for i, cls in enumerate(classes):
        if cls == UNKNOWN and words[i].endswith("s") and classify_de(words[i][:-1]) in (SURNAME, GIVEN):
            words[i], classes[i] = words[i][:-1], classify_de(words[i][:-1])  # the genitive "Wulffs" is Wulff
            if i + 1 < len(classes):
                classes[i + 1] = COMMON  # ... and ends the name: "Giannis Entscheidung"
        elif cls == PARTICLE and i + 1 < len(classes) and classes[i + 1] == GIVEN:
            classes[i] = COMMON  # "Leandra-Lou von Verena Stegemann": "von" is "by"
    for i in range(1, len(words)):
        if words[i] in ARTICLE_PARTICLES and words[i - 1] not in ("von", "van"):
            classes[i] = COMMON
    for lo, hi in name_segments(words, classes):
        before = block[max(0, run.start() - 40) : run.start()] if lo == 0 else ""
        opens_sentence = lo == 0 and SENTENCE_START.search(block[max(0, run.start() - 3) : run.start()]) is not None
        after = block[run.end() : run.end() + 40] if hi == len(words) else ""
        left = classes[lo - 1] if lo else None
        right = classes[hi] if hi < len(classes) else None
        verdict = judge_segment_de(words[lo:hi], classes[lo:hi], left, right, before, after, opens_sentence)
        if verdict != Verdict.NO:
            target = strong if verdict == Verdict.YES else weak
            target.append(Mention(tuple(words[lo:hi]), offset + run.start()))


def word_class(word: str, text: str, lowered: dict[str, bool]) -> WordClass:
    """The German class of ``word``, nouns as ``WORD``; an unknown word the article also writes in lower case is
    an adjective, verb or adverb that starts a sentence ("Reflexartige Rufe"), so common."""
    cls = classify_de(word)
    if cls == COMMON and word.lower() in german().nouns:
        return WORD
    if cls in (UNKNOWN, SURNAME) and is_english_word(word):
        return COMMON  # "Public License", "My Nights": an English title inside German text
    if cls == UNKNOWN:
        low = word.lower()
        found = lowered.get(low)
        if found is None:
            found = lowered[low] = has_word(text, low)
        if found:
            return COMMON
    return cls


def name_segments(words: list[str], classes: list[WordClass]):
    """Yield (lo, hi) for each maximal stretch of name-like words: particles trimmed from both ends, nouns from
    the front, and from the end unless the noun follows given names only ("Hans Eichel", "Fritz Rudolf Körper").
    Nouns that are also names are trimmed from the front when a given name follows ("Fall Michail ...")."""
    lo = None
    for i, cls in enumerate(classes + [COMMON]):
        if cls in NAME_CLASSES_DE:
            lo = i if lo is None else lo
            continue
        if lo is not None:
            first_given = next((j for j in range(lo, i) if is_given(words[j], classes[j])), None)
            while lo < i and (classes[lo] in (PARTICLE, WORD) or first_given is not None and lo < first_given and
                              classes[lo] == WORD_SURNAME):
                lo += 1  # "Fall Michail Chodorkowski"
            hi = i
            while hi > lo and (classes[hi - 1] == PARTICLE or classes[hi - 1] == WORD and not (
                    hi - lo >= 2 and all(is_given(w, c) for w, c in zip(words[lo : hi - 1], classes[lo : hi - 1])))):
                hi -= 1
            if hi > lo:
                yield lo, hi
        lo = None


def judge_segment_de(words: list[str], classes: list[WordClass], left: WordClass | None,
                     right: WordClass | None, before: str, after: str, opens_sentence: bool = False) -> Verdict:
    """Is this segment a person? See the module docstring for the evidence asked for."""
    if right in (ORG, PLACE) or classes[-1] == INITIAL or after.lstrip().startswith("&"):
        return Verdict.NO
    names = [c for c in classes if c != PARTICLE]
    titled = left == TITLE
    cued = titled or is_cued(before, after)
    if len(names) > 1:
        return judge_full_name(words, names, cued)
    word, cls = words[-1], names[0]
    if titled and cls != INITIAL:
        return Verdict.YES
    if len(word) < LONE_MIN or not word[1:].islower() or word.lower() in english().words:
        return Verdict.NO  # "La", "UEFA", "TecDAX", "Water"
    if DETERMINER_BEFORE.search(before) or PLACE_BEFORE_DE.search(before):
        return Verdict.NO  # "seinen Chevrolet", "in Willingen"
    if cls == SURNAME and not opens_sentence:
        return Verdict.YES
    if cls in (SURNAME, WORD_SURNAME) and opens_sentence and AUX_AFTER.match(after):
        return Verdict.YES  # "Beck ist wieder in Mainz"
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


def is_english_word(word: str) -> bool:
    """An English dictionary word that no list gives as a surname."""
    low = word.lower()
    return low in english().words and low not in german().surnames


def is_given(word: str, cls: WordClass) -> bool:
    """A word that can start a name: a given name, initials, or a noun the German Wiktionary also gives as a
    given name ("Ernst", "Mark"; not "Forum", which only a foreign name list has)."""
    return cls in (GIVEN, INITIAL) or cls == WORD_SURNAME and word.lower() in german().german_given


def is_cued(before: str, after: str) -> bool:
    """A verb of saying right before or after ("sagte Müller", "Müller sagte", ", so Müller", "Müller
    zufolge"), or an age or life dates after ("Müller (45)")."""
    speech = german().speech
    if before:
        match = WORD_BEFORE.search(before)
        if match and match.group(1).lower() in speech:
            return True
    if after:
        if DATES_AFTER.match(after):
            return True
        match = WORD_AFTER.match(after)
        if match and match.group(1).lower() in speech:
            return True
    return False


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
