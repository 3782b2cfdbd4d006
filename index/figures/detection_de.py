"""Person mentions in German text, where a capital letter marks every noun, not just names.

Each candidate (:mod:`candidates_de`) is judged by the hand-written rules (:mod:`rules_de`) and, where a model
is shipped, by a logistic regression over its features (:mod:`model_de`): a name the rules take is kept from a
low probability on, one they reject is added only from a high one. A lone word the model rejects still counts
when it is the surname of a person named in full in the same article, also in the genitive ("Merkels" after
"Angela Merkel"). Upper-case lines (headlines, shouted labels) are skipped.
"""

from __future__ import annotations

from index.figures import model_de
from index.figures.candidates_de import Candidate
from index.figures.candidates_de import candidates_de
from index.figures.normalize import Mention
from index.figures.normalize import fold
from index.figures.rules_de import judge_candidate
from index.figures.rules_de import opens_sentence_alone
from index.figures.rules_de import vetoed
from index.figures.segment import Verdict


def find_mentions_de(text: str) -> list[Mention]:
    """Every person mention in German ``text``, in order, before merging."""
    strong: list[Mention] = []
    weak: list[Mention] = []
    for candidate in candidates_de(text):
        verdict = decide(candidate, text)
        if verdict != Verdict.NO:
            target = strong if verdict == Verdict.YES else weak
            target.append(Mention(tuple(candidate.words), candidate.start))
    return strong + known_surnames(weak, strong)


def decide(candidate: Candidate, text: str) -> Verdict:
    """The model's verdict when a model is shipped (:mod:`model_de`), else the rules'."""
    if vetoed(candidate):
        return Verdict.NO
    if opens_sentence_alone(candidate):
        return Verdict.IF_NAMED_IN_FULL
    rule = judge_candidate(candidate)
    probability = model_de.probability(model_de.candidate_features(candidate, text, rule))
    if probability is None:
        return rule
    if probability >= model_de.threshold(rule == Verdict.YES):
        return Verdict.YES
    return Verdict.IF_NAMED_IN_FULL if len(candidate.words) == 1 else Verdict.NO


def known_surnames(weak: list[Mention], strong: list[Mention]) -> list[Mention]:
    """Weak (lone-word) mentions that are the surname of a strong mention, also in the genitive ("Merkels")."""
    known = {fold(m.words[-1]): m.words[-1] for m in strong}
    kept = []
    for mention in weak:
        word = mention.words[-1]
        key = fold(word)
        if key in known:
            kept.append(mention)
        elif key.endswith("s") and key[:-1] in known:
            kept.append(Mention((known[key[:-1]],), mention.start))
    return kept
