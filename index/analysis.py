"""The analyzer of running text, fused into one loop for indexing speed.

It does exactly what this composition of Whoosh stages does (``tests/test_analysis.py`` checks)::

    RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter() | StemFilter()

but in a single generator instead of five stacked ones: indexing spends much of its time in analysis,
and each stage is a Python generator call per token.

Every index pickles its analyzers, so a class here is part of the index format: its import path
(``index.analysis.StemmedWords``) must stay, and a new analyzer (a language's) comes as a new class at
a path of its own, listed in :data:`index.schema.PICKLED_CLASSES` (see :mod:`index.schema`).
"""

import functools
import re

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.acore import Composable
from whoosh.analysis.acore import Token
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from index.languages import RULES

#: Whoosh's RegexTokenizer default pattern, StopFilter's minimum size, and a cached Porter stemmer.
WORD = re.compile(r"\w+(?:\.?\w+)*")
MIN_SIZE = 2
cached_stem = functools.lru_cache(maxsize=200_000)(stem)


def lower_unaccented(word: str) -> str:
    """Lower case with accents folded, as the analyzers index words (ASCII skips the table look-up)."""
    word = word.lower()
    return word if word.isascii() else word.translate(accent_map)


class StemmedWords(Composable):
    """Words lower-cased, accent-folded, stop words dropped (positions renumbered), Porter stems."""

    is_morph = True

    def __init__(self, stoplist=STOP_WORDS):
        self.stoplist = frozenset(stoplist)

    def __eq__(self, other):
        return type(other) is type(self) and other.stoplist == self.stoplist

    def __call__(self, value, **options):
        return words(value, self.stoplist, lower_unaccented, cached_stem, **options)

    def term_positions(self, value: str) -> dict:
        """``{term: [positions]}`` of ``value``: what indexing its tokens gives, without the tokens."""
        return term_positions(value, _terms_of(("en", self.stoplist), self.stoplist, lower_unaccented, cached_stem))


def words(value, stoplist, lower, stem, positions=False, chars=False, keeporiginal=False, removestops=True,
          start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
    """The tokens of ``value``: each word ``lower``-ed, stop words (by their lowered form) dropped or
    marked, the others ``stem``-med; the one loop of every analyzer here."""
    t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
    matches = WORD.finditer(value) if tokenize else [_Whole(value)]
    pos = None  # as StopFilter(renumber=True): the first kept word keeps its place, the rest follow
    for i, match in enumerate(matches):
        word = lower(match.group(0))
        t.boost = 1.0
        if keeporiginal:
            t.original = match.group(0)
        if len(word) < MIN_SIZE or word in stoplist:
            if removestops:
                continue
            t.text, t.stopped = word, True
            if positions:
                t.pos = start_pos + i
        else:
            t.text, t.stopped = stem(word), False
            if positions:
                pos = start_pos + i if pos is None else pos + 1
                t.pos = pos
        if chars:
            t.startchar = start_char + match.start()
            t.endchar = start_char + match.end()
        yield t


def term_positions(value: str, terms: dict) -> dict:
    """``{term: [positions]}`` of the words of ``value``, numbered as :func:`words` numbers them (stop
    words before the first kept word count, the others do not); ``terms`` maps a word as written to
    its term, or to None for a stop word (see :func:`_terms_of`)."""
    found = {}
    pos, started = -1, False
    for word in WORD.findall(value):
        term = terms[word]
        if term is not None:
            pos += 1
            started = True
            poslist = found.get(term)
            if poslist is None:
                found[term] = [pos]
            else:
                poslist.append(pos)
        elif not started:
            pos += 1
    return found


class _Terms(dict):
    """Words as written → their term (None for a stop word), filled as words come; emptied when it
    holds :data:`TERMS_KEPT` (a run meets the same words again and again: one look-up instead of
    lower-casing, folding, a stop-list check and a stem)."""

    def __init__(self, stoplist, lower, stem):
        super().__init__()
        self.stoplist, self.lower, self.stem = stoplist, lower, stem

    def __missing__(self, written):
        word = self.lower(written)
        term = None if len(word) < MIN_SIZE or word in self.stoplist else self.stem(word)
        if len(self) >= TERMS_KEPT:
            self.clear()
        self[written] = term
        return term


#: Words each analyzer's :class:`_Terms` keeps.
TERMS_KEPT = 500_000
_TERMS = {}


def _terms_of(key, stoplist, lower, stem) -> _Terms:
    """The :class:`_Terms` of one analysis (``key``: its language and stop list)."""
    terms = _TERMS.get(key)
    if terms is None:
        terms = _TERMS[key] = _Terms(stoplist, lower, stem)
    return terms


class LanguageWords(Composable):
    """Words of one language (``"de"``, ``"fr"``, ``"es"``, ``"pl"``: :data:`index.languages.LANGUAGES`):
    lower-cased, the language's stop words dropped (positions renumbered), its Snowball stem with the
    accents it tells apart kept and the others folded (see :mod:`index.languages`)."""

    is_morph = True

    def __init__(self, language: str):
        self.language = language

    def __eq__(self, other):
        return type(other) is type(self) and other.language == self.language

    def __call__(self, value, **options):
        rules = RULES[self.language]
        return words(value, rules.stoplist, str.lower, rules.term, **options)

    def term_positions(self, value: str) -> dict:
        """``{term: [positions]}`` of ``value``: what indexing its tokens gives, without the tokens."""
        rules = RULES[self.language]
        return term_positions(value, _terms_of(self.language, rules.stoplist, str.lower, rules.term))


class _Whole:
    """A match-like wrapper for ``tokenize=False``: the whole value is one token."""

    def __init__(self, value):
        self.value = value

    def group(self, _):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)
