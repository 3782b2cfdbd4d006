"""German word classes: what a capitalised word in German text is when it is no name.

German capitalises every noun and the first word of each sentence, so the English evidence (a capital letter, a
word missing from the dictionary) says little. The lists used instead, read on first use (:func:`german`):

- every form of ~100,000 common nouns, given names, surnames and place names from the German Wiktionary
  (``wiktionary_de_*.txt.gz``), given names and surnames of many countries (``faker_*.txt.gz``,
  ``given_extra.txt``; not the US census lists, which hold "Porsche" and "Aldi");
- function words (Whoosh's Snowball stop list and ``lexicon_de.txt``), titles and roles, verbs of saying and
  organisation words (``lexicon_de.txt``);
- the names of the world's towns and countries (``geonames_places.txt.gz``, GeoNames), whole, also of several
  words ("settimo torinese"): ``towns``.

A word in no list but made of a known noun at its end ("Feuerwaffenrichtlinie" ends in "Richtlinie") may be a
compound noun (:func:`is_compound_noun`) or a surname ("Mendelssohn", "Zimmermann"): it stays ``UNKNOWN``, and
only a lone word is asked whether it is a compound.
"""

import re
from dataclasses import dataclass
from functools import cache
from functools import lru_cache

from whoosh.lang import stopwords_for_language

from index.figures.lexicon import COMMON
from index.figures.lexicon import DATA_DIR
from index.figures.lexicon import GIVEN
from index.figures.lexicon import INITIAL
from index.figures.lexicon import ORG
from index.figures.lexicon import PARTICLE
from index.figures.lexicon import PARTICLE_WORDS
from index.figures.lexicon import PLACE
from index.figures.lexicon import SURNAME
from index.figures.lexicon import TITLE
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import english
from index.figures.lexicon import read_sections
from index.figures.lexicon import read_words
from index.figures.patterns import INITIALS

#: Inflection endings a title may carry ("Ministerin", "Abgeordneten", "Präsidenten", "Herrn").
TITLE_ENDINGS = ("", "in", "innen", "en", "n", "s", "e", "er", "es", "ern")
#: The shortest known noun that makes an unlisted word a compound noun, and the shortest such word.
COMPOUND_HEAD_MIN = 4
COMPOUND_MIN = 8


@dataclass(frozen=True)
class GermanLexicon:
    """Lower-case German word lists (see the module docstring)."""

    nouns: frozenset[str]
    given: frozenset[str]
    german_given: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    towns: frozenset[str]
    function: frozenset[str]
    titles: re.Pattern
    speech: frozenset[str]
    org: frozenset[str]
    firm_nouns: re.Pattern


@cache
def german() -> GermanLexicon:
    """The German lists, read once per process on first use."""
    sections = read_sections(DATA_DIR / "lexicon_de.txt")
    german_given = frozenset(read_words(DATA_DIR / "wiktionary_de_given.txt.gz"))
    given = german_given | set(read_words(DATA_DIR / "faker_given.txt.gz"))
    given |= {w.lower() for w in read_words(DATA_DIR / "given_extra.txt")}
    surnames = set(read_words(DATA_DIR / "wiktionary_de_surnames.txt.gz"))
    surnames |= set(read_words(DATA_DIR / "faker_surnames.txt.gz"))
    places = set(read_words(DATA_DIR / "wiktionary_de_places.txt.gz")) | english().sections["place"]
    return GermanLexicon(
        nouns=frozenset(read_words(DATA_DIR / "wiktionary_de_nouns.txt.gz")),
        given=frozenset(given), german_given=german_given, surnames=frozenset(surnames),
        places=frozenset(places - german_given), towns=frozenset(read_words(DATA_DIR / "geonames_places.txt.gz",
                                                                             lines=True)),
        function=sections["function"] | frozenset(stopwords_for_language("de")),
        titles=title_pattern(sections["title_word"], sections["title"]), speech=sections["speech"],
        org=sections["org"], firm_nouns=title_pattern(frozenset(), sections["firm_noun"]))


def title_pattern(words: frozenset[str], compound_ends: frozenset[str]) -> re.Pattern:
    """Matches a lower-case title: one of ``words``, or a word ending in one of ``compound_ends``, each with an
    inflection ending."""
    ends = "|".join(e for e in TITLE_ENDINGS if e)
    whole = "|".join(sorted(words, key=len, reverse=True))
    tails = "|".join(sorted(compound_ends, key=len, reverse=True))
    return re.compile(rf"(?:(?:{whole})|\w*(?:{tails}))(?:{ends})?")


@lru_cache(maxsize=1 << 16)
def classify_de(word: str) -> WordClass:
    """The class of one capitalised word of German text.

    Nouns that are also names ("Müller", "Ernst") are ``WORD_SURNAME``; a place is a place even when it is also a
    name ("Paris", "Berlin"); a noun, a compound noun or a function word is ``COMMON``.
    """
    lex = german()
    low = word.lower()
    if low in PARTICLE_WORDS and word[0].islower():
        return PARTICLE
    if INITIALS.match(word):
        return INITIAL
    if low in lex.function:
        return COMMON
    last = low.rsplit("-", 1)[-1]
    if is_title(last):
        return TITLE
    if last in lex.org or low in lex.org or english().fixed.get(last) == ORG:
        return ORG
    if "-" in low:  # "Merkel-Regierung", "Hans-Böckler-Stiftung": the last part says what it is
        return _hyphenated(low, last)
    if low in lex.places:
        return PLACE
    named = low in lex.given or low in lex.surnames
    if low in lex.nouns:
        return WORD_SURNAME if named else COMMON
    if named:
        return GIVEN if low in lex.given else SURNAME
    if "." in low or not low.replace("'", "").replace("’", "").isalpha():
        return COMMON
    return UNKNOWN


def _hyphenated(low: str, last: str) -> WordClass:
    """A hyphenated word: a compound noun when its last part is a noun ("Corona-Pandemie"), a double name when
    its parts are names ("Hans-Peter", "Leutheusser-Schnarrenberger"), else unknown."""
    lex = german()
    parts = low.split("-")
    if last in lex.nouns or is_compound_noun(last) or last in lex.places:
        return COMMON
    if all(p in lex.given for p in parts):
        return GIVEN
    return UNKNOWN


def is_title(low: str) -> bool:
    """A title or role, also as the end of a compound ("bundesinnenministerin", "fwr-vorsitzende")."""
    return german().titles.fullmatch(low) is not None


def is_compound_noun(low: str, head_min: int = COMPOUND_HEAD_MIN) -> bool:
    """An unlisted word that ends in a known noun of at least ``head_min`` letters ("feuerwaffenrichtlinie")."""
    if len(low) < COMPOUND_MIN:
        return False
    nouns = german().nouns
    return any(low[i:] in nouns for i in range(3, len(low) - head_min + 1))
