"""Highlighted snippets: the best passages of an article's stored text, with matches in ``<mark>``.

Whoosh's highlighter marks every word of a phrase wherever it occurs. Here a phrase is found as a run
of consecutive words (with the index's own analyzer, so stems and stop words line up with what matched)
and marked as one unit; a phrase's words are marked alone only if the query also names them alone.
Passages are chosen by how many distinct query terms they hold, cut at word boundaries, and the text
is HTML-escaped before ``<mark>`` is added, so a snippet is safe to put in a page as it is.
"""

import dataclasses
import functools
import html
import re

from whoosh import query as wq
from whoosh.analysis import STOP_WORDS

from index.analysis import MIN_SIZE
from index.analysis import WORD
from index.analysis import cached_stem
from index.analysis import lower_unaccented
from index.languages import RULES
from index.languages import base_field
from index.languages import field_language

#: Longest passage, in characters, and how many passages a snippet may join.
PASSAGE_CHARS = 300
MAX_PASSAGES = 2
#: Text beyond this many characters of an article is not scanned for snippets.
SCAN_CHARS = 50_000
ELLIPSIS = "…"

_SPACE = re.compile(r"\s+")


#: The term id of a span where a selected figure is named (marked ``<mark class="figure">``).
FIGURE = "figure"


@dataclasses.dataclass(frozen=True)
class Terms:
    """What to highlight: single words and phrases, as the index's analyzers produce them, and the
    names of the figures a search is narrowed to (``figures``: each a tuple of folded words).

    ``words`` and ``phrases`` are those of ``language`` (English's, from ``title`` and ``body``);
    ``others`` holds each other language's ``(code, words, phrases)``: :meth:`in_language` gives
    the terms to highlight in an article of that language."""

    words: frozenset = frozenset()
    phrases: tuple = ()
    names: frozenset = frozenset()
    figures: tuple = ()
    language: str = "en"
    others: tuple = ()

    def in_language(self, language: str) -> "Terms":
        """These terms as an article in ``language`` (one of its words' languages) holds them."""
        if language == self.language:
            return self
        found = {code: (words, phrases) for code, words, phrases in self.others}
        found[self.language] = (self.words, self.phrases)
        words, phrases = found.get(language, (frozenset(), ()))
        others = tuple((code, w, p) for code, (w, p) in found.items() if code != language)
        return dataclasses.replace(self, words=words, phrases=phrases, language=language, others=others)

    def __bool__(self):
        return bool(self.words or self.phrases or self.names or self.figures or self.others)

    @property
    def of_query(self) -> bool:
        return bool(self.words or self.phrases or self.names)


def query_terms(query, reader=None) -> Terms:
    """The words and phrases of ``query`` worth highlighting (wildcards expanded when a reader is given)."""
    words, names, phrases = {}, set(), {}
    for leaf in _leaves(query):
        if isinstance(leaf, wq.Phrase):
            found = phrases.setdefault(field_language(leaf.fieldname), [])
            if base_field(leaf.fieldname) in ("title", "body") and tuple(leaf.words) not in found:
                found.append(tuple(leaf.words))
        elif isinstance(leaf, wq.Term) and not isinstance(leaf, wq.Not):
            _add_term(leaf.fieldname, leaf.text, words, names)
        elif reader is not None and isinstance(leaf, (wq.PatternQuery, wq.FuzzyTerm)):
            for fieldname, text in leaf.existing_terms(reader, expand=True):
                _add_term(fieldname, text.decode("utf-8") if isinstance(text, bytes) else text,
                          words, names)
    others = tuple((code, frozenset(words.get(code, ())), tuple(phrases.get(code, ())))
                   for code in sorted(set(words) | set(phrases)) if code != "en")
    return Terms(frozenset(words.get("en", ())), tuple(phrases.get("en", ())), frozenset(names),
                 others=others)


def _add_term(fieldname, text, words, names):
    if base_field(fieldname) in ("title", "body"):
        words.setdefault(field_language(fieldname), set()).add(text)
    elif fieldname == "figure_words":
        names.add(text)


def _leaves(query):
    """Leaf queries and phrases, skipping anything under a NOT."""
    if isinstance(query, (wq.Not, wq.AndNot)):
        if isinstance(query, wq.AndNot):
            yield from _leaves(query.a)
        return
    if isinstance(query, wq.Phrase) or query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from _leaves(child)


def find_matches(text: str, terms: Terms) -> list[tuple[int, int, int]]:
    """``(start, end, term id)`` character spans of matches in ``text``, phrases as single spans, and
    where the selected figures are named (term id :data:`FIGURE`)."""
    found = []
    if terms.of_query and terms.language != "en":
        found = _spans(_language_tokens(text, RULES[terms.language]), terms, lambda before, after: True)
    elif terms.of_query:
        found = _fast_matches(text, terms)
        found = found if found is not None else _token_matches(text, terms)
    if terms.figures:
        found = sorted(found + _figure_spans(text, terms.figures), key=lambda s: (s[0], s[1]))
    return found


def figure_names(names) -> tuple:
    """The :attr:`Terms.figures` of some figure names: each name's folded words."""
    found = {tuple(lower_unaccented(w) for w in WORD_ONLY.findall(name)) for name in names}
    return tuple(sorted(words for words in found if words))


WORD_ONLY = re.compile(r"\w+")


def _figure_spans(text, figures) -> list:
    """Where ``figures`` are named in ``text``: a whole name, or its last word alone (a surname)."""
    folded = lower_unaccented(text)
    if len(folded) != len(text):
        folded = text.lower() if len(text.lower()) == len(text) else text
    return [(m.start(), m.end(), FIGURE) for m in _figure_pattern(figures).finditer(folded)]


@functools.lru_cache(maxsize=256)
def _figure_pattern(figures):
    names = sorted({r"\s+".join(map(re.escape, words)) for words in figures}
                   | {re.escape(words[-1]) for words in figures if len(words[-1]) > 2}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(names) + r")(?!\w)")


def matched_in(terms: Terms, title: str, title_spans, body: str, body_spans, figures) -> list:
    """Where a hit matched the query: ``title``, ``body`` and/or ``figures`` (a named figure's words).

    :param title_spans: :func:`find_matches` of ``title``; ``body_spans`` of ``body``.
    """
    found = []
    if any(_query_span(span, terms, title) for span in title_spans):
        found.append("title")
    if any(_query_span(span, terms, body) for span in body_spans):
        found.append("body")
    if terms.names and any(lower_unaccented(w) in terms.names for name in figures for w in WORD_ONLY.findall(name)):
        found.append("figures")
    return found


def _query_span(span, terms, text) -> bool:
    """True for a span of a query word or phrase in ``text`` (not of a figure's name alone)."""
    start, end, term = span
    if term == FIGURE:
        return False
    if isinstance(term, int) and -len(terms.phrases) <= term < 0:
        return True
    if terms.language != "en":
        return RULES[terms.language].term(text[start:end].lower()) in terms.words
    return cached_stem(lower_unaccented(text[start:end])) in terms.words


def _token_matches(text, terms):
    """:func:`find_matches` by running the analyzer over the whole text (any text)."""
    return _spans(_tokens(text), terms, lambda before, after: True)


def _fast_matches(text, terms):
    """:func:`find_matches` without analyzing the whole text: a regex finds the words that begin like
    a query stem and only those are stemmed; a phrase is a run of such words with no other indexed
    word between them. None when case folding changes the text's length (use the token path)."""
    folded_text = lower_unaccented(text)
    if len(folded_text) != len(text):
        return None
    phrase_words = frozenset(word for phrase in terms.phrases for word in phrase)
    found = []
    for start, end, word in _candidates(folded_text, _prefixes(terms.words | phrase_words, terms.names)):
        if len(word) < MIN_SIZE or word in STOP_WORDS:
            continue
        stem_ = cached_stem(word)
        if stem_ in terms.words or stem_ in phrase_words or word in terms.names:
            found.append((stem_, start, end, word))
    return _spans(found, terms, lambda before, after: _nothing_indexed(folded_text, before[2], after[1]))


def _spans(tokens, terms, adjacent):
    """Match spans among ``tokens`` (``(stem, start, end, folded word)``, in text order).

    A phrase is a run of tokens with its stems, each next to the one before (``adjacent(before,
    after)``); a word is matched alone only outside the phrases found.
    """
    spans, in_phrase = [], set()
    for number, phrase in enumerate(terms.phrases):
        n = len(phrase)
        for i in range(len(tokens) - n + 1 if n else 0):
            if all(tokens[i + k][0] == phrase[k] for k in range(n)) and \
                    all(adjacent(tokens[i + k - 1], tokens[i + k]) for k in range(1, n)):
                spans.append((tokens[i][1], tokens[i + n - 1][2], -1 - number))
                in_phrase.update(range(i, i + n))
    for i, (stem_, start, end, folded) in enumerate(tokens):
        if i not in in_phrase and (stem_ in terms.words or folded in terms.names):
            spans.append((start, end, hash(stem_)))
    return sorted(spans)


def _nothing_indexed(folded_text, start, end) -> bool:
    """True when no word the index keeps (stop words and 1-letter words are dropped) lies in the span."""
    for match in WORD.finditer(folded_text, start, end):
        word = match.group()
        if len(word) >= MIN_SIZE and word not in STOP_WORDS:
            return False
    return True


@functools.lru_cache(maxsize=1024)
def _prefixes(words, names) -> tuple:
    """Finders of every word that could stem to one of ``words`` (or be one of ``names``), by how it
    begins.

    Porter stems only rewrite a word's ending, so a word with the stem ``dollar`` begins ``dolla``.
    """
    prefixes = {w[: max(1, len(w) - 1)] if len(w) > 3 else w for w in words} | set(names)
    return tuple(_WordsFrom(prefix) for prefix in sorted(prefixes))


#: The rest of a word after its beginning, as ``WORD`` reads words.
_WORD_TAIL = re.compile(r"\w*(?:\.\w+)*")


class _WordsFrom:
    r"""Finds what ``re.compile(re.escape(prefix) + r"\w*(?:\.\w+)*").finditer`` finds, by a
    substring search and one shared pattern: compiling a pattern per prefix cost a third of a
    millisecond each, a tenth of the first search of a pasted paragraph."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def finditer(self, text: str):
        """``(start, end)`` of each match, left to right, not overlapping."""
        at = text.find(self.prefix)
        while at >= 0:
            end = _WORD_TAIL.match(text, at + len(self.prefix)).end()
            yield at, end
            at = text.find(self.prefix, end)


def _candidates(folded_text, patterns) -> list:
    """``(start, end, word)`` of each word (as ``WORD`` splits text) beginning with one of the prefixes."""
    found = {}
    for pattern in patterns:
        for start, end in pattern.finditer(folded_text):
            before = folded_text[start - 1] if start else " "
            if before == "." or before == "_" or before.isalnum():
                continue  # inside a word: only words' beginnings count
            found[start] = (start, end, folded_text[start:end])
    return [found[start] for start in sorted(found)]


def _tokens(text):
    """``(stem, start, end, folded word)`` for each word, as the index's analyzers see it.

    The same steps as ``BODY_ANALYZER`` (and, for the folded word, ``NAME_ANALYZER``) in one loop,
    several times faster than running the analyzer chain; ``tests/test_snippets.py`` keeps them equal.
    """
    tokens = []
    for match in WORD.finditer(text):
        word = lower_unaccented(match.group())
        if len(word) >= MIN_SIZE and word not in STOP_WORDS:
            tokens.append((cached_stem(word), match.start(), match.end(), word))
    return tokens


def _language_tokens(text, rules):
    """:func:`_tokens` as a language of :mod:`index.languages` analyzes its words."""
    tokens = []
    for match in WORD.finditer(text):
        word = match.group().lower()
        if len(word) >= MIN_SIZE and word not in rules.stoplist:
            tokens.append((rules.term(word), match.start(), match.end(), lower_unaccented(word)))
    return tokens


def highlight(text: str, spans) -> str:
    """``text`` HTML-escaped with each span wrapped in ``<mark>`` (``<mark class="figure">`` for a
    selected figure's name)."""
    out, at = [], 0
    for start, end, term in spans:
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        tag = '<mark class="figure">' if term == FIGURE else "<mark>"
        out.append(tag + html.escape(text[start:end]) + "</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def snippet(text: str, terms: Terms, length: int = PASSAGE_CHARS, passages: int = MAX_PASSAGES) -> str:
    """Up to ``passages`` best passages of ``text``, each at most ``length`` characters, highlighted.

    With no match, the start of the text. Passages never overlap (two that would are joined into
    one), and one "…" stands for each cut: at the start, between passages and at the end.
    """
    text = text[:SCAN_CHARS]
    return snippet_of(text, find_matches(text, terms) if terms else [], length, passages)


def snippet_of(text: str, spans, length: int = PASSAGE_CHARS, passages: int = MAX_PASSAGES) -> str:
    """:func:`snippet` of ``text`` (already cut to :data:`SCAN_CHARS`) from its :func:`find_matches`."""
    if not spans:
        return _joined(text, [_bounds(text, 0, length, [])], [])
    windows = _best_windows(text, spans, length, passages)
    return _joined(text, _merged(sorted(_bounds(text, start, length, spans) for start in windows)), spans)


def _merged(bounds) -> list:
    """``(start, end)`` passages in text order, overlapping or touching ones joined."""
    found = []
    for start, end in bounds:
        if found and start <= found[-1][1] + 1:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def _joined(text, bounds, spans) -> str:
    """The passages highlighted; an ellipsis before the first when text was left out there, and after
    each one followed by text left out (the one between two passages stands for the gap)."""
    pieces = []
    for i, (start, end) in enumerate(bounds):
        inside = [s for s in spans if s[0] >= start and s[1] <= end]
        body = " ".join(highlight(text[start:end], [(a - start, b - start, t) for a, b, t in inside]).split())
        if i == 0 and start > 0:
            body = _ellipsis_before(body)
        if end < len(text):
            body = _ellipsis_after(body)
        pieces.append(body)
    return " ".join(pieces)


#: An ellipsis the text itself has at a passage's edge: replaced by the snippet's own, never doubled.
_EDGE_ELLIPSIS_START = re.compile(r"^(?:…|\.{3,})\s*")
_EDGE_ELLIPSIS_END = re.compile(r"\s*(?:…|\.{3,})$")


def _ellipsis_before(body: str) -> str:
    return ELLIPSIS + _EDGE_ELLIPSIS_START.sub("", body)


def _ellipsis_after(body: str) -> str:
    return _EDGE_ELLIPSIS_END.sub("", body) + ELLIPSIS


def _best_windows(text, spans, length, passages):
    """Start offsets of the best non-overlapping windows, by distinct terms then matches."""
    scored = []
    for i, (start, _, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= start + length]
        scored.append((len({s[2] for s in inside}), len(inside), -start, start))
    chosen = []
    for *_, start in sorted(scored, reverse=True):
        if all(abs(start - other) >= length for other in chosen):
            chosen.append(start)
        if len(chosen) == passages:
            break
    return [_backoff(text, start, length, spans) for start in chosen]


def _backoff(text, start, length, spans):
    """Move a window's start back a little so its first match has some context before it."""
    last_end = max((e for s, e, _ in spans if s >= start and e <= start + length), default=start)
    room = max(0, length - (last_end - start))
    return max(0, min(start - min(room // 3, 60), len(text) - length))


def _bounds(text, start, length, spans) -> tuple:
    """``(start, end)`` of the passage of ``text`` from about ``start``, at most ``length`` long, cut at
    word boundaries."""
    if start > 0 and not text[start - 1].isspace():
        space = _SPACE.search(text, start, start + 40)
        if space and space.end() <= _first_span_start(spans, start):
            start = space.end()
        else:  # back to the beginning of the word
            while start > 0 and not text[start - 1].isspace():
                start -= 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = _last_space_run(text, start, end)
        end = cut if cut > start else end
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _last_space_run(text, start, end) -> int:
    """Where the last run of white space in ``text[start:end]`` begins (``start`` when there is none)."""
    i = end - 1
    while i >= start and not text[i].isspace():
        i -= 1
    if i < start:
        return start
    while i > start and text[i - 1].isspace():
        i -= 1
    return i


def _first_span_start(spans, start):
    return min((s for s, _, _ in spans if s >= start), default=start + 40)
