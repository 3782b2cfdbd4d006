"""Train the German name tagger (``index/data/figures_de.crfsuite``) on GermEval 2014 dev; measure it by
cross-validation over articles.

Each article's text (as :mod:`bench.germeval` builds it) is cut into sentences and tokens exactly as
:func:`index.figures.features_de.sentences` cuts any text, and each token takes the outer GermEval tag of the
token it starts in (``PER``, ``LOC``, ``ORG``, ``OTH``; their ``deriv``/``part`` forms count as ``O``). A CRF is
trained on the features of :func:`index.figures.features_de.sentence_features` (L-BFGS, L1 + L2).

Reported (always the whole pipeline, ``find_figures(text, language="de")``, scored per article):

- **k-fold** (the number that counts): articles split into k folds by number; each fold is scored with a model
  trained on the other folds only;
- **held-out half**: trained on the even-numbered articles, scored on the odd ones (the split the hand-written
  rules kept: they were written looking at the even half only);
- **plain**: trained and scored on all articles (an upper bound, not an estimate).

The shipped model is trained on all of dev.

    .venv/bin/python -m bench.train_tagger_de               # all three, then write the model
    .venv/bin/python -m bench.train_tagger_de --no-write    # measure only

GermEval 2014 is CC BY 4.0 (Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for German, LREC 2014).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from pathlib import Path

from bench import germeval
from index.figures import features_de
from index.figures import tagger_de

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
DEV = CORPORA / "germeval2014-dev" / "dev.tsv"
FOLDS = 5
#: CRFsuite's training parameters: L1 and L2 penalties, L-BFGS iterations.
PARAMS = {"c1": 0.1, "c2": 0.1, "max_iterations": 150, "feature.possible_transitions": True}
KINDS = ("PER", "LOC", "ORG", "OTH")


def token_tags(article: germeval.Article) -> dict[int, str]:
    """The outer tag of every character offset that starts a GermEval token in the article's text."""
    tags, pos = {}, 0
    for sentence in article.sentences:
        for token, tag in sentence:
            at = article.text.index(token, pos)
            tags.update((at + i, tag if i == 0 else tag.replace("B-", "I-")) for i in range(len(token)))
            pos = at + len(token)
    return tags


def label(tag: str) -> str:
    """A GermEval tag as the model's label: ``B-``/``I-`` of the four kinds, else ``O``."""
    return tag if tag[2:] in KINDS else "O"


def sequences(article: germeval.Article):
    """(features, labels) of each sentence of one article, cut as the tagger cuts text."""
    tags = token_tags(article)
    found = list(features_de.sentences(article.text))
    view = features_de.article_view([[w for w, _ in s] for s in found])
    for sentence in found:
        words = [w for w, _ in sentence]
        yield features_de.sentence_features(words, view), [label(tags.get(at, "O")) for _, at in sentence]


def train(articles, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for article in articles:
        for features, labels in sequences(article):
            trainer.append(features, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


@contextlib.contextmanager
def using_model(path: Path):
    """Run the pipeline with the model at ``path`` instead of the shipped one."""
    shipped = tagger_de.MODEL_FILE
    tagger_de.MODEL_FILE = path
    tagger_de.reset()
    try:
        yield
    finally:
        tagger_de.MODEL_FILE = shipped
        tagger_de.reset()


def add(total: germeval.Score, score: germeval.Score) -> None:
    total.tp += score.tp
    total.fp += score.fp
    total.fn += score.fn


def trained_and_scored(train_on, score_on, folder: Path, name: str) -> germeval.Score:
    path = folder / f"{name}.crfsuite"
    train(train_on, path)
    with using_model(path):
        return germeval.scores(score_on)["all"]


def k_fold(articles, folder: Path, k: int = FOLDS) -> germeval.Score:
    total = germeval.Score()
    for fold in range(k):
        rest = [a for a in articles if a.number % k != fold]
        add(total, trained_and_scored(rest, [a for a in articles if a.number % k == fold], folder, f"fold{fold}"))
    return total


def line(name: str, s: germeval.Score) -> str:
    return f"{name:<12} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="measure only; leave the shipped model alone")
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--only", choices=("kfold", "held-out", "plain"), help="run one measurement only")
    args = parser.parse_args(argv)
    articles = germeval.read_articles(DEV)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only in (None, "kfold"):
            print(line(f"{args.folds}-fold", k_fold(articles, folder, args.folds)), flush=True)
        if args.only in (None, "held-out"):
            even = [a for a in articles if a.part == "tune"]
            odd = [a for a in articles if a.part == "held-out"]
            print(line("held-out", trained_and_scored(even, odd, folder, "even")), flush=True)
        if args.only in (None, "plain"):
            print(line("plain", trained_and_scored(articles, articles, folder, "all")), flush=True)
        if not args.no_write:
            train(articles, folder / "shipped.crfsuite")
            shutil.copy(folder / "shipped.crfsuite", tagger_de.MODEL_FILE)
            print(f"wrote {tagger_de.MODEL_FILE} ({tagger_de.MODEL_FILE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
