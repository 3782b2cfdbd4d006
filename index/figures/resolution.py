"""Corpus-level normalization: one canonical display name per person across articles."""

from __future__ import annotations

import re
from functools import cache

from index.figures.lexicon import english
from index.figures.normalize import fold
from index.figures.normalize import split_name
from index.figures.patterns import INITIALS


def romanized_key(word: str) -> str:
    """A folded spelling key for cross-article merging: Dmitriy/Dmitry, Matviyenko/Matvienko."""
    key = re.sub(r"[^a-z]", "", fold(word))
    key = key.replace("iye", "ie").replace("yev", "ev")
    key = re.sub(r"iy$", "y", key)
    key = re.sub(r"(.)\1", r"\1", key)
    return key


class FigureResolver:
    """Corpus-level normalization: one canonical display name per person across articles.

    Feed every article's `find_figures()` list to `add()` first; then `resolve()` maps a name to its canonical form
    and `aliases()` lists every added name whose canonical form differs. Three merges, all conservative:

    - spellings of one (given name, surname) key join the most frequent spelling ("Dmitriy Vasilenko" ->
      "Dmitry Vasilenko"; the key folds accents and common romanization variants);
    - initials join the full given name that dominates that initial and surname ("D. Vasilenko" -> "Dmitry
      Vasilenko");
    - a surname-only name joins the full name that dominates that surname: the full name is in at least
      `min_full` lists and `share` of all full-name lists with that surname ("Baker" -> "James Baker" when James
      Baker is 85% of the full-name Bakers). The 2,000 most frequent US surnames need `common_min_full` lists,
      `common_share`, and a runner-up at most 1/`common_ratio` as frequent. Ties and near-ties never merge.

    Counts are of `add()` calls naming the person, i.e. articles. Decisions are computed once after the last
    `add()`, so resolving is a dictionary look-up.
    """

    def __init__(self, min_full: int = 3, share: float = 0.75, common_min_full: int = 10,
                 common_share: float = 0.8, common_ratio: float = 5.0) -> None:
        self.min_full = min_full
        self.share = share
        self.common_min_full = common_min_full
        self.common_share = common_share
        self.common_ratio = common_ratio
        self._keys: dict[str, tuple[str, str, str]] = {}
        self._spellings: dict[tuple[str, str, str], dict[str, int]] = {}
        self._canonical: dict[str, str] | None = None
        self._targets: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self._full: dict[str, dict[str, int]] = {}  # surname key -> given name key -> count

    def add(self, names: list[str]) -> None:
        """Count the names of one article (each name once per article, as `find_figures()` gives them)."""
        for name in names:
            self.add_count(name, 1)

    def add_count(self, name: str, articles: int) -> None:
        """Count ``name`` as named by ``articles`` more articles (what `add` does one article at a time)."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = self._key(name)
        counts = self._spellings.setdefault(key, {})
        counts[name] = counts.get(name, 0) + articles
        self._canonical = None

    def resolve(self, name: str) -> str:
        """The canonical display name for `name`; `name` itself when nothing merges it."""
        canonical = self._built().get(name)
        if canonical is not None:
            return canonical
        key = self._key(name)
        return self._best_spelling(self._target(key) or key, name)

    def aliases(self) -> dict[str, str]:
        """Variant -> canonical, for every added name whose canonical name differs."""
        return {name: canonical for name, canonical in self._built().items() if canonical != name}

    def _built(self) -> dict[str, str]:
        if self._canonical is None:
            self._targets = self._merge_targets()
            self._canonical = {name: self._best_spelling(self._targets.get(key, key), name)
                               for name, key in self._keys.items()}
        return self._canonical

    def _best_spelling(self, key: tuple[str, str, str], name: str) -> str:
        counts = self._spellings.get(key)
        if not counts:
            return name
        return max(counts.items(), key=lambda item: (item[1], item[0] == name, item[0]))[0]

    def _merge_targets(self) -> dict[tuple[str, str, str], tuple[str, str, str]]:
        """Surname-only and initial keys -> the full-name key they join."""
        self._full = {}
        for (first, last, _), counts in self._spellings.items():
            if first:
                self._full.setdefault(last, {})[first] = sum(counts.values())
        targets = {}
        for key in self._spellings:
            target = self._target(key)
            if target:
                targets[key] = target
        return targets

    def _target(self, key: tuple[str, str, str]) -> tuple[str, str, str] | None:
        first, last, _ = key
        firsts = self._full.get(last)
        if not firsts or len(first) > 1:
            return None
        if first:  # an initial: only full given names with that initial compete
            firsts = {f: n for f, n in firsts.items() if len(f) > 1 and f[0] == first}
        target = self._dominant(firsts, last)
        return (target, last, "") if target else None

    def _dominant(self, firsts: dict[str, int], last: str) -> str | None:
        if not firsts:
            return None
        ranked = sorted(firsts.items(), key=lambda item: -item[1])
        top, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        total = sum(firsts.values())
        if last in common_surnames():
            strong = count >= self.common_min_full and count >= self.common_share * total
            return top if strong and count >= self.common_ratio * runner_up else None
        return top if count >= self.min_full and count >= self.share * total and count > runner_up else None

    @staticmethod
    def _key(name: str) -> tuple[str, str, str]:
        """(given name key or initial, surname key, exact surname-only spelling key)."""
        words = name.split()
        if words and words[0] in royal_display():
            return "", "", fold(name)
        first, last = split_name(tuple(words)) if words else ("", "")
        first_key = romanized_key(first)[:1] if INITIALS.match(first or "x") else romanized_key(first)
        last_key = " ".join(romanized_key(w) for w in last.split())
        # one word alone is often a firm: only case, accents and hyphens may differ ("Phillips" is not "Philips")
        return first_key, last_key, "" if first_key else re.sub(r"[^a-z]", "", fold(last))



@cache
def royal_display() -> frozenset[str]:
    """Royal titles as a display name starts with them ("Pope Francis")."""
    return frozenset(w.title() for w in english().sections["royal"])


@cache
def common_surnames() -> frozenset[str]:
    """The 2,000 most frequent US surnames: a surname-only mention joins a full name only on strong dominance."""
    return frozenset(romanized_key(w) for w in english().surnames_by_frequency[:2000])
