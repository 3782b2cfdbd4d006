"""One display name per person within an article: cleaning, splitting and merging mentions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from index.figures.lexicon import PARTICLE_WORDS
from index.figures.lexicon import SURNAME
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import classify
from index.figures.patterns import INITIALS
from index.figures.patterns import PATRONYMIC
from index.figures.patterns import POSSESSIVE


@dataclass(frozen=True)
class Mention:
    """One name as written, cleaned: its words, where it starts, and a royal title kept with a lone given name."""

    words: tuple[str, ...]
    start: int
    royal: str = ""


def bare(word: str) -> str:
    """A word without its possessive ending: Matvienko's -> Matvienko."""
    return POSSESSIVE.sub("", word) if len(word) > 2 and word[-1] in "'’sS" else word


def split_words(run_text: str) -> list[str]:
    """Words of a run, with initials closed up ("D. D." -> "D.D."); possessives are kept."""
    words: list[str] = []
    for word in run_text.split():
        if words and INITIALS.match(word) and INITIALS.match(words[-1]):
            words[-1] += word
        else:
            words.append(word)
    return words


def title_case(word: str) -> str:
    """MATVIENKO -> Matvienko, JEAN-CLAUDE -> Jean-Claude, O'BRIEN -> O'Brien; mixed case is left alone."""
    if not word.isupper() or INITIALS.match(word) or len(word) < 2:
        return word
    word = re.sub(r"[^\W\d_]+", lambda m: m.group()[0] + m.group()[1:].lower(), word)
    return word[:-1] + "s" if word.endswith(("'S", "’S")) else word


def fold(word: str) -> str:
    """Lower case, accents removed: the key two spellings of one word share."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass
class Person:
    """A person being assembled from mentions: given name or initials, surname, first position."""

    first: str
    last: str
    start: int
    royal: str = ""

    @property
    def display(self) -> str:
        if self.royal:
            return f"{self.royal} {self.first}"
        return f"{self.first} {self.last}" if self.first else self.last


def split_name(words: tuple[str, ...]) -> tuple[str, str]:
    """(given name or initials, surname) with middle names dropped and surname particles kept."""
    words = tuple(title_case(w) for w in words)
    if len(words) == 1:
        return "", words[0]
    for i in range(1, len(words) - 1):
        if words[i].lower() in PARTICLE_WORDS:
            lo = i - 1 if i > 1 and words[i] in PARTICLE_WORDS else i
            return words[0], " ".join(words[lo:])
    if len(words) > 2 and all(is_surname_part(w) for w in words[1:-1]):
        return words[0], " ".join(words[1:])
    return words[0], words[-1]


def is_surname_part(word: str) -> bool:
    """A middle word that belongs to a compound surname ("Anibal Cavaco Silva"), not a middle name."""
    return classify(word) in (UNKNOWN, SURNAME) and not PATRONYMIC.search(word) and "." not in word


def normalize_mentions(mentions: list[Mention] | list[str]) -> list[str]:
    """Merge mentions of one article into one display name per person, in order of first mention."""
    items = [Mention(tuple(bare(w) for w in split_words(m)), i) if isinstance(m, str) else m
             for i, m in enumerate(mentions)]
    items.sort(key=lambda m: m.start)
    people: list[Person] = []
    for mention in items:
        if mention.words:
            place_mention(mention, people)
    people.sort(key=lambda p: p.start)
    return list(dict.fromkeys(p.display for p in people))


def place_mention(mention: Mention, people: list[Person]) -> None:
    """Add a mention to the people of an article, joining the person it names if already there."""
    first, last = split_name(mention.words)
    if mention.royal:
        first, last = last, ""
    for person in people:
        if same_person(person, first, last, mention.royal):
            upgrade(person, first, last, mention.start)
            return
    people.append(Person(first, last, mention.start, mention.royal))
    if not first and not mention.royal:
        absorb_surname_only(people)


def same_person(person: Person, first: str, last: str, royal: str) -> bool:
    """True when (first, last) can name `person` within one article."""
    if royal or person.royal:
        return royal == person.royal and fold(first) == fold(person.first)
    if first and " " in person.last and fold(f"{first} {last}") == fold(person.last):
        return True
    if not same_surname(person.last, last):
        return False
    return not first or not person.first or compatible_given(person.first, first)


def same_surname(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return fa == fb or fa.endswith(" " + fb) or fb.endswith(" " + fa)


def compatible_given(a: str, b: str) -> bool:
    """'Dmitry' matches 'Dmitry' and 'D.'; 'D.D.' matches 'Dmitri'."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if INITIALS.match(a) or INITIALS.match(b):
        return fa[0] == fb[0]
    return False


def upgrade(person: Person, first: str, last: str, start: int) -> None:
    """Prefer the fuller form: a given name over initials or nothing, the longer surname."""
    if first and (not person.first or INITIALS.match(person.first) and not INITIALS.match(first)):
        person.first = first
    if len(last) > len(person.last) and person.last:
        person.last = last
    person.start = min(person.start, start)


def absorb_surname_only(people: list[Person]) -> None:
    """Surname-only people join the single full name with that surname, if one came before."""
    loner = people[-1]
    for person in people[:-1]:
        if person.first and not person.royal and same_surname(person.last, loner.last):
            person.start = min(person.start, loner.start)
            people.pop()
            return

