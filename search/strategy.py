"""How many of a query's words an article must hold: all of them, or — when that finds few — most.

A query's top-level clauses (:class:`search.query.Clause`) are required ones (``+word``, a written
AND), excluded ones (``-word``, NOT) and plain words or phrases. Required and excluded clauses always
apply. Plain words are first all required: the rule ``all``, what a keyword search has always meant.
When that finds fewer than :func:`few` articles, the search relaxes in steps, best first:

1. question and function words (:data:`search.query.FILLER_WORDS`) stop counting;
2. then at least ``k`` of the remaining words, ``k`` going down one by one,

and stops at the first step that finds :func:`few` articles or more (or at one word). "Few" is 1 for
a query of up to :data:`KEYWORD_WORDS` words — a keyword search that finds anything keeps exactly
what it found — and :data:`FEW` for longer ones (sentences, questions, pasted text). Filters count:
the step is chosen on the articles that also pass the figure, date and source filters, and the
totals, facets and exports then count exactly what that step matched.

Work is bounded, not length: a query searches with at most :data:`search.query.MAX_WORDS` distinct
plain words, the most specific ones (the fewest articles in the index hold them; words the index
does not know come after those it knows; ties in the order typed); the others are named in a
warning.
"""

import dataclasses

import numpy as np
from whoosh import query as wq

from search.matching import AtLeast
from search.matching import check_deadline
from search.matching import doc_set
from search.matching import match_counts
from search.query import MAX_WORDS
from search.spelling import tolerate_typos

#: Longest query (in plain words) whose "all words" result is kept whenever it finds anything.
KEYWORD_WORDS = 3
#: A longer query relaxes until it finds at least this many articles (chosen with
#: bench/relevance_tuning.py).
FEW = 200
#: Words left out of a long query that its warning names.
LISTED = 20
#: Ranking weight of question and function words (against 1 for other words).
FILLER_WEIGHT = 0.0
#: A word typed n times weighs n ** REPEAT_EXPONENT in the ranking (chosen with bench/relevance.py).
REPEAT_EXPONENT = 0.5


def few(words: int) -> int:
    """Fewest articles a query of ``words`` plain words should find before it relaxes."""
    return 1 if words <= KEYWORD_WORDS else FEW


@dataclasses.dataclass(frozen=True)
class Rule:
    """Which articles a query matched: ``all`` its plain words, or ``most`` (``required`` of them,
    ``ignored`` words not counted)."""

    name: str
    required: int
    of: int
    ignored: tuple = ()
    all_found: int = 0

    def to_json(self) -> dict:
        return {"rule": self.name, "required": self.required, "of": self.of,
                "ignored": list(self.ignored), "notice": self.warning()}

    def warning(self) -> str | None:
        if self.name == "all":
            return None
        if self.all_found:
            has = f"Only {self.all_found:,} {'article has' if self.all_found == 1 else 'articles have'}"
        else:
            has = "No article has"
        ignored = f" ({', '.join(self.ignored)} not counted)" if self.ignored else ""
        return f"{has} all {self.of} words; showing articles with at least {self.required}{ignored}"


@dataclasses.dataclass
class Plan:
    """The clauses a query searches with, typo-widened, sorted by role."""

    required: list
    excluded: list
    content: list
    filler: list
    words: tuple  # how the plain clauses were typed: content first, then filler
    widened: tuple = ()
    warnings: tuple = ()

    @property
    def size(self) -> int:
        return len(self.content) + len(self.filler)


@dataclasses.dataclass
class Counts:
    """One segment's answer to a plan: documents passing the required and excluded clauses, and how
    many content and filler clauses each document matches."""

    fixed: np.ndarray
    content: np.ndarray
    filler: np.ndarray


def plan(parsed, searcher) -> Plan:
    """The clauses of ``parsed`` to search with: at most :data:`MAX_WORDS` plain ones (the most
    specific), each widened to near spellings when the index does not know it."""
    should = [c for c in parsed.clauses if c.role == "should"]
    kept, warnings = _most_specific(should, searcher), []
    if len(kept) < len(should):
        left = [c.words for c in should if c not in kept]
        more = f" and {len(left) - LISTED:,} more" if len(left) > LISTED else ""
        warnings.append(f"searched with the {len(kept)} most specific of {len(should)} words; "
                        f"left out: {', '.join(left[:LISTED])}{more}")
    if all(c.filler for c in kept):  # only question words: they are what is sought
        kept = [dataclasses.replace(c, filler=False) for c in kept]
    widened, parts = [], {"required": [], "excluded": [], "content": [], "filler": []}
    for clause in [c for c in parsed.clauses if c.role != "should"] + kept:
        query, notes = tolerate_typos(clause.query, searcher, parsed.text)
        widened.extend(notes)
        role = clause.role if clause.role != "should" else "filler" if clause.filler else "content"
        weight = FILLER_WEIGHT if role == "filler" else clause.repeats ** REPEAT_EXPONENT
        parts[role].append(query.with_boost(weight) if weight != 1 else query)
    words = tuple(c.words for c in kept if not c.filler) + tuple(c.words for c in kept if c.filler)
    return Plan(**parts, words=words, widened=tuple(widened), warnings=tuple(warnings))


def _most_specific(should, searcher) -> list:
    if len(should) <= MAX_WORDS:
        return should

    def frequency(clause):
        df = max((searcher.doc_frequency(f, t) for f, t in _terms(clause.query)), default=0)
        return (df == 0, df)

    order = sorted(range(len(should)), key=lambda i: (frequency(should[i]), i))
    chosen = sorted(order[:MAX_WORDS])
    return [should[i] for i in chosen]


def _terms(query):
    leaves = [query] if query.is_leaf() else query.leaves()
    for leaf in leaves:
        if isinstance(leaf, wq.Term):
            yield leaf.fieldname, leaf.text
        elif isinstance(leaf, wq.Phrase) and leaf.words:
            yield leaf.fieldname, leaf.words[0]


def segment_counts(p: Plan, leaf) -> Counts:
    """How the documents of one segment (a :class:`~search.searcher.Leaf`) answer the plan."""
    fixed = np.full(leaf.size, bool(p.required or p.excluded or p.size))  # no words: nothing matches
    for q in p.required:
        fixed &= doc_set(q, leaf)
    for q in p.excluded:
        fixed &= ~doc_set(q, leaf)
    return Counts(fixed, match_counts(p.content, leaf), match_counts(p.filler, leaf))


def choose(p: Plan, answers) -> Rule:
    """The first rule, strictest first, that finds :func:`few` articles among ``answers``.

    :param answers: ``(Counts, filter mask)`` per segment (the mask: articles passing the filters).
    """
    n, m = p.size, len(p.content)
    histogram = np.zeros(m + 1, dtype=np.int64)
    all_found = 0
    for counts, allowed in answers:
        check_deadline()
        inside = counts.fixed & allowed
        histogram += np.bincount(counts.content[inside], minlength=m + 1)[: m + 1]
        all_found += int(np.count_nonzero(inside & (counts.content == m)
                                          & (counts.filler == len(p.filler))))
    enough = few(n)
    if n <= 1 or all_found >= enough:
        return Rule("all", n, n, all_found=all_found)
    ignored = tuple(p.words[m:])
    at_least = np.cumsum(histogram[::-1])[::-1]  # at_least[k]: articles with k or more content words
    steps = [k for k in range(m, 0, -1) if k < m or ignored]
    for k in steps:
        if at_least[k] >= enough:
            return Rule("most", k, n, ignored, all_found)
    if steps and at_least[1] > all_found:
        return Rule("most", 1, n, ignored, all_found)
    return Rule("all", n, n, all_found=all_found)


def rule_mask(p: Plan, counts: Counts, rule: Rule) -> np.ndarray:
    """The documents of a segment that ``rule`` matches."""
    if rule.name == "all":
        return counts.fixed & (counts.content == len(p.content)) & (counts.filler == len(p.filler))
    return counts.fixed & (counts.content >= rule.required)


def rule_query(p: Plan, rule: Rule) -> wq.Query:
    """The query that ran under ``rule`` (shown as ``interpreted_as``, used for ranking)."""
    if rule.name == "all":
        should = p.content + p.filler
    elif rule.required == len(p.content):
        should = list(p.content)
    else:
        should = [AtLeast(p.content, minmatch=rule.required)]
    parts = p.required + should + [wq.Not(q) for q in p.excluded]
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else wq.And(parts)


def warnings(parsed, p: Plan | None, rule: Rule | None) -> tuple:
    """What a reader should know about how the query ran: its syntax, words left out, relaxing."""
    if parsed is None:
        return ()
    found = list(parsed.warnings) + list(p.warnings if p is not None else ())
    if rule is not None and rule.warning():
        found.append(rule.warning())
    return tuple(found)
