"""Candidates for German names: the name-like segments of capitalised runs, with what surrounds them.

German capitalises every noun, so a run is cut by the German word classes (:mod:`lexicon_de`): nouns, compound
nouns, function words, titles, organisation words and places end a name; a genitive ("Wulffs" -> Wulff) ends it
too; "von" before a given name is the preposition "by". Whether a candidate is a person is decided by
:mod:`rules_de` (or, where the tagger of :mod:`tagger_de` is shipped, by it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures.blocks import iter_blocks
from index.figures.firms import has_word
from index.figures.lexicon import COMMON
from index.figures.lexicon import GIVEN
from index.figures.lexicon import INITIAL
from index.figures.lexicon import PARTICLE
from index.figures.lexicon import PLACE
from index.figures.lexicon import SURNAME
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import WORD
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import english
from index.figures.lexicon_de import classify_de
from index.figures.lexicon_de import german
from index.figures.normalize import bare
from index.figures.normalize import split_words
from index.figures.patterns import CAPITALISED_RUN


#: Word classes a German name is made of (a noun, ``WORD``, only as a surname after a given name).
NAME_CLASSES_DE = frozenset({GIVEN, SURNAME, WORD_SURNAME, UNKNOWN, PARTICLE, INITIAL, WORD})
#: Lower-case words that are surname particles only after "von" or "van" ("von der Leyen"); elsewhere they are
#: German articles ("Rolle der Burgstätte").
ARTICLE_PARTICLES = frozenset({"der", "den", "das", "des", "dem", "die"})
#: Age or life dates right after a name: "Müller (45)", "Goethe (1749–1832)", "Brandt (* 1913)".
DATES_AFTER = re.compile(r"^\s*\(\s*(?:\*|geb\.|†)?\s*(?:\d{1,3}|\d{4})\s*(?:\)|[-–—/,]|$)")
#: The start of a sentence: a capital there is no evidence of a name.
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“„»«]\s*|\n)\s*$")
WORD_AFTER = re.compile(r"^[\s,]*([\w’'-]+)")
WORD_BEFORE = re.compile(r"([\w’'-]+)[\s,]*$")


@dataclass
class Candidate:
    """One segment of a capitalised run that may name a person, with what surrounds it."""

    words: list[str]
    classes: list[WordClass]
    left: WordClass | None
    right: WordClass | None
    before: str
    after: str
    opens_sentence: bool
    start: int
    #: The word of the run right before the segment ("" when the segment starts the run).
    left_word: str = ""
    #: The rest of the run and the text after it ("S" + ".p.A. und ..." after "Luigi Lavazza").
    tail: str = ""




def candidates_de(text: str):
    """Yield a :class:`Candidate` for each name-like segment of each capitalised run of mixed-case lines."""
    lowered: dict[str, bool] = {}
    for offset, block, caps in iter_blocks(text):
        if caps:
            continue
        for run in CAPITALISED_RUN.finditer(block):
            yield from run_candidates(text, block, run, offset, lowered)


def run_candidates(text: str, block: str, run: re.Match, offset: int, lowered: dict[str, bool]):
    """Cut one capitalised run into its name-like segments."""
    words = [bare(w) for w in split_words(run.group())]
    classes = [word_class(w, text, lowered) for w in words]
    for i, cls in enumerate(classes):
        if cls == UNKNOWN and words[i].endswith("s") and classify_de(words[i][:-1]) in (SURNAME, GIVEN):
            words[i], classes[i] = words[i][:-1], classify_de(words[i][:-1])  # the genitive "Wulffs" is Wulff
            if i + 1 < len(classes):
                classes[i + 1] = COMMON  # ... and ends the name: "Giannis Entscheidung"
        elif cls == PARTICLE and i + 1 < len(classes) and classes[i + 1] == GIVEN:
            classes[i] = COMMON  # "Leandra-Lou von Verena Stegemann": "von" is "by"
        elif cls == PLACE and i + 1 < len(classes) and classes[i + 1] in (SURNAME, UNKNOWN, WORD_SURNAME) and \
                words[i].lower() in german().given:
            classes[i] = GIVEN  # "Nancy Faeser", "Paris Hilton": a place that is also a given name, before a name
    for i in range(1, len(words)):
        if words[i] in ARTICLE_PARTICLES and words[i - 1] not in ("von", "van"):
            classes[i] = COMMON
    for lo, hi in name_segments(words, classes):
        before = block[max(0, run.start() - 40) : run.start()] if lo == 0 else ""
        opens = lo == 0 and SENTENCE_START.search(block[max(0, run.start() - 3) : run.start()]) is not None
        after = block[run.end() : run.end() + 40] if hi == len(words) else ""
        yield Candidate(words[lo:hi], classes[lo:hi], classes[lo - 1] if lo else None,
                        classes[hi] if hi < len(classes) else None, before, after, opens, offset + run.start(),
                        words[lo - 1] if lo else "",
                        " " + " ".join(words[hi:]) + block[run.end() : run.end() + 40] if hi < len(words) else after)


def word_class(word: str, text: str, lowered: dict[str, bool]) -> WordClass:
    """The German class of ``word``, nouns as ``WORD``; an unknown word the article also writes in lower case is
    an adjective, verb or adverb that starts a sentence ("Reflexartige Rufe"), so common."""
    cls = classify_de(word)
    if cls == COMMON and word.lower() in german().nouns:
        return WORD
    if cls in (UNKNOWN, SURNAME) and is_english_word(word) and word.lower() not in english().surnames:
        return COMMON  # "Public License", "My Nights": an English title inside German text ("Brown" stays)
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
