"""Word classes from the name lexicons in ``index/data/``: what one capitalised word can be."""

import gzip
from functools import lru_cache
from pathlib import Path

from index.figures.patterns import COMPANY_ENDING, INITIALS, _PARTICLES


DATA_DIR = Path(__file__).resolve().parents[1] / "data"
MISSPELT_MIN = 7  # shorter words one edit from a dictionary word are too often real surnames  # headline grammar (lists of subjects, infinitives) is read only in blocks this short

# word classes
TITLE, ROYAL, ORG, PLACE, COMMON, GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME = range(12)
# WORD: an English dictionary word ("Date"); WORD_SURNAME: a surname that is also one ("Baker")
NAME_CLASSES = frozenset({GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME})
NAME_EVIDENCE = frozenset({GIVEN, SURNAME, UNKNOWN, WORD_SURNAME})
PARTICLE_WORDS = frozenset(_PARTICLES.split("|"))


def _read_words(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [w for line in lines for w in line.split("#", 1)[0].split()]


def _read_sections(path: Path) -> dict[str, frozenset[str]]:
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


_SECTIONS = _read_sections(DATA_DIR / "lexicon.txt")
GIVEN_NAMES = frozenset(_read_words(DATA_DIR / "census_given.txt.gz")) | frozenset(
    w.lower() for w in _read_words(DATA_DIR / "given_extra.txt")
)
_SURNAMES_BY_FREQUENCY = _read_words(DATA_DIR / "census_surnames.txt.gz")
SURNAMES = frozenset(_SURNAMES_BY_FREQUENCY)
FREQUENT_SURNAMES = frozenset(_SURNAMES_BY_FREQUENCY[:5000])
ENGLISH_WORDS = frozenset(_read_words(DATA_DIR / "english_words.txt.gz"))
# word -> class, in order of precedence: the first class that lists a word wins
_FIXED_CLASSES = {}
for _cls, _section in ((PLACE, "place"), (ORG, "org"), (ORG, "corporate"), (ORG, "org_lead"), (COMMON, "common"),
                       (ROYAL, "royal"), (TITLE, "title")):
    _FIXED_CLASSES.update(dict.fromkeys(_SECTIONS[_section], _cls))
CORPORATE_WORDS = _SECTIONS["corporate"]
ORG_LEAD_WORDS = _SECTIONS["org_lead"]


@lru_cache(maxsize=1 << 16)
def classify(word: str) -> int:
    """The class of one capitalised word (possessive already removed)."""
    low = word.lower()
    if low in PARTICLE_WORDS and word[0].islower():
        return PARTICLE
    fixed = _FIXED_CLASSES.get(low)
    if fixed is not None:
        return fixed
    if INITIALS.match(word):
        return INITIAL
    if "." in word:
        return _FIXED_CLASSES.get(low.rstrip("."), COMMON)
    if "-" in low:
        head, _, tail = low.rpartition("-")
        if tail == "based":  # "Dallas-based": never part of a name
            return COMMON
        if _FIXED_CLASSES.get(tail) == TITLE and _FIXED_CLASSES.get(head.split("-")[0]) in (TITLE, COMMON, None):
            return TITLE  # "Rear-Admiral", "Vice-President", "Lieutenant-Colonel"
    if low in GIVEN_NAMES:
        return GIVEN
    if low in SURNAMES:
        return WORD_SURNAME if low in ENGLISH_WORDS else SURNAME
    if low in ENGLISH_WORDS:
        return WORD
    return misspelt_class(low)


def misspelt_class(low: str) -> int:
    """A long word in no list that is one edit (a letter dropped, added, changed or two swapped) from a title or
    organisation word is a misspelling of it and takes its class ("Secertary", "Adminstration"); else UNKNOWN."""
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii():
        return UNKNOWN
    fixed = [_FIXED_CLASSES.get(w) for w in _one_edit_candidates(low) if w not in SURNAMES and w not in GIVEN_NAMES]
    return next((cls for cls in fixed if cls in (TITLE, ORG)), UNKNOWN)


@lru_cache(maxsize=1 << 14)
def is_misspelt_word(word: str) -> bool:
    """A long word in no list one edit from a dictionary word ("Athough"): not a given name when it leads a name."""
    low = word.lower()
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii() or low in ENGLISH_WORDS:
        return False
    return any(w not in SURNAMES and w not in GIVEN_NAMES for w in _one_edit_candidates(low))


def _one_edit_candidates(low: str) -> list[str]:
    """Dictionary words one edit from ``low``: a letter too many, missing, changed, or two swapped.

    The edits of ``low`` are generated and looked up (about 55 look-ups per letter), which needs no
    index of the dictionary to be built first.
    """
    words = _misspelling_words()
    found = []
    for i in range(len(low)):
        head, tail = low[:i], low[i + 1 :]
        found.extend(w for w in (head + tail,) if w in words)
        if tail and low[i] != tail[0]:
            found.extend(w for w in (head + tail[0] + low[i] + tail[1:],) if w in words)
        found.extend(head + c + tail for c in _LETTERS if c != low[i] and head + c + tail in words)
    for i in range(len(low) + 1):
        found.extend(low[:i] + c + low[i:] for c in _LETTERS if low[:i] + c + low[i:] in words)
    return list(dict.fromkeys(found))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_substitution_or_swap(a: str, b: str) -> bool:
    """Equal-length words differing in one letter or in two adjacent letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and \
        a[diff[1]] == b[diff[0]]


@lru_cache(maxsize=1)
def _misspelling_words() -> frozenset[str]:
    """Dictionary and lexicon words long enough to be misspelt."""
    return frozenset(w for w in ENGLISH_WORDS | _FIXED_CLASSES.keys() if len(w) >= MISSPELT_MIN - 1 and w.isalpha())


def looks_like_surname(word: str, cls: int) -> bool:
    """A lone word that could be a surname: no lexicon says otherwise, not an acronym or a company name."""
    if cls not in (SURNAME, UNKNOWN) or COMPANY_ENDING.search(word):
        return False
    return len(word) >= 5 or word.lower() in SURNAMES

