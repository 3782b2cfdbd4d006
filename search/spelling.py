"""Typo tolerance and "did you mean", from the index's own vocabulary.

A query word that is in no field of the index is also matched fuzzily: against index terms within edit
distance 1 (2 for words of :data:`LONG_WORD` letters or more) that share the word's first letters (as
most search engines require, and what keeps the look-up fast). The response says which words were
widened and to what.

"Did you mean" replaces each unknown word with its most frequent near term. The title and body fields
hold stems ("charli"), so a stem is written back as a real word taken from an article that contains it.
"""

import dataclasses
import itertools

from whoosh import query as wq

from index.languages import base_field
from index.schema import BODY_ANALYZER
from index.schema import ArticleSchema
from search.languages import index_languages

#: Fields whose missing terms are widened and corrected (and each language's title and body).
SPELLED_FIELDS = ("title", "body", "figure_words")
_SCHEMA = ArticleSchema()
#: Words this long (or longer) may be two edits away; shorter ones one.
LONG_WORD = 8
#: Near terms taken per word and field.
MAX_NEAR = 20
#: Typed words whose "is it in the index?" answer is kept per commit.
MAX_KNOWN = 20_000


def max_distance(word: str) -> int:
    """Edit distance allowed for ``word``: 1, or 2 for long words."""
    return 2 if len(word) >= LONG_WORD else 1


def near_terms(reader, field: str, text: str) -> list[str]:
    """Index terms of ``field`` near ``text``, most frequent first (sharing its first letter(s))."""
    distance = max_distance(text)
    found = itertools.islice(reader.terms_within(field, text, distance, prefix=distance), 200)
    ranked = sorted(((reader.doc_frequency(field, t), t) for t in found if t != text), reverse=True)
    return [t for freq, t in ranked[:MAX_NEAR] if freq]


@dataclasses.dataclass(frozen=True)
class Widened:
    """A query word that was not in the index and the words it was also matched as."""

    word: str
    matched: tuple

    def to_json(self) -> dict:
        return {"word": self.word, "matched": list(self.matched)}


def tolerate_typos(query, searcher, text: str):
    """``query`` with each unknown word also matching its near terms, and what was widened.

    :return: ``(query, [Widened, ...])``.
    """
    reader = searcher.reader()
    widened, surfaces = {}, {}

    def widen(leaf):
        if type(leaf) is not wq.Term or base_field(leaf.fieldname) not in SPELLED_FIELDS:
            return leaf
        span = (getattr(leaf, "startchar", None), getattr(leaf, "endchar", None))
        if None in span or _known_word(searcher, text[span[0] : span[1]], leaf):
            return leaf
        near = near_terms(reader, leaf.fieldname, leaf.text)
        if not near:
            return leaf
        typed = text[span[0] : span[1]]
        words = surfaces.setdefault(typed, {})
        for term in near[:5]:
            words.setdefault(surface_word(searcher, leaf.fieldname, term) or term, None)
        widened[typed] = True
        terms = [leaf] + [wq.Term(leaf.fieldname, t, boost=0.5) for t in near]
        return wq.Or(terms)

    new_query = _map_leaves(query, widen)
    notes = [Widened(word, tuple(list(surfaces[word])[:5])) for word in widened]
    return new_query, notes


class KnownWords(dict):
    """Answers of :func:`_known_word` for one commit, ``{(typed, field, term): bool}``."""

    @property
    def nbytes(self) -> int:
        return 200 * len(self)


def _known_word(searcher, typed: str, leaf) -> bool:
    """True when the typed word is in some field of the index (so it is not a typo).

    Answers are kept for the commit (its terms never change) for the words it was asked about.
    """
    known = searcher.shared("known_words", KnownWords)
    key = (typed, leaf.fieldname, leaf.text)
    found = known.get(key)
    if found is None:
        found = bool(searcher.doc_frequency(leaf.fieldname, leaf.text)) or \
            any(searcher.doc_frequency(field, term)
                for field, term in _analyzed(typed, index_languages(searcher)))
        if len(known) < MAX_KNOWN:
            known[key] = found
            searcher.grown("known_words", known)
    return found


def _analyzed(typed: str, languages=()):
    """The typed word's terms in every field it may be in: a word of any language the index holds
    is known, and not widened to near words of another."""
    for token in BODY_ANALYZER(typed):
        yield "title", token.text
        yield "body", token.text
    yield "figure_words", typed.lower()
    for code in languages:
        for token in _SCHEMA[f"body_{code}"].analyzer(typed):
            yield f"title_{code}", token.text
            yield f"body_{code}", token.text


def _map_leaves(query, fn):
    if isinstance(query, wq.Phrase) or query.is_leaf():
        return fn(query)
    if isinstance(query, wq.Not):
        return query
    return query.apply(lambda child: _map_leaves(child, fn))


def suggest(searcher, query, text: str) -> str | None:
    """The query text with misspelt words corrected, or None when there is nothing to correct."""
    fixes = {}
    for leaf in _words(query):
        span = (getattr(leaf, "startchar", None), getattr(leaf, "endchar", None))
        if None in span or span in fixes or _known_word(searcher, text[span[0] : span[1]], leaf):
            continue
        word = correction(searcher, leaf.fieldname, leaf.text)
        if word:
            fixes[span] = word
    if not fixes:
        return None
    out, at = [], 0
    for (start, end), word in sorted(fixes.items()):
        out.append(text[at:start] + word)
        at = end
    return "".join(out) + text[at:]


def correction(searcher, field: str, term: str) -> str | None:
    """The most frequent real word near a term that is not in the index, or None."""
    reader = searcher.reader()
    near = near_terms(reader, field, term)
    if not near:
        return None
    return surface_word(searcher, field, near[0]) or near[0]


def surface_word(searcher, field: str, term: str) -> str | None:
    """A word as written in an article that holds ``term`` (``charli`` → ``charlie``)."""
    if field == "figure_words":
        return term
    docnum = next(iter(searcher.reader().postings(field, term).all_ids()), None)
    if docnum is None:
        return None
    text = searcher.stored_fields(docnum).get(base_field(field)) or ""
    for token in _SCHEMA[field].analyzer(text, chars=True):
        if token.text == term:
            return text[token.startchar : token.endchar].lower()
    return None


def _words(query):
    """Term leaves of the spelled fields, body first (it has the largest vocabulary)."""
    leaves = query.leaves() if not query.is_leaf() else [query]
    found = [leaf for leaf in leaves
             if type(leaf) is wq.Term and base_field(leaf.fieldname) in SPELLED_FIELDS]
    preference = ("body", "title", "figure_words")
    return sorted(found, key=lambda leaf: preference.index(base_field(leaf.fieldname)))
