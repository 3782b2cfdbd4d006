"""Pseudo-relevance feedback: a long query's best first hits tell which words matter.

A question says what it is about in the reader's words; the articles that answer it say it in
theirs. After a first ranking, the best :attr:`~search.scoring.Weighting.feedback_docs` hits are read
(title and the start of the body, with the index's own analyzer) and each word is weighed by how much
more often it occurs there than in the whole index (Kullback–Leibler divergence, as in Carpineto et al.
2001: ``p·ln(p / p_index)``, where ``p`` is its share of the words read, each hit counting
``(score / best score) ** feedback_power``). The :attr:`~search.scoring.Weighting.feedback_terms` best
words that at least two of those hits hold become extra scoring units, weighted ``feedback × their
share of the best word's weight``. Query words get such a weight too (as in Rocchio's formula and RM3):
those the best hits are about count more, the others less.

Feedback re-orders the matches; it never adds or removes one (totals and facets are decided before
ranking). Its cost is bounded: a fixed number of hits, each read up to :data:`READ_CHARS`.
"""

import collections
import heapq
import math

from whoosh.analysis import STOP_WORDS

from index.analysis import MIN_SIZE
from index.analysis import WORD
from index.analysis import cached_stem
from index.analysis import lower_unaccented
from index.languages import RULES
from index.languages import language_field
from index.languages import words_language
from search.matching import check_deadline

#: Characters of an article read for feedback words (the beginning says what it is about).
READ_CHARS = 2_000
#: Fewest of the best hits a feedback word must be in (a word of one article says nothing general).
MIN_SEEN = 2
#: Fewest index documents a feedback word must be in.
MIN_DF = 2
#: Words weighed against the index: the ones most frequent in the best hits (bounds the look-ups).
CANDIDATES = 150


def feedback_units(searcher, ids, values, weighting) -> list:
    """Extra scoring units from the best hits of a first ranking (see the module docstring)."""
    from search.scoring import Unit
    from search.scoring import term_stats
    from search.scoring import top

    best = top(ids, values, weighting.feedback_docs)
    if not best or best[0][1] <= 0:
        return []
    weights, seen = _read(searcher, best, weighting.feedback_power)
    total = sum(weights.values()) or 1.0
    candidates = [(w, t) for t, w in weights.items() if len(t[1]) >= 3 and seen[t] >= MIN_SEEN]
    ranked, index_words = [], {}
    for weight, (language, token) in heapq.nlargest(CANDIDATES, candidates):
        body = language_field("body", language)
        if body not in index_words:
            index_words[body] = searcher.reader().field_length(body) or 1
        df, occurrences = term_stats(searcher, body, token)
        if df < MIN_DF:
            continue
        share = weight / total
        value = share * math.log(share * index_words[body] / (occurrences or 1))
        if value > 0:
            ranked.append((value, language, token))
    chosen = sorted(ranked, reverse=True)[: weighting.feedback_terms]
    if not chosen:
        return []
    strongest = chosen[0][0]
    return [Unit(tuple((language_field(field, language), (token,)) for field in ("title", "body")),
                 weighting.feedback * value / strongest)
            for value, language, token in chosen]


def words(text: str, language: str = "en") -> list:
    """The body analyzer's words of ``text`` (stems, stop words left out), in one light loop: the
    text is folded whole instead of word by word, which only a handful of rare letters tell apart.
    For a language of :mod:`index.languages`, its own words (as ``body_de`` holds them)."""
    if language != "en":
        rules = RULES[language]
        found = WORD.findall(text.lower())
        return [rules.term(w) for w in found if len(w) >= MIN_SIZE and w not in rules.stoplist]
    found = WORD.findall(lower_unaccented(text))
    return [cached_stem(w) for w in found if len(w) >= MIN_SIZE and w not in STOP_WORDS]


def _read(searcher, best, power):
    """Each word's weight over the best hits, and in how many of them it occurs (words are
    ``(language, term)``: each hit's words are analysed and looked up in its language's fields)."""
    weights, seen = collections.Counter(), collections.Counter()
    for docnum, score in best:
        check_deadline()
        fields = searcher.stored_fields(docnum)
        text = ((fields.get("title") or "") + "\n" + (fields.get("body") or ""))[:READ_CHARS]
        language = words_language(fields.get("language"))
        tokens = [(language, token) for token in words(text, language)]
        if not tokens:
            continue
        share = (score / best[0][1]) ** power / len(tokens)
        for token, count in collections.Counter(tokens).items():
            weights[token] += count * share
            seen[token] += 1
    return weights, seen
