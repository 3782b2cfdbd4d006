"""From the text a user typed to a Whoosh query, honestly.

Whoosh's parser never fails: ``title:(foo AND`` silently becomes a different query. :func:`parse_query`
first checks the text itself and raises :class:`BadQuery` (with the position) for what cannot be made
sense of: unbalanced parentheses, an unclosed quote, an operator with nothing to apply to. What it
changes or drops instead (an unknown ``field:``, stop words) is reported as a warning.

The language: words, "phrases", AND / OR / NOT (AND is implied between words), ( ) for grouping,
``title:`` ``body:`` ``figure:`` fields, ``*`` and ``?`` wildcards, ``~`` for fuzzy words (``~2`` for
edit distance 2).
"""

import dataclasses
import functools
import re

from whoosh import query as wq
from whoosh.qparser import FieldAliasPlugin
from whoosh.qparser import FuzzyTermPlugin
from whoosh.qparser import MultifieldParser

from index.schema import DEFAULT_FIELDS
from index.schema import ArticleSchema

#: Field names a user may write before a colon, and the index field each one searches.
FIELD_NAMES = {"title": "title", "body": "body", "figure": "figure_words"}
FIELD_ALIASES = {"figure_words": ["figure", "figures", "person", "people"], "body": ["text"]}
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
MAX_QUERY_LENGTH = 1000
MAX_EDITS = 2

#: Lexical pieces of a query: a quoted phrase, a parenthesis, or a run of other characters.
_PIECE = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
_FIELD_PREFIX = re.compile(r"^([A-Za-z_]+):")

_SCHEMA = ArticleSchema()


class BadQuery(ValueError):
    """The query cannot be made sense of; the message says what is wrong and where"""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    """A parsed query, how it was understood, and what was changed on the way."""

    query: wq.Query
    text: str
    warnings: tuple = ()

    @property
    def interpreted_as(self) -> str:
        """The query as Whoosh runs it (stemmed words, expanded fields)."""
        return str(self.query)


def make_parser() -> MultifieldParser:
    """The query parser: default fields, field aliases and fuzzy ``~``."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), _SCHEMA)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


_PARSER = make_parser()


def parse_query(text: str) -> ParsedQuery:
    """Check and parse a user's query (the same text is parsed once: parsing depends on nothing else).

    :raise BadQuery: for input that cannot be made sense of.
    """
    return _parse(text.strip())


@functools.lru_cache(maxsize=2048)
def _parse(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(f"query is {len(text)} characters long; at most {MAX_QUERY_LENGTH} are allowed")
    pieces = [(m.group(), m.start()) for m in _PIECE.finditer(text)]
    check_parentheses(pieces)
    check_quotes(pieces)
    check_operators(pieces)
    warnings = list(unknown_fields(pieces))
    query = _PARSER.parse(text)
    check_fuzzy(query)
    if query is wq.NullQuery:
        warnings.append("the query has no searchable words (only stop words or punctuation)")
    return ParsedQuery(query, text, tuple(warnings))


def check_parentheses(pieces) -> None:
    """Raise :class:`BadQuery` for a ``)`` without its ``(`` or a ``(`` never closed."""
    opened = []
    for piece, position in pieces:
        if piece == "(":
            opened.append(position)
        elif piece == ")":
            if not opened:
                raise BadQuery(f"')' at position {position + 1} closes nothing", position)
            opened.pop()
    if opened:
        raise BadQuery(f"'(' at position {opened[-1] + 1} is never closed", opened[-1])


def check_quotes(pieces) -> None:
    """Raise :class:`BadQuery` for a phrase whose closing quote is missing."""
    for piece, position in pieces:
        if piece.startswith('"') and (len(piece) == 1 or not piece.endswith('"')):
            raise BadQuery(f"the quote at position {position + 1} is never closed", position)


def check_operators(pieces) -> None:
    """Raise :class:`BadQuery` for AND/OR/NOT with nothing to apply to."""
    words = [(p, pos) for p, pos in pieces]
    for i, (piece, position) in enumerate(words):
        if piece not in OPERATORS:
            continue
        before = words[i - 1][0] if i else None
        after = words[i + 1][0] if i + 1 < len(words) else None
        binary = piece != "NOT"
        if after in (None, ")") or after in OPERATORS and after != "NOT":
            raise BadQuery(f"{piece} at position {position + 1} has nothing after it", position)
        if binary and (before in (None, "(") or before in OPERATORS):
            raise BadQuery(f"{piece} at position {position + 1} has nothing before it", position)


def check_fuzzy(query) -> None:
    """Raise :class:`BadQuery` for a fuzzy word allowing more than :data:`MAX_EDITS` edits."""
    leaves = [query] if query.is_leaf() else query.leaves()
    for leaf in leaves:
        if isinstance(leaf, wq.FuzzyTerm) and leaf.maxdist > MAX_EDITS:
            where = getattr(leaf, "startchar", None)
            at = f" at position {where + 1}" if where is not None else ""
            raise BadQuery(f"'~{leaf.maxdist}'{at}: a fuzzy word may be at most {MAX_EDITS} edits away",
                           where)


def unknown_fields(pieces):
    """Warnings for ``name:`` prefixes that are not fields (they are searched as plain words)."""
    known = set(FIELD_NAMES) | {a for names in FIELD_ALIASES.values() for a in names}
    for piece, position in pieces:
        match = _FIELD_PREFIX.match(piece)
        if match and match[1] not in known and match[1] not in DEFAULT_FIELDS:
            yield (
                f"'{match[1]}:' at position {position + 1} is not a field (fields: "
                f"{', '.join(FIELD_NAMES)}); searched as words"
            )
