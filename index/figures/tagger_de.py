"""A sequence model that reads German text token by token and marks the words of people's names.

German capitalises every noun, so whether a capitalised word is a name depends on the words around it ("sagte
Müller", "die Müller-Milch") and on what is known of the word. A linear-chain CRF (CRFsuite, through
``python-crfsuite``, MIT) weighs that evidence (:mod:`features_de`) over whole sentences and tags each token
``B-``/``I-`` of a person (``PER``), place (``LOC``), organisation (``ORG``) or other name (``OTH``), or ``O``:
learning the other kinds of name helps tell them from people.

The model (``index/data/figures_de.crfsuite``) is trained by ``python -m bench.train_tagger_de`` on GermEval 2014
dev (CC BY 4.0, Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for German, LREC 2014), which also
measures it by cross-validation over articles. Without the model file or the package, :func:`people` returns
None and the hand-written rules (:mod:`rules_de`) decide alone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from index.figures.features_de import article_view
from index.figures.features_de import sentence_features
from index.figures.features_de import sentences
from index.figures.lexicon import DATA_DIR

MODEL_FILE = DATA_DIR / "figures_de.crfsuite"
#: Tokens after which a word stands where a sentence or a quotation starts (capitalised whatever it is).
OPENERS = frozenset('„“"»«:–-')

_local = threading.local()


@dataclass(frozen=True)
class Span:
    """A person's name the model found: its words, where it starts and ends in the text, the model's confidence
    (the lowest marginal probability of its tags), and whether it opens its sentence."""

    words: tuple[str, ...]
    start: int
    end: int
    confidence: float
    opens: bool = False


def tagger():
    """The trained model (a ``pycrfsuite.Tagger``: one per thread, as it keeps the last sentence tagged), or None
    without the model file or the package."""
    found = getattr(_local, "tagger", False)
    if found is False:
        found = _local.tagger = _open_model()
    return found


def _open_model():
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not MODEL_FILE.exists():
        return None
    model = pycrfsuite.Tagger()
    model.open(str(MODEL_FILE))
    return model


def reset() -> None:
    """Forget the model opened by this thread (after :data:`MODEL_FILE` changed)."""
    if hasattr(_local, "tagger"):
        del _local.tagger


def people(text: str) -> list[Span] | None:
    """People's names the model finds in German ``text``, in order, with its confidence in each; None without a
    model."""
    model = tagger()
    if model is None:
        return None
    found = list(sentences(text))
    view = article_view([[w for w, _ in s] for s in found])
    spans = []
    for sentence in found:
        labels = model.tag(sentence_features([w for w, _ in sentence], view))
        spans.extend(person_spans(model, sentence, labels))
    return spans


def person_spans(model, sentence, labels) -> list[Span]:
    """The ``PER`` spans of one sentence just tagged by ``model``."""
    spans, lo = [], None
    for i, label in enumerate([*labels, "O"]):
        if label == "I-PER" and not sentence[i][0][0].isalnum():
            label = "O"  # a name never runs over a bracket or a comma: "Laura ( Birthe Wolter )"
        elif label == "B-PER" and lo is not None and sentence[i][0][:1].isupper():
            label = "I-PER"  # one name cut in two: "Tayler | Jane Geddes" (two people stand apart: "und", ",")
        if lo is not None and label != "I-PER":
            confidence = min(model.marginal(labels[j], j) for j in range(lo, i))
            last, at = sentence[i - 1]
            spans.append(Span(tuple(w for w, _ in sentence[lo:i]), sentence[lo][1], at + len(last), confidence,
                              lo == 0 or sentence[lo - 1][0] in OPENERS))
            lo = None
        if label == "B-PER" or label == "I-PER" and lo is None:
            lo = i
    return spans
