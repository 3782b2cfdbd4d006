"""The query language read into a tree of plain nodes, every problem located (no Whoosh here).

Grammar (OR binds tighter than AND, as in Whoosh and web search engines; AND is implied between
items)::

    query   := item*                       items joined by AND (written or implied)
    item    := unary (OR unary)*
    unary   := NOT unary | "+" unary | "-" unary | field ":" unary | primary
    primary := "(" query ")" | '"' phrase '"' | word

A word may end in ``~`` or ``~N`` (near spellings, N edits), carry ``*``/``?`` wildcards, and end in
``^B`` (a boost). :func:`read` raises :class:`SyntaxProblem` for text that cannot be read this way;
:func:`plain_words` reads any text as plain words (what a lenient search falls back to).
"""

import dataclasses
import re

OPERATORS = ("AND", "OR", "NOT")
#: Names a user may write before a colon, and the index field each one searches: the public
#: fields only. Any other ``name:`` (``id:``, ``origin:``, ``checksum:``, ``day:`` …, stored or
#: indexed for the service's own use) is not a field: its text is searched as words, with a warning,
#: or, with ``syntax=strict``, it is an error.
FIELD_NAMES = {"title": "title", "body": "body", "figure": "figure_words", "figures": "figure_words"}
#: The public field names as a warning or an error lists them.
PUBLIC_FIELDS = "title, body, figure"

#: Lexical pieces: a quoted phrase (maybe unclosed), a parenthesis, or a run of other characters.
PIECE = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
_FIELD = re.compile(r"^([A-Za-z_]+):")
#: A ``~`` suffix that reads: a whole number of edits, maybe a boost after it.
_FUZZY = re.compile(r"~\d*(?:\^\d+(?:\.\d+)?)?$")
_SUFFIX = re.compile(r"^(?P<word>.*?)(?:~(?P<edits>\d*))?(?:\^(?P<boost>\d+(?:\.\d+)?))?$")
#: The index analyzer's notion of a word (``u.s`` stays one).
_SUBWORD = re.compile(r"\w+(?:\.?\w+)*")
_PLAIN = re.compile(r"[^\s()\"+\-~^*?:]+(?:[-'.][^\s()\"+\-~^*?:]+)*")


class SyntaxProblem(ValueError):
    """The text is not valid query syntax; the message says what is wrong and where"""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        #: Where, counting characters from 1 as the message does (``index`` counts from 0).
        self.position = index + 1 if index is not None else None


@dataclasses.dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int
    field: str | None = None
    boost: float = 1.0
    edits: int = 0
    wildcard: bool = False


@dataclasses.dataclass(frozen=True)
class Phrase:
    text: str
    start: int
    end: int
    field: str | None = None


@dataclasses.dataclass(frozen=True)
class Group:
    op: str  # "and" | "or"
    children: tuple


@dataclasses.dataclass(frozen=True)
class Negated:
    child: object


@dataclasses.dataclass(frozen=True)
class Item:
    """One top-level item. ``role``: ``should`` (a plain word or phrase: all of them are required
    unless a search relaxes), ``required`` (``+x`` or joined by a written AND), ``excluded``."""

    node: object
    role: str = "should"


def read(text: str, strict: bool = False) -> tuple[list, list]:
    """The top-level items of ``text``, and warnings (a ``name:`` that is not a public field, a
    ``~`` not followed by a number of edits: both errors when ``strict``).

    :raise SyntaxProblem: for text that is not valid query syntax.
    """
    tokens, warnings = lex(text, strict)
    parser = _Parser(tokens)
    items = parser.items()
    return items, warnings


def plain_words(text: str) -> list:
    """Every word of ``text`` as a plain word (operators, quotes and brackets are just characters)."""
    return [Item(Word(m.group(), m.start(), m.end())) for m in _PLAIN.finditer(text)]


# --- lexing ---------------------------------------------------------------------------------------

@dataclasses.dataclass
class _Token:
    kind: str  # ( ) phrase op sign field word
    text: str
    start: int
    end: int


def lex(text: str, strict: bool = False) -> tuple[list, list]:
    """Tokens of ``text`` and warnings; raises :class:`SyntaxProblem` for unbalanced brackets,
    unclosed quotes and operators with nothing to apply to (and, when ``strict``, for what
    :func:`read` otherwise warns about)."""
    pieces = [(m.group(), m.start()) for m in PIECE.finditer(text)]
    check_parentheses(pieces)
    check_quotes(pieces)
    check_operators(pieces)
    tokens, warnings = [], []
    for piece, start in pieces:
        end = start + len(piece)
        if piece in "()":
            tokens.append(_Token(piece, piece, start, end))
        elif piece.startswith('"'):
            tokens.append(_Token("phrase", piece.strip('"'), start, end))
        elif piece in OPERATORS:
            tokens.append(_Token("op", piece, start, end))
        else:
            tokens.extend(_run_tokens(text, piece, start, warnings, strict))
    return tokens, warnings


def _run_tokens(text, piece, start, warnings, strict=False):
    """A run of non-space characters: an optional sign, an optional ``field:``, then a word."""
    found = []
    if piece[0] in "+-":
        found.append(_Token("sign", piece[0], start, start + 1))
        piece, start = piece[1:], start + 1
    match = _FIELD.match(piece)
    if match and match[1] in FIELD_NAMES:
        found.append(_Token("field", FIELD_NAMES[match[1]], start, start + match.end()))
        piece, start = piece[match.end():], start + match.end()
    elif match:
        _problem(f"'{match[1]}:' at position {start + 1} is not a field (fields: {PUBLIC_FIELDS})",
                 "searched as words", start, warnings, strict)
        # Both sides as plain words; after a sign, as one unit it applies to: ``-id:a1`` is -(id a1).
        name, rest, at = match[1], piece[match.end():], start + match.end()
        rest = _checked_fuzzy(rest, at, warnings, strict) if rest else rest
        words = [_Token("word", name, start, start + len(name))]
        words += [_Token("word", rest, at, at + len(rest))] if rest else []
        if not found or len(words) == 1:
            return found + words
        return found + [_Token("(", "(", start, start), *words, _Token(")", ")", at + len(rest), at + len(rest))]
    piece = _checked_fuzzy(piece, start, warnings, strict)
    if piece:
        found.append(_Token("word", piece, start, start + len(piece)))
    elif text[start:start + 1] not in ('(', '"'):  # a sign or field: with nothing to apply to
        what = text[found[0].start:start]
        raise SyntaxProblem(f"'{what}' at position {found[-1].start + 1} has nothing after it",
                            found[-1].start)
    return found


def _problem(message: str, instead: str, index: int, warnings: list, strict: bool) -> None:
    """A problem a lenient read works around (a warning saying how) and a strict one raises."""
    if strict:
        raise SyntaxProblem(message, index)
    warnings.append(f"{message}; {instead}")


def _checked_fuzzy(word: str, start: int, warnings: list, strict: bool) -> str:
    """``word`` with a ``~`` that is not followed by a whole number of edits (``oil~-1``,
    ``oil~1.5``) taken off: it is searched as typed before the ``~``."""
    at = word.find("~")
    if at <= 0 or _FUZZY.match(word, at):  # no "~", or nothing before it: not a fuzzy word
        return word
    _problem(f"'{word[at:]}' at position {start + at + 1} is not a number of edits (write ~1 or ~2)",
             f"searched as '{word[:at]}' without near spellings", start + at, warnings, strict)
    return word[:at]


def check_parentheses(pieces) -> None:
    """Raise :class:`SyntaxProblem` for a ``)`` without its ``(`` or a ``(`` never closed."""
    opened = []
    for piece, position in pieces:
        if piece == "(":
            opened.append(position)
        elif piece == ")":
            if not opened:
                raise SyntaxProblem(f"')' at position {position + 1} closes nothing", position)
            opened.pop()
    if opened:
        raise SyntaxProblem(f"'(' at position {opened[-1] + 1} is never closed", opened[-1])


def check_quotes(pieces) -> None:
    """Raise :class:`SyntaxProblem` for a phrase whose closing quote is missing."""
    for piece, position in pieces:
        if piece.startswith('"') and (len(piece) == 1 or not piece.endswith('"')):
            raise SyntaxProblem(f"the quote at position {position + 1} is never closed", position)


def check_operators(pieces) -> None:
    """Raise :class:`SyntaxProblem` for AND/OR/NOT with nothing to apply to."""
    for i, (piece, position) in enumerate(pieces):
        if piece not in OPERATORS:
            continue
        before = pieces[i - 1][0] if i else None
        after = pieces[i + 1][0] if i + 1 < len(pieces) else None
        if after in (None, ")") or after in OPERATORS and after != "NOT":
            raise SyntaxProblem(f"{piece} at position {position + 1} has nothing after it", position)
        if piece != "NOT" and (before in (None, "(") or before in OPERATORS):
            raise SyntaxProblem(f"{piece} at position {position + 1} has nothing before it", position)


# --- parsing --------------------------------------------------------------------------------------

class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.at]
        self.at += 1
        return token

    def items(self) -> list:
        """Items up to the end (or the closing bracket), with their roles."""
        found, written_and = [], False
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "op" and token.text == "AND":
                self.take()
                written_and = True
                if found and found[-1].role == "should":
                    found[-1] = Item(found[-1].node, "required")
                continue
            item = self.item()
            if written_and and item.role == "should":
                item = Item(item.node, "required")
            written_and = False
            nodes = split_word(item.node) if item.role != "excluded" else [item.node]
            found.extend(Item(node, item.role) for node in nodes)
        return found

    def item(self) -> Item:
        first = self.unary()
        alternatives = [first]
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            self.take()
            alternatives.append(self.unary())
        if len(alternatives) > 1:
            return Item(Group("or", tuple(_unsigned(a) for a in alternatives)))
        node, role = first if isinstance(first, tuple) else (first, "should")
        return Item(node, role)

    def unary(self):
        """A node, or ``(node, role)`` when a sign or NOT gave it one."""
        token = self.peek()
        if token.kind == "op" and token.text == "NOT":
            self.take()
            return _unsigned(self.unary()), "excluded"
        if token.kind == "sign":
            self.take()
            node = _unsigned(self.unary())
            return (node, "excluded") if token.text == "-" else (node, "required")
        if token.kind == "field":
            self.take()
            return _with_field(_unsigned(self.unary()), token.text)
        return self.primary()

    def primary(self):
        token = self.take()
        if token.kind == "(":
            inner = self.items()
            self.take()  # the ")" (check_parentheses made sure it is there)
            return as_node(inner)
        if token.kind == "phrase":
            return Phrase(token.text, token.start, token.end)
        if token.kind == "word":
            return word_node(token.text, token.start)
        raise SyntaxProblem(f"'{token.text}' at position {token.start + 1} is out of place", token.start)


def _unsigned(node):
    if isinstance(node, tuple):
        node, role = node
        return Negated(node) if role == "excluded" else node
    return node


def as_node(items: list):
    """The items of a bracketed group as one node (AND of them, NOT for excluded ones)."""
    nodes = [Negated(i.node) if i.role == "excluded" else i.node for i in items]
    if not nodes:
        return Group("and", ())
    return nodes[0] if len(nodes) == 1 else Group("and", tuple(nodes))


def word_node(text: str, start: int) -> Word:
    """A word with its ``~N`` (edits), ``^B`` (boost) and wildcards read off."""
    match = _SUFFIX.match(text)
    word = match["word"] or text
    edits = 0 if match["edits"] is None else int(match["edits"] or 1)
    boost = float(match["boost"]) if match["boost"] else 1.0
    # A "?" that ends or starts a word is a question mark ("what is jute?"); inside it is a wildcard.
    inner = word.strip("?")
    start += len(word) - len(word.lstrip("?"))
    word = inner or word
    return Word(word, start, start + len(word), boost=boost, edits=edits,
                wildcard="*" in word or "?" in word)


def split_word(node) -> list:
    """A word of several words joined by punctuation (``heat-transfer``, ``o'brien``) as its words,
    each on its own, as if the punctuation were a space (a phrase is what quotes are for)."""
    if not isinstance(node, Word) or node.wildcard or node.edits:
        return [node]
    parts = list(_SUBWORD.finditer(node.text))
    if len(parts) < 2:
        return [node]
    return [dataclasses.replace(node, text=m.group(), start=node.start + m.start(),
                                end=node.start + m.end()) for m in parts]


def _with_field(node, field):
    if isinstance(node, (Word, Phrase)):
        return dataclasses.replace(node, field=field)
    if isinstance(node, Group):
        return Group(node.op, tuple(_with_field(c, field) for c in node.children))
    if isinstance(node, Negated):
        return Negated(_with_field(node.child, field))
    return node
