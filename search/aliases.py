"""Canonical figure names on the read side: the merges :mod:`index.aliases` stored with a generation.

Every figure is shown, counted and filtered under its canonical name; any stored spelling of it finds
the same articles.
"""

import collections
import json
from pathlib import Path

from index.store import ALIASES


class FigureAliases:
    """Canonical figure names: ``{variant: canonical}`` and back.

    :param version: changes whenever the mapping does (arrays built with it are keyed by it).
    """

    def __init__(self, mapping: dict, version: str = ""):
        self.mapping = mapping
        self.version = version
        self._variants = collections.defaultdict(set)
        for variant, canonical in mapping.items():
            self._variants[canonical].add(variant)

    def canonical(self, name: str) -> str:
        """The name a figure is shown, counted and filtered under."""
        return self.mapping.get(name, name)

    def variants(self, name: str) -> set:
        """Every stored spelling that stands for the same person as ``name``."""
        canonical = self.canonical(name)
        return {canonical} | self._variants.get(canonical, set())

    def names(self, names) -> list:
        """``names`` under their canonical names, each once, in order."""
        return list(dict.fromkeys(self.canonical(n) for n in names))


NO_ALIASES = FigureAliases({})


def read_aliases(gen: Path) -> FigureAliases:
    """The aliases stored with a generation (none when the file is absent or unreadable)."""
    path = Path(gen) / ALIASES
    try:
        stat = path.stat()
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return NO_ALIASES
    aliases = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(aliases, dict):
        return NO_ALIASES
    return FigureAliases(aliases, f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
