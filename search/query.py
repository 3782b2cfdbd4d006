"""From the text a user typed to a Whoosh query, honestly.

:func:`parse_query` reads the text with :mod:`search.syntax`. Text that is not valid query syntax (an
unbalanced bracket or quote, an operator with nothing to apply to) is, by default, searched as plain
words and a warning says so; ``strict=True`` raises :class:`BadQuery` with the position instead (for
scripts). What else is changed or dropped (an unknown ``field:``, stop words, words past
:data:`MAX_WORDS`) is reported as a warning.

The language: words, "phrases", AND / OR / NOT (AND is implied between words), ``+word`` (required
even when a long query is relaxed), ``-word`` (excluded), ( ) for grouping, ``title:`` ``body:``
``figure:`` fields, ``*`` and ``?`` wildcards, ``~`` for near spellings (``~2`` for two edits), ``^2``
to weigh a word double.

:func:`word_query` is the one place that decides where a plain word is looked for
(:data:`index.schema.DEFAULT_FIELDS`) and how each field analyzes it (the schema's own analyzer).
"""

import dataclasses
import functools

from whoosh import query as wq

from index.analysis import cached_stem
from index.analysis import lower_unaccented
from index.languages import RULES
from index.languages import field_language
from index.schema import DEFAULT_FIELDS
from index.schema import ArticleSchema
from search import syntax
from search.languages import searched_fields

MAX_QUERY_LENGTH = 10_000
#: Punctuation a word's surface is shown without ("data," is shown as data).
_EDGE_PUNCTUATION = ".,;:!?'()[]{}"
MAX_EDITS = 2
#: Distinct top-level words (or phrases) a query may search with; see :func:`search.strategy.plan`.
MAX_WORDS = 32

_SCHEMA = ArticleSchema()

#: Words that ask or link rather than say what is sought: question words, request verbs, words for
#: "a document", and function words the index keeps. Written from general English, not from any
#: collection. A long query that finds few articles with all its words stops requiring these first,
#: and they count for little in ranking (see :mod:`search.strategy`, :mod:`search.scoring`).
FILLER_WORDS = frozenset("""
    what which who whom whose where why how whether whatever whichever whoever
    am was were been being do does did done doing has had having shall should would could might must
    i me my mine our ours he him his she her hers they them their theirs its there here these those
    such some any each every all both either neither other others another same
    about above after again against among around before below but during into onto out over
    through under until upon within without than then so too very also just only nor because while
    whereas although though however therefore thus hence etc
    describe discuss explain find give list show tell want need wish know look seek search
    please interested interest concerning regarding relating pertaining dealing
    article paper document publication reference something anything everything
""".split())
_FILLER_STEMS = frozenset(cached_stem(w) for w in FILLER_WORDS)


class BadQuery(ValueError):
    """The query cannot be made sense of; the message says what is wrong and where"""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class AnyField(wq.Or):
    """One typed word (or phrase) looked for in every default field: a unit for ranking."""

    def __str__(self):
        weight = f"^{self.boost:g}" if self.boost != 1 else ""
        return super().__str__() + weight


@dataclasses.dataclass(frozen=True)
class Clause:
    """A top-level part of a query: ``role`` is ``should`` (a plain word or phrase, relaxable),
    ``required`` or ``excluded``; ``words`` is how the user wrote it; ``filler`` marks question and
    function words (see :data:`FILLER_WORDS`)."""

    query: wq.Query
    role: str
    words: str
    filler: bool = False
    #: How many times the query has it (a word a long question repeats is what it is about).
    repeats: int = 1


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    """A parsed query, how it was understood, and what was changed on the way.

    ``query`` requires every clause (the meaning of a query that finds enough articles);
    ``clauses`` are its top-level parts, for a search that relaxes (:mod:`search.strategy`).
    """

    query: wq.Query
    text: str
    warnings: tuple = ()
    clauses: tuple = ()
    plain: bool = False

    @property
    def interpreted_as(self) -> str:
        """The query as Whoosh runs it (stemmed words, expanded fields)."""
        return str(self.query)


def parse_query(text: str, strict: bool = False, languages: tuple = ()) -> ParsedQuery:
    """Check and parse a user's query (the same text is parsed once: parsing depends on nothing else).

    :param strict: raise for text that is not valid syntax instead of searching its plain words.
    :param languages: languages besides English whose words are looked for too, each in its own fields
        (those the index holds: :func:`search.languages.index_languages`).
    :raise BadQuery: for input that cannot be made sense of (in strict mode), or is too long.
    """
    return _parse(text.strip(), strict, tuple(languages))


@functools.lru_cache(maxsize=2048)
def _parse(text: str, strict: bool, languages: tuple = ()) -> ParsedQuery:
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(f"query is {len(text)} characters long; at most {MAX_QUERY_LENGTH:,} are allowed")
    plain = False
    try:
        items, warnings = syntax.read(text)
        clauses = _clauses(items, text, languages)
    except syntax.SyntaxProblem as problem:
        if strict:
            raise BadQuery(str(problem), problem.position) from None
        plain, items = True, syntax.plain_words(text)
        warnings = [f"{problem}, so the query was searched as plain words "
                    "(add syntax=strict to get an error instead)"]
        clauses = _clauses(items, text, languages)
    query = conjunction(clauses)
    if query is wq.NullQuery:
        warnings.append("the query has no searchable words (only stop words or punctuation)")
    return ParsedQuery(query, text, tuple(warnings), tuple(clauses), plain)


def conjunction(clauses) -> wq.Query:
    """Every clause required, excluded ones left out (one clause stands alone)."""
    parts = [c.query if c.role != "excluded" else wq.Not(c.query) for c in clauses]
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _clauses(items, text, languages=()) -> list:
    """The clauses of the items, each once: a word typed again raises its ``repeats`` instead."""
    found, seen = [], {}
    for item in items:
        query = to_query(item.node, languages)
        if query is None:
            continue
        key = (str(query), item.role)
        if key in seen:
            at = seen[key]
            found[at] = dataclasses.replace(found[at], repeats=found[at].repeats + 1)
            continue
        seen[key] = len(found)
        found.append(Clause(query, item.role, _surface(item.node, text), is_filler(item.node)))
    return found


def _surface(node, text) -> str:
    """The text a node was read from (from its first word to its last)."""
    spans = list(_spans(node))
    found = text[min(s for s, _ in spans):max(e for _, e in spans)] if spans else ""
    return found.strip(_EDGE_PUNCTUATION) or found


def _spans(node):
    if isinstance(node, (syntax.Word, syntax.Phrase)):
        yield node.start, node.end
    elif isinstance(node, syntax.Negated):
        yield from _spans(node.child)
    else:
        for child in node.children:
            yield from _spans(child)


def is_filler(node) -> bool:
    """A plain word that asks or links rather than describes (see :data:`FILLER_WORDS`)."""
    return (isinstance(node, syntax.Word) and node.field is None and not node.wildcard
            and not node.edits and cached_stem(lower_unaccented(node.text)) in _FILLER_STEMS)


def to_query(node, languages: tuple = ()):
    """The Whoosh query of a syntax node, or None when it holds no searchable word.

    :param languages: languages whose own fields are searched besides English's.
    """
    if isinstance(node, (syntax.Word, syntax.Phrase)):
        fields = searched_fields((node.field,) if node.field else DEFAULT_FIELDS, languages)
        return (word_query if isinstance(node, syntax.Word) else phrase_query)(node, fields)
    if isinstance(node, syntax.Negated):
        child = to_query(node.child, languages)
        return wq.Not(child) if child is not None else None
    children = [q for q in (to_query(c, languages) for c in node.children) if q is not None]
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    return wq.Or(children) if node.op == "or" else wq.And(children)


def analyze(field: str, text: str) -> list:
    """``text`` as the index analyzes ``field`` (stems for words, lower-cased names, …)."""
    return list(_analyzed(field, text))


@functools.lru_cache(maxsize=20_000)
def _analyzed(field: str, text: str) -> tuple:
    # A word recurs across queries, and each is analyzed for every default field.
    return tuple(_SCHEMA[field].process_text(text, mode="query"))


def word_query(word, fields):
    """A word looked for in ``fields``: a term per field (a phrase where the field splits it in
    several words, as ``oil-gas``), a prefix or wildcard pattern, or a fuzzy term."""
    found = []
    for field in fields:
        if word.wildcard:
            q = _pattern(field, word)
        else:
            tokens = analyze(field, word.text)
            if not tokens:
                continue
            q = _terms(field, tokens, word)
        if q is not None:
            q.startchar, q.endchar = word.start, word.end
            found.append(q)
    return _any_field(found)


def phrase_query(phrase, fields):
    """A quoted phrase looked for in ``fields`` (one word left is a term)."""
    found = []
    for field in fields:
        tokens = analyze(field, phrase.text)
        if tokens:
            q = wq.Term(field, tokens[0]) if len(tokens) == 1 else wq.Phrase(field, tokens)
            q.startchar, q.endchar = phrase.start, phrase.end
            found.append(q)
    return _any_field(found)


def _any_field(found):
    if not found:
        return None
    return found[0] if len(found) == 1 else AnyField(found)


def _terms(field, tokens, word):
    if word.edits:
        if word.edits > MAX_EDITS:
            raise BadQuery(f"'~{word.edits}' at position {word.end + 1}: a fuzzy word may be at "
                           f"most {MAX_EDITS} edits away", word.end)  # a limit, in any mode
        return wq.FuzzyTerm(field, tokens[0], boost=word.boost, maxdist=word.edits, prefixlength=1)
    if len(tokens) == 1:
        return wq.Term(field, tokens[0], boost=word.boost)
    return wq.Phrase(field, tokens, boost=word.boost)


def _pattern(field, word):
    language = field_language(field)
    text = lower_unaccented(word.text) if language == "en" else RULES[language].fold(word.text.lower())
    if text.strip("*") == "":  # a bare star would stand for every word
        return None
    if text.endswith("*") and "*" not in text[:-1] and "?" not in text:
        return wq.Prefix(field, text[:-1], boost=word.boost)
    return wq.Wildcard(field, text, boost=word.boost)
