""""Did you mean": corrections from the index's own vocabulary, written as words people type.

The title and body fields hold stems ("charli"), so Whoosh's ``correct_query`` would suggest stems.
Here a word whose term is missing from the index is replaced by the most frequent term within edit
distance 1 (2 for words of six letters or more), and that term is written back as a real word taken from
an article that contains it.
"""

from whoosh import query as wq

from index.schema import BODY_ANALYZER

#: Fields whose missing terms are corrected, in order of preference.
SPELLED_FIELDS = ("body", "title", "figure_words")


def max_distance(word: str) -> int:
    """Edit distance allowed when correcting ``word``: 1, or 2 for long words."""
    return 2 if len(word) >= 6 else 1


def suggest(searcher, query, text: str) -> str | None:
    """The query text with misspelt words corrected, or None when there is nothing to correct."""
    reader = searcher.reader()
    fixes = {}
    for leaf in _words(query):
        span = (getattr(leaf, "startchar", None), getattr(leaf, "endchar", None))
        if None in span or span in fixes or _known(reader, leaf.text):
            continue
        word = correction(searcher, leaf.text, text[span[0] : span[1]])
        if word:
            fixes[span] = word
    if not fixes:
        return None
    out, at = [], 0
    for (start, end), word in sorted(fixes.items()):
        out.append(text[at:start] + word)
        at = end
    return "".join(out) + text[at:]


def correction(searcher, term: str, typed: str) -> str | None:
    """The best real word for a term that is not in the index, or None."""
    reader = searcher.reader()
    best = None
    for field in SPELLED_FIELDS:
        for candidate in reader.terms_within(field, term, max_distance(term)):
            freq = reader.doc_frequency(field, candidate)
            if freq and (best is None or freq > best[0]):
                best = (freq, field, candidate)
    if best is None:
        return None
    _, field, candidate = best
    return surface_word(searcher, field, candidate) or candidate


def surface_word(searcher, field: str, term: str) -> str | None:
    """A word as written in an article that holds ``term`` (``charli`` → ``charlie``)."""
    if field == "figure_words":
        return term
    docnum = next(iter(searcher.reader().postings(field, term).all_ids()), None)
    if docnum is None:
        return None
    text = searcher.stored_fields(docnum).get(field) or ""
    for token in BODY_ANALYZER(text, chars=True):
        if token.text == term:
            return text[token.startchar : token.endchar].lower()
    return None


def _words(query):
    for leaf in query.leaves() if not query.is_leaf() else [query]:
        if type(leaf) is wq.Term and leaf.fieldname in SPELLED_FIELDS:
            yield leaf


def _known(reader, text) -> bool:
    return any(reader.doc_frequency(field, text) for field in SPELLED_FIELDS)
