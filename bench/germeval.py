"""GermEval 2014 (German NER) as articles with gold people, scored as its README in ../shared/corpora says.

Ten consecutive sentences make one article (title empty, body = the sentences, one a line, tokens joined by
spaces). The gold people of an article are its outer ``B-PER``/``I-PER`` spans. Names are compared folded (case,
accents, a trailing possessive: "'s", and in German the genitive "s", so "Merkels" is "Merkel"); a short form
("Merkel") matches a longer one ("Angela Merkel") with the same last word and a compatible first initial.
Precision, recall and F1 over (article, person) pairs.

**Held-out part.** Rules and lexicons were written looking only at the even-numbered articles ("tune"); the
odd-numbered ones ("held-out") were never read, only scored. :func:`scores` reports every part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from index.figures import find_figures
from index.figures import fold

SENTENCES_PER_ARTICLE = 10
POSSESSIVE = re.compile(r"['’`´]s?$")


@dataclass(frozen=True)
class Article:
    """One scored unit: its text, the gold people (outer PER spans, as written) and its sentences as
    (token, outer tag) pairs (the text is their tokens joined by spaces, one sentence a line)."""

    number: int
    text: str
    gold: tuple[str, ...]
    sentences: tuple = ()

    @property
    def part(self) -> str:
        return "tune" if self.number % 2 == 0 else "held-out"


def read_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """(token, outer tag) per token, one list per sentence."""
    sentences, sentence = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        cols = line.split("\t")
        if len(cols) >= 3 and not line.startswith("#"):
            sentence.append((cols[1], cols[2]))
        elif not line.strip() and sentence:
            sentences.append(sentence)
            sentence = []
    return sentences


def people(sentence: list[tuple[str, str]]) -> list[str]:
    """The outer PER spans of one sentence (BIO; PERderiv and PERpart are not people)."""
    spans: list[list[str]] = []
    inside = False
    for token, tag in sentence:
        if tag == "B-PER" or tag == "I-PER" and not inside:
            spans.append([token])
        elif tag == "I-PER":
            spans[-1].append(token)
        inside = tag in ("B-PER", "I-PER")
    return [" ".join(span) for span in spans]


def read_articles(path: Path) -> list[Article]:
    sentences = read_sentences(path)
    articles = []
    for number, lo in enumerate(range(0, len(sentences), SENTENCES_PER_ARTICLE)):
        chunk = sentences[lo : lo + SENTENCES_PER_ARTICLE]
        text = "\n".join(" ".join(token for token, _ in sentence) for sentence in chunk)
        gold = tuple(name for sentence in chunk for name in people(sentence))
        articles.append(Article(number, text, gold, tuple(tuple(s) for s in chunk)))
    return articles


def name_key(name: str) -> tuple[str, ...]:
    """Folded words of a name, a trailing possessive removed."""
    words = [POSSESSIVE.sub("", w) for w in fold(name).replace("-", " - ").split()]
    return tuple(w for w in words if w and w != "-")


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Equal, or one a short form of the other: same last word and a compatible first initial. A German
    genitive is a trailing possessive too: "Merkels" is "Merkel"."""
    if not a or not b:
        return False
    if a == b:
        return True
    if a[-1] != b[-1] and a[-1] + "s" != b[-1] and a[-1] != b[-1] + "s":
        return False
    return len(a) == 1 or len(b) == 1 or a[0][0] == b[0][0]


def distinct_people(names) -> list[tuple[str, ...]]:
    """One key per person: a short form joins a longer form of the same person already listed."""
    keys: list[tuple[str, ...]] = []
    for key in sorted({name_key(n) for n in names if name_key(n)}, key=len, reverse=True):
        if not any(same_person(key, other) for other in keys):
            keys.append(key)
    return keys


def match(predicted: list[str], gold: tuple[str, ...]) -> tuple[int, list, list]:
    """(true positives, unmatched predictions, unmatched gold people) for one article."""
    gold_keys = distinct_people(gold)
    missed = list(gold_keys)
    wrong = []
    for key in distinct_people(predicted):
        hit = next((g for g in missed if g == key), None) or next((g for g in missed if same_person(g, key)), None)
        if hit is None:
            wrong.append(key)
        else:
            missed.remove(hit)
    return len(gold_keys) - len(missed), wrong, missed


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / max(1e-9, p + r)


def scores(articles: list[Article], extract=None) -> dict[str, Score]:
    """Scores of ``extract(text) -> names`` (default: :func:`find_figures` on German text) over all
    articles and per part ("all", "tune", "held-out")."""
    extract = extract or (lambda text: find_figures(text, "", language="de"))
    result = {"all": Score(), "tune": Score(), "held-out": Score()}
    for article in articles:
        tp, wrong, missed = match(extract(article.text), article.gold)
        for part in ("all", article.part):
            result[part].tp += tp
            result[part].fp += len(wrong)
            result[part].fn += len(missed)
    return result


def errors(articles: list[Article], extract=None, part: str = "tune"):
    """Yield (article number, wrong predictions, missed gold) for the articles of one part (tuning only)."""
    extract = extract or (lambda text: find_figures(text, "", language="de"))
    for article in articles:
        if article.part == part:
            _, wrong, missed = match(extract(article.text), article.gold)
            if wrong or missed:
                yield article.number, [" ".join(k) for k in wrong], [" ".join(k) for k in missed]
