"""How the words of each language other than English are indexed: stemmer, stop words, accents kept.

An article in one of :data:`LANGUAGES` has its title and body indexed in fields of that language
(``title_de``, ``body_de``: see :mod:`index.schema`) with :class:`index.analysis.LanguageWords`, whose
every step is set here per language. English, and every language without a row here, stay in the
``title`` and ``body`` fields with the English analysis (Porter stems, every accent folded), as before
languages were told apart: an English archive is indexed and ranked exactly as it was.

**Stemmers.** Snowball's, from the ``snowballstemmer`` package (BSD-3-Clause; pure Python). It is
used rather than the copy Whoosh ships (``whoosh.lang.snowball``) because only Snowball 3 has a
Polish stemmer, and one library gives every language from one version. (``pystempel``, the other
Polish stemmer on PyPI, ships a 2.7 MB table and declares no usable licence field.)

**Accents.** A word's stem is taken from its accented form (the stemmers expect it), then accents are
folded, except the letters that make another word in the language:

* German keeps ä, ö, ü (``Förderung``, funding, is not ``Forderung``, a demand); ß is written ss and
  ae/oe/ue ä/ö/ü (Snowball's own rules, so ``Strasse`` finds ``Straße`` and ``Foerderung``
  ``Förderung``). Snowball's German stemmer folds umlauts at its very end; :class:`_GermanStemmer`
  leaves that step out and keeps the rest of the algorithm as it is.
* Spanish keeps ñ (``año``, year, is not ``ano``); é, á, … are folded (``elección`` = ``eleccion``).
* Polish keeps ą, ć, ę, ł, ń, ó, ś, ź, ż, which tell many words apart.
* French folds every accent: French drops them on capitals (``Etat`` for ``État``) and readers often
  type them without.

**Stop words.** Whoosh's lists (from Snowball's) for German, French and Spanish; for Polish, which they
lack, the short list of function words below, written from general Polish.
"""

import dataclasses
import functools
import threading

import snowballstemmer
from snowballstemmer.german_stemmer import GermanStemmer
from whoosh.lang.stopwords import stoplists
from whoosh.support.charset import accent_map

#: Function words of Polish (conjunctions, prepositions, pronouns, forms of "to be"), from general Polish.
POLISH_STOP_WORDS = frozenset("""
    aby ale bo by być był była było były byli ci co czy dla do gdy gdyż gdzie go ich im iż ja jak jako je
    jego jej jest jestem jeszcze jeśli już ją ku lub ma mi mnie mu my na nad nam nas nie niech niej niż
    no od oraz po pod przed przez przy się są ta tak także tam te tego tej ten też to tu tym tych we więc
    za że żeby
""".split())


class _GermanStemmer(GermanStemmer):
    """Snowball's German stemmer without its last step, which writes ä, ö, ü as a, o, u."""

    def _GermanStemmer__r_postlude(self):  # overrides the private step of the parent class
        self.current = self.current.replace("U", "u").replace("Y", "y")  # vowels marked by the prelude
        return True


@dataclasses.dataclass(frozen=True)
class Rules:
    """How one language's words are indexed (see the module docstring)."""

    code: str
    snowball: str
    stoplist: frozenset
    kept_letters: str = ""

    @functools.cached_property
    def _fold(self) -> dict:
        return {k: v for k, v in accent_map.items() if chr(k) not in self.kept_letters}

    @functools.cached_property
    def _stemmer(self):
        return _GermanStemmer() if self.code == "de" else snowballstemmer.stemmer(self.snowball)

    def fold(self, word: str) -> str:
        """A lower-cased word with the accents this language does not keep folded."""
        return word if word.isascii() else word.translate(self._fold)

    @functools.cached_property
    def term(self):
        """The indexed term of a lower-cased word (its stem, accents folded but the kept ones)."""

        @functools.lru_cache(maxsize=200_000)
        def term(word: str) -> str:
            with _LOCKS[self.code]:  # a Snowball stemmer holds the word it works on: one at a time
                stem = self._stemmer.stemWord(word)
            return self.fold(stem)

        return term


#: The languages indexed with their own words, by ISO 639-1 code.
RULES = {
    "de": Rules("de", "german", frozenset(stoplists["de"]), kept_letters="äöü"),
    "fr": Rules("fr", "french", frozenset(stoplists["fr"])),
    "es": Rules("es", "spanish", frozenset(stoplists["es"]), kept_letters="ñ"),
    "pl": Rules("pl", "polish", POLISH_STOP_WORDS, kept_letters="ąćęłńóśźż"),
}
LANGUAGES = tuple(RULES)
_LOCKS = {code: threading.Lock() for code in LANGUAGES}


def words_language(language: str) -> str:
    """The language whose fields hold an article's words: its own when it has :data:`RULES`, else
    English (``"en"``), the fields ``title`` and ``body``."""
    return language if language in RULES else "en"


def language_field(field: str, language: str) -> str:
    """``title`` or ``body`` of a language's words (``body_de``); the field itself for English."""
    return field if language == "en" else f"{field}_{language}"


def base_field(field: str) -> str:
    """The field a language's field stands for (``body_de`` → ``body``); others are their own."""
    base, _, code = field.rpartition("_")
    return base if code in RULES and base in ("title", "body") else field


def field_language(field: str) -> str:
    """The language of a ``title``/``body`` field's words (``body_de`` → ``de``, ``body`` → ``en``)."""
    base, _, code = field.rpartition("_")
    return code if code in RULES and base in ("title", "body") else "en"
