"""Autocomplete for the search box: figure names and title words that begin with what was typed.

The vocabularies are built once per index segment (figure names with their article counts; title words
as written, with how many titles use them), merged once per index generation, and kept sorted, so a
suggestion is a couple of binary searches.
"""

import bisect
import collections

import numpy as np

from search.facets import names_bytes

MAX_SUGGESTIONS = 10


class Vocabulary:
    """Figure names and title words of one index generation, sorted for prefix look-ups."""

    def __init__(self, figure_counts: collections.Counter, word_counts: collections.Counter):
        self.figures = figure_counts
        # every word of a name points to the name, so "rudeni" finds "Igor Rudeni"
        self.name_words = sorted((word.lower(), name) for name in figure_counts for word in name.split())
        self.words = sorted(word_counts)
        self.word_counts = word_counts

    @property
    def nbytes(self) -> int:
        """About how much memory the vocabulary takes."""
        return 3 * names_bytes(self.words) + 200 * len(self.figures) + 100 * len(self.name_words)

    def complete(self, text: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
        """Suggestions for ``text``: figures whose name (or a word of it) starts with it, then title words."""
        text = " ".join(text.split())
        if not text:
            return []
        folded = text.lower()
        names = self._names(folded)
        found = [{"text": n, "kind": "figure", "count": self.figures[n]} for n in names]
        head, _, last = folded.rpartition(" ")
        prefix = text[: len(text) - len(last)]
        for word in self._words(last, limit):
            found.append({"text": prefix + word, "kind": "word", "count": self.word_counts[word]})
        return found[:limit]

    def _names(self, folded):
        hits = set()
        first = folded.split(" ")[0]
        start = bisect.bisect_left(self.name_words, (first,))
        for word, name in self.name_words[start : start + 500]:
            if not word.startswith(first):
                break
            if name.lower().startswith(folded) or word.startswith(folded) or folded in name.lower():
                hits.add(name)
        return sorted(hits, key=lambda n: (-self.figures[n], n))[:MAX_SUGGESTIONS]

    def _words(self, prefix, limit):
        if len(prefix) < 2:
            return []
        start = bisect.bisect_left(self.words, prefix)
        matches = []
        for word in self.words[start : start + 2000]:
            if not word.startswith(prefix):
                break
            matches.append(word)
        return sorted(matches, key=lambda w: (-self.word_counts[w], w))[:limit]


def vocabulary(searcher) -> Vocabulary:
    """The vocabulary of a :class:`~search.searcher.Searcher`'s commit (built once, cached)."""
    return searcher.shared("vocabulary", lambda: _vocabulary(searcher.leaves), searcher.aliases.version)


def _vocabulary(leaves) -> Vocabulary:
    figures, words = collections.Counter(), collections.Counter()
    for leaf in leaves:
        facets = leaf.facets
        counts = np.bincount(facets.fig_ord, minlength=len(facets.names))
        figures.update({facets.names[ordinal]: int(counts[ordinal]) for ordinal in np.flatnonzero(counts)})
        words.update(leaf.title_words())
    return Vocabulary(figures, words)


def suggest(searcher, text: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    """Up to ``limit`` completions of ``text``: ``{text, kind ("figure" | "word"), count}``."""
    return vocabulary(searcher).complete(text, limit)
