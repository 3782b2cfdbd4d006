"""One deadline per request, and one budget of expanded words per query.

A request's work is cut into loops (a wildcard's walk over the index's words, one posting list per
expanded word, one scoring pass per word, one snippet per hit, one export row after another); each
loop calls :func:`check_deadline`, which raises :class:`TimeUp` once the running request is past its
deadline. The deadline is a context variable, so it follows the request through every module
without being passed along, and each thread (each request) has its own.

A search gets two windows of ``SEARCH_TIME_LIMIT`` seconds: matching must finish within the first
(past it, what was found so far is the answer, flagged ``timed_out``), and everything after
(ranking, snippets, facets) within the second; so a request holds a worker at most about twice the
limit, whatever the query. Exports have their own, longer limit (:data:`EXPORT_TIME_LIMIT`).

Wildcard, prefix and fuzzy words are also bounded in what they stand for: one word at most
:data:`MAX_EXPANSION` index words (more is a 400: the word says too little), and one query at most
:data:`MAX_EXPANDED` distinct ``(field, word)`` pairs in all (past it, further expansions are left
out and a warning says so).
"""

import contextlib
import contextvars
import time

#: Seconds a search may spend matching, and again on ranking and the page (``SEARCH_TIME_LIMIT``).
SEARCH_TIME_LIMIT = 3.0
#: When ranking and snippets must stop, in limits from the start of a search: the last part of the
#: second window is left for what always runs to the end (the page's hits, facets and co-mentions
#: from cached arrays, the JSON or HTML), so the whole request ends by twice the limit.
RANKED_BY = 1.8
#: Seconds an export (CSV, JSON Lines) may stream before it is cut with a last line saying so.
EXPORT_TIME_LIMIT = 60.0
#: Index words one wildcard, prefix or fuzzy word may stand for (in one field).
MAX_EXPANSION = 2000
#: Distinct ``(field, index word)`` pairs all the wildcard, prefix and fuzzy words of a query may
#: stand for together.
MAX_EXPANDED = 6000


class TimeUp(Exception):
    """The query ran past its time limit"""


#: When the running request must stop (a ``time.monotonic()`` value), or None for no limit.
DEADLINE = contextvars.ContextVar("deadline", default=None)
#: The running query's :class:`ExpansionBudget`, or None for no budget.
BUDGET = contextvars.ContextVar("expansion_budget", default=None)


def check_deadline() -> None:
    """Raise :class:`TimeUp` when the running request is past its deadline."""
    deadline = DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeUp(TimeUp.__doc__)


@contextlib.contextmanager
def within(seconds: float | None, until: float | None = None, replace: bool = False):
    """Run the block under a deadline ``seconds`` from now (or at ``until``, a monotonic time);
    never later than a deadline already running unless ``replace`` (an export's own, longer limit).
    None for both adds no limit."""
    ends = [t for t in (None if replace else DEADLINE.get(), until,
                        time.monotonic() + seconds if seconds is not None else None) if t is not None]
    token = DEADLINE.set(min(ends) if ends else None)
    try:
        yield
    finally:
        DEADLINE.reset(token)


def postpone(seconds: float) -> None:
    """Move the running request's deadline ``seconds`` later (time it spent waiting for what every
    search reads to be built at start, not on its own work)."""
    deadline = DEADLINE.get()
    if deadline is not None and seconds > 0:
        DEADLINE.set(deadline + seconds)


class ExpansionBudget:
    """How many more distinct ``(field, word)`` pairs the query's patterns may stand for."""

    def __init__(self, total: int | None = None):
        self.total = MAX_EXPANDED if total is None else total
        self.seen = set()
        #: The pattern words that were cut short by the budget (as typed, e.g. ``oil~2``).
        self.cut = []

    def admit(self, field: str, terms: list, word: str) -> list:
        """The first of ``terms`` that fit in the budget (those seen before always do)."""
        kept = []
        for term in terms:
            if (field, term) not in self.seen:
                if len(self.seen) >= self.total:
                    if word not in self.cut:
                        self.cut.append(word)
                    continue
                self.seen.add((field, term))
            kept.append(term)
        return kept

    def warning(self) -> str | None:
        if not self.cut:
            return None
        return (f"the query's wildcard and fuzzy words stand for more than {self.total:,} index words "
                f"in all; the rest were left out for {', '.join(self.cut[:10])}")


@contextlib.contextmanager
def expansion_budget(total: int | None = None):
    """Run the block with a fresh :class:`ExpansionBudget` (yielded), unless one is running."""
    running = BUDGET.get()
    if running is not None:
        yield running
        return
    budget = ExpansionBudget(total)
    token = BUDGET.set(budget)
    try:
        yield budget
    finally:
        BUDGET.reset(token)


def admit(field: str, terms: list, word: str) -> list:
    """``terms`` as far as the running query's budget allows (all of them without a budget)."""
    budget = BUDGET.get()
    return budget.admit(field, terms, word) if budget is not None else terms
