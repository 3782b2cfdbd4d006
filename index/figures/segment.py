"""What one segment of a capitalised run is judged on (:class:`Context`), and the judgement (:class:`Verdict`)."""

from dataclasses import dataclass
from enum import IntEnum

from index.figures.lexicon import WordClass


class Verdict(IntEnum):
    """Is a segment a person? ``IF_NAMED_IN_FULL``: only when the article also names someone with that
    surname in full ("Peladeau" alone counts once "Pierre Peladeau" is there)."""

    NO = 0
    IF_NAMED_IN_FULL = 1
    YES = 2


@dataclass(frozen=True)
class Context:
    """What surrounds a segment: the classes of its neighbours in the run and the text outside the run."""

    left: WordClass | None
    right: WordClass | None
    before: str
    after: str
    left_word: str
    right_word: str
