"""Word classes from the name lexicons in ``index/data/``: what one capitalised word can be.

The lexicons are read on first use (:func:`english`), not at import: importing :mod:`index.figures` costs
nothing until an article is read.
"""

import gzip
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from functools import lru_cache
from pathlib import Path

from index.figures.patterns import COMPANY_ENDING
from index.figures.patterns import INITIALS
from index.figures.patterns import PARTICLES

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: Shorter words one edit from a dictionary word are too often real surnames.
MISSPELT_MIN = 7


class WordClass(IntEnum):
    """What one capitalised word can be. ``WORD`` is an English dictionary word ("Date"); ``WORD_SURNAME`` a
    surname that is also one ("Baker")."""

    TITLE = 0
    ROYAL = 1
    ORG = 2
    PLACE = 3
    COMMON = 4
    GIVEN = 5
    SURNAME = 6
    INITIAL = 7
    PARTICLE = 8
    UNKNOWN = 9
    WORD = 10
    WORD_SURNAME = 11


#: The classes as module names, as ``re`` exports its flags: a global look-up is ~15x faster than ``WordClass.X``
#: in the per-word loops.
TITLE, ROYAL, ORG, PLACE, COMMON, GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME = WordClass
#: Classes a name can be made of, and those that are evidence of a name.
NAME_CLASSES = frozenset({GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME})
NAME_EVIDENCE = frozenset({GIVEN, SURNAME, UNKNOWN, WORD_SURNAME})
PARTICLE_WORDS = frozenset(PARTICLES.split("|"))
#: Sections of ``lexicon.txt`` in order of precedence: the first class that lists a word wins.
FIXED_SECTIONS = ((PLACE, "place"), (ORG, "org"), (ORG, "corporate"), (ORG, "org_lead"),
                  (COMMON, "common"), (ROYAL, "royal"), (TITLE, "title"))


@dataclass(frozen=True)
class Lexicon:
    """The English name lexicons, lower case: given names, surnames (most frequent first), dictionary words,
    and the fixed word classes of ``lexicon.txt``."""

    given: frozenset[str]
    surnames_by_frequency: tuple[str, ...]
    surnames: frozenset[str]
    frequent_surnames: frozenset[str]
    words: frozenset[str]
    fixed: dict[str, WordClass]
    sections: dict[str, frozenset[str]]


@cache
def english() -> Lexicon:
    """The English lexicons, read once per process on first use."""
    sections = read_sections(DATA_DIR / "lexicon.txt")
    given = frozenset(read_words(DATA_DIR / "census_given.txt.gz"))
    given |= frozenset(w.lower() for w in read_words(DATA_DIR / "given_extra.txt"))
    by_frequency = tuple(read_words(DATA_DIR / "census_surnames.txt.gz"))
    fixed: dict[str, WordClass] = {}
    for cls, section in FIXED_SECTIONS:
        fixed.update(dict.fromkeys(sections[section], cls))
    return Lexicon(given, by_frequency, frozenset(by_frequency), frozenset(by_frequency[:5000]),
                   frozenset(read_words(DATA_DIR / "english_words.txt.gz")), fixed, sections)


def read_words(path: Path, lines: bool = False) -> list[str]:
    """Whitespace-separated words of a (gzipped) list, or its lines when ``lines``; ``#`` starts a comment."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as found:
        if lines:
            return [line.strip() for line in found if line.strip()]
        return [w for line in found for w in line.split("#", 1)[0].split()]


def read_sections(path: Path) -> dict[str, frozenset[str]]:
    """Lower-cased words per ``[section]`` of a word list."""
    sections: dict[str, set[str]] = {}
    current = sections.setdefault("", set())
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), set())
            else:
                current.update(w.lower() for w in line.split())
    return {name: frozenset(words) for name, words in sections.items()}


@lru_cache(maxsize=1 << 16)
def classify(word: str) -> WordClass:
    """The class of one capitalised word (possessive already removed)."""
    lex = english()
    low = word.lower()
    if low in PARTICLE_WORDS and word[0].islower():
        return PARTICLE
    fixed = lex.fixed.get(low)
    if fixed is not None:
        return fixed
    if INITIALS.match(word):
        return INITIAL
    if "." in word:
        return lex.fixed.get(low.rstrip("."), COMMON)
    if "-" in low:
        head, _, tail = low.rpartition("-")
        if tail == "based":  # "Dallas-based": never part of a name
            return COMMON
        if lex.fixed.get(tail) == TITLE and lex.fixed.get(head.split("-")[0]) in (TITLE, COMMON, None):
            return TITLE  # "Rear-Admiral", "Vice-President", "Lieutenant-Colonel"
    if low in lex.given:
        return GIVEN
    if low in lex.surnames:
        return WORD_SURNAME if low in lex.words else SURNAME
    if low in lex.words:
        return WORD
    return misspelt_class(low)


def misspelt_class(low: str) -> WordClass:
    """A long word in no list that is one edit (a letter dropped, added, changed or two swapped) from a title or
    organisation word is a misspelling of it and takes its class ("Secertary", "Adminstration"); else UNKNOWN."""
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii() or not _near_title_or_org(low):
        return UNKNOWN
    lex = english()
    fixed = [lex.fixed.get(w) for w in _one_edit_candidates(low) if w not in lex.surnames and w not in lex.given]
    return next((cls for cls in fixed if cls in (TITLE, ORG)), UNKNOWN)


@lru_cache(maxsize=1 << 14)
def is_misspelt_word(word: str) -> bool:
    """A long word in no list one edit from a dictionary word ("Athough"): not a given name when it leads a name."""
    lex = english()
    low = word.lower()
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii() or low in lex.words:
        return False
    return not _plain_words().isdisjoint(_one_edits(low))


def _one_edits(low: str) -> list[str]:
    """Every string one edit from ``low`` (other than ``low``): at each place a letter missing, two
    swapped, a letter changed; then a letter added at each place."""
    found = []
    for i in range(len(low)):
        head, tail = low[:i], low[i + 1 :]
        found.append(head + tail)
        if tail and low[i] != tail[0]:
            found.append(head + tail[0] + low[i] + tail[1:])
        found.extend([head + c + tail for c in _LETTERS if c != low[i]])
    found.extend([low[:i] + c + low[i:] for i in range(len(low) + 1) for c in _LETTERS])
    return found


@cache
def _plain_words() -> frozenset[str]:
    """The dictionary words :func:`is_misspelt_word` looks for: neither a surname nor a given name."""
    lex = english()
    return frozenset(w for w in _misspelling_words() if w not in lex.surnames and w not in lex.given)


def _one_edit_candidates(low: str) -> list[str]:
    """Dictionary words one edit from ``low`` (a letter too many, missing, changed, or two swapped), in
    the order :func:`_one_edits` makes them.

    The edits of ``low`` are generated and looked up (about 55 look-ups per letter), which needs no
    index of the dictionary to be built first.
    """
    words = _misspelling_words()
    return list(dict.fromkeys(w for w in _one_edits(low) if w in words))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _near_title_or_org(low: str) -> bool:
    """Could ``low`` be one edit from a title or organisation word (:func:`misspelt_class`'s only answers)?

    Looked up in indexes of those few hundred words (their one-letter deletions, and each with one
    letter blanked), a dozen look-ups instead of :func:`_one_edit_candidates`'s ~55 a letter over the
    whole dictionary. It answers yes to every word one edit away (and to some more, which
    :func:`misspelt_class` then rules out), so it only saves time: ~12% of finding figures.
    """
    targets, deletions, blanked = _title_org_edits()
    if low in deletions:  # a letter missing
        return True
    for i in range(len(low)):
        head, tail = low[:i], low[i + 1 :]
        if head + tail in targets or head + "\0" + tail in blanked:  # a letter too many, or changed
            return True
        if tail and head + tail[0] + low[i] + tail[1:] in targets:  # two swapped
            return True
    return False


@cache
def _title_org_edits() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words :func:`misspelt_class` can answer with; their deletions; each with a letter blanked."""
    lex = english()
    words = _misspelling_words()
    targets = frozenset(w for w, cls in lex.fixed.items() if cls in (TITLE, ORG) and w in words
                        and w not in lex.surnames and w not in lex.given)
    deletions = frozenset(w[:i] + w[i + 1 :] for w in targets for i in range(len(w)))
    blanked = frozenset(w[:i] + "\0" + w[i + 1 :] for w in targets for i in range(len(w)))
    return targets, deletions, blanked


@cache
def _misspelling_words() -> frozenset[str]:
    """Dictionary and lexicon words long enough to be misspelt."""
    lex = english()
    return frozenset(w for w in lex.words | lex.fixed.keys() if len(w) >= MISSPELT_MIN - 1 and w.isalpha())


def looks_like_surname(word: str, cls: WordClass) -> bool:
    """A lone word that could be a surname: no lexicon says otherwise, not an acronym or a company name."""
    if cls not in (SURNAME, UNKNOWN) or COMPANY_ENDING.search(word):
        return False
    return len(word) >= 5 or word.lower() in english().surnames
