"""Filter values as the index knows them: a figure or source a user typed, matched to one it holds.

A filter value that names nothing would silently give 0 hits. Before a search runs, each ``figure``
and ``source`` value is looked up: an exact name is kept; otherwise a name equal to it with case,
accents and spacing ignored is taken when there is exactly one, and a lone surname is taken when one
figure has it. Whatever was changed, or could not be matched, or is ambiguous (``figure=Baker`` when
the index names James Baker and Howard Baker) is said in a :class:`FilterNote`, which the search
response lists among its ``warnings``. A value that matches nothing is kept as given (0 hits, said so).
"""

import collections
import dataclasses
import unicodedata

from search import facets as fc

#: Alternatives named in a note about an ambiguous value.
MAX_CHOICES = 8


#: How a filter value was matched, as the note says it.
HOW = {
    "same": "",
    "folded": " (case and accents ignored)",
    "surname": " (the only figure with that surname)",
    "alias": " (the index counts them as one figure)",
}


@dataclasses.dataclass(frozen=True)
class FilterNote:
    """What became of one filter value: ``used`` (None when nothing matched), ``how`` (a key of
    :data:`HOW`) and the other ``choices`` it could have meant."""

    param: str
    given: str
    used: str | None
    how: str = "same"
    choices: tuple = ()

    @property
    def message(self) -> str:
        others = ", ".join(self.choices)
        if self.used is None:
            if self.choices:
                return f"{self.param} '{self.given}' is ambiguous: it could be {others}; choose one"
            return f"no article has the {self.param} '{self.given}'"
        if self.used == self.given:
            text = f"{self.param} '{self.given}' is a name of its own in this index"
        else:
            text = f"{self.param} '{self.given}' taken as '{self.used}'{HOW[self.how]}"
        return text + (f"; other figures named {self.given}: {others}" if self.choices else "")


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A request with its filter values as the index holds them, and what was said about them."""

    request: object
    notes: tuple = ()

    @property
    def warnings(self) -> tuple:
        return tuple(note.message for note in self.notes)


def resolve(searcher, req) -> Resolved:
    """``req`` with its ``figure`` and ``source`` values matched to names the index holds."""
    if not req.figures and not req.sources:
        return Resolved(req)
    names = searcher.shared("filter_names", lambda: _Names(searcher))
    notes, figures, sources = [], [], []
    for given in req.figures:
        figures.append(_one(names.figure(given, searcher.aliases), given, notes))
    for given in req.sources:
        sources.append(_one(names.source(given), given, notes))
    changed = req.replace(figures=tuple(dict.fromkeys(figures)), sources=tuple(dict.fromkeys(sources)))
    return Resolved(changed, tuple(notes))


def _one(note, given, notes) -> str:
    if note is None:
        return given
    notes.append(note)
    return note.used or given


class _Names:
    """The figure and source names of one commit, looked up exactly and folded."""

    def __init__(self, searcher):
        all_facets = [leaf.facets for leaf in searcher.leaves]
        table = fc.figure_table(searcher.cache, all_facets) if all_facets else None
        self.figures = set(table.names) if table else set()
        self.sources = set().union(*(f.sources for f in all_facets)) - {""} if all_facets else set()
        self.folded_figures = _by_fold(self.figures | set(searcher.aliases.mapping), searcher.aliases)
        self.surnames = collections.defaultdict(set)
        for name in self.figures:
            self.surnames[_fold(name.split()[-1])].add(name)
        self.folded_sources = _by_fold(self.sources)

    @property
    def nbytes(self) -> int:
        return 300 * (len(self.figures) + len(self.sources))

    def figure(self, given: str, aliases) -> FilterNote | None:
        """None when ``given`` is a figure's own name (and no other figure has it as surname); else a
        note on what it was taken as."""
        shared = self.surnames.get(_fold(given), set()) if len(given.split()) == 1 else set()
        canonical = aliases.canonical(given)
        if given in self.figures:
            used, how = given, "same"
        elif canonical != given and canonical in self.figures:
            used, how = canonical, "alias"
        else:
            found = self.folded_figures.get(_fold(given), set())
            if len(found) != 1 and (found or len(shared) != 1):
                return FilterNote("figure", given, None, "", _choices(found or shared))
            used, how = (next(iter(found)), "folded") if found else (next(iter(shared)), "surname")
        others = _choices(shared - {used})
        if how == "same" and not others:
            return None
        return FilterNote("figure", given, used, how, others)

    def source(self, given: str) -> FilterNote | None:
        if given in self.sources:
            return None
        found = self.folded_sources.get(_fold(given), set())
        if len(found) == 1:
            return FilterNote("source", given, next(iter(found)), "folded")
        return FilterNote("source", given, None, "", _choices(found))


def _choices(names) -> tuple:
    return tuple(sorted(names))[:MAX_CHOICES]


def _by_fold(names, aliases=None) -> dict:
    """``{folded name: {canonical names}}``."""
    found = collections.defaultdict(set)
    for name in names:
        found[_fold(name)].add(aliases.canonical(name) if aliases else name)
    return found


def _fold(text: str) -> str:
    """Lower case, without accents, single spaces: how two spellings of a name are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
