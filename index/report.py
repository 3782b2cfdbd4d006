"""What a reindex did, for its summary: counts, and the inputs it skipped or repaired (with why).

A run over millions of bad lines must not keep millions of reasons: :class:`Listing` counts every
entry but keeps only the first :data:`KEEP` (and counts per kind of reason, a bounded number of kinds).
"""

import collections
import dataclasses

#: Entries of a :class:`Listing` kept with their details (the CLI prints the first 50).
KEEP = 1000
#: Kinds of reason counted apart; past this many, further kinds are counted as "other".
KINDS = 100


class Listing:
    """Entries of one sort (skips, repairs): every one counted, the first ``keep`` kept.

    Reads like the list of kept entries (``len`` is the count of all of them).
    """

    def __init__(self, keep: int = KEEP):
        self.count = 0
        self.kept = []
        #: Entries per kind of reason (the reason up to its first colon).
        self.kinds = collections.Counter()
        self._keep = keep

    def add(self, entry) -> None:
        """Count ``entry`` (anything with a ``reason``) and keep it while fewer than ``keep`` are kept."""
        self.count += 1
        if len(self.kept) < self._keep:
            self.kept.append(entry)
        kind = entry.reason.split(":", 1)[0]
        if kind in self.kinds or len(self.kinds) < KINDS:
            self.kinds[kind] += 1
        else:
            self.kinds["other"] += 1

    def __len__(self):
        return self.count

    def __iter__(self):
        return iter(self.kept)

    def __getitem__(self, index):
        return self.kept[index]

    def __bool__(self):
        return bool(self.count)


@dataclasses.dataclass(frozen=True)
class Repaired:
    """An article indexed after a repair (see :mod:`index.hygiene`): which one, and what changed."""

    where: str
    reason: str


@dataclasses.dataclass
class ReindexReport:
    """What a reindex did; the CLI prints it as the summary."""

    mode: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    documents: int = 0
    #: Inputs that did not become articles (:class:`~index.extract.Skipped`: where, reason).
    skipped: Listing = dataclasses.field(default_factory=Listing)
    #: Articles indexed after a repair (:class:`Repaired`).
    repaired: Listing = dataclasses.field(default_factory=Listing)
    seconds: float = 0.0
    #: CPU seconds spent extracting, summed over the processes that extracted.
    extract_cpu_seconds: float = 0.0
    #: Seconds spent writing the index, summed over the processes that wrote (and the commit).
    write_seconds: float = 0.0
    generation: str = ""
    notes: list = dataclasses.field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the run changed the index."""
        return bool(self.added or self.updated or self.deleted)

    def note_repairs(self, article_id: str, repairs) -> None:
        """Record what the repair step changed in an article."""
        for what in repairs:
            self.repaired.add(Repaired(article_id, what))


class Progress:
    """Progress callbacks; the CLI passes one that draws a bar. This one does nothing."""

    def start(self, total: int) -> None:
        """``total`` articles are about to be looked at."""

    def advance(self, n: int = 1) -> None:
        """``n`` more articles were looked at."""
