"""The weights that turn a German candidate's features into the probability that it names a person.

A logistic regression over the features :func:`candidate_features` computes (word
classes, cues, position; never a word's identity), trained by ``bench/train_figures_de.py`` on the even-numbered
articles of GermEval 2014 dev (CC BY 4.0, Benikova, Biemann, Reznicek: NoSta-D Named Entity Annotation for
German, LREC 2014); the odd-numbered ones stay held out for measuring. The weights are read on first use from
``index/data/figures_de_model.json``; without that file the hand-written rules decide alone.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache

from index.figures.candidates_de import Candidate
from index.figures.candidates_de import DATES_AFTER
from index.figures.candidates_de import is_cued
from index.figures.candidates_de import is_given
from index.figures.lexicon import DATA_DIR
from index.figures.lexicon import PARTICLE
from index.figures.lexicon import WordClass
from index.figures.lexicon import english
from index.figures.lexicon_de import german
from index.figures.lexicon_de import is_compound_noun
from index.figures.rules_de import AUX_AFTER
from index.figures.rules_de import DETERMINER_BEFORE
from index.figures.rules_de import PLACE_BEFORE_DE
from index.figures.rules_de import VERB_BEFORE
from index.figures.segment import Verdict


MODEL_FILE = DATA_DIR / "figures_de_model.json"


@cache
def model() -> dict | None:
    """``{"bias": b, "threshold": t, "weights": {feature: w}}``, or None when no model is shipped."""
    try:
        return json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def probability(features: dict[str, float]) -> float | None:
    """P(person) for one candidate's features; None without a model."""
    weights = model()
    if weights is None:
        return None
    table = weights["weights"]
    score = weights["bias"] + sum(table.get(name, 0.0) * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def threshold(rules_agree: bool) -> float:
    """The probability from which a candidate is taken for a person: lower when the hand-written rules say
    yes, higher when the model alone would add a name (the rules were written for precision on news pages)."""
    weights = model() or {}
    return weights.get("threshold_rules_agree" if rules_agree else "threshold", 0.5)


LOWER_AFTER = re.compile(r"^\s+[a-zäöüß]")
QUOTE_NEAR = re.compile(r"[\"“”„»«‚‘’]")


CLASS_NAMES = {c: c.name.lower() for c in WordClass}
NAME_SUFFIX = re.compile(r"(?:ski|sky|ska|ow|ov|ova|ev|eva|ic|ić|escu|ez|sen|son|mann|ner|ler|mayer|meier|berg|"
                         r"stein|ini|elli|etti|ino|akis|opoulos|yan|ian|ovich|enko|uk)$")
NOUN_SUFFIX = re.compile(r"(?:ung|heit|keit|schaft|tion|ität|ismus|nis|tum|chen|lein|ment|ie|ik|ur|ei|ade|age|"
                         r"ität|enz|anz|ling|ist|eur|ant|ent)$")


def candidate_features(c: Candidate, text: str, rule: Verdict) -> dict[str, float]:
    """The model's view of a candidate: classes, cues and position, as 0/1 features (no word identities)."""
    first, last = c.words[0], c.words[-1]
    low = last.lower()
    lex = german()
    names = [k for k in c.classes if k != PARTICLE]
    f = {f"n{min(len(names), 3)}": 1.0, f"rule_{rule.name.lower()}": 1.0,
         f"first_{CLASS_NAMES[names[0]]}": 1.0, f"last_{CLASS_NAMES[names[-1]]}": 1.0,
         f"left_{CLASS_NAMES[c.left] if c.left is not None else 'none'}": 1.0,
         f"right_{CLASS_NAMES[c.right] if c.right is not None else 'none'}": 1.0}
    flags = {
        "first_given": is_given(first, names[0]), "cued": is_cued(c.before, c.after),
        "dates_after": bool(DATES_AFTER.match(c.after)), "opens_sentence": c.opens_sentence,
        "determiner_before": bool(DETERMINER_BEFORE.search(c.before)),
        "place_before": bool(PLACE_BEFORE_DE.search(c.before)), "aux_after": bool(AUX_AFTER.match(c.after)),
        "verb_before": bool(VERB_BEFORE.search(c.before)), "lower_after": bool(LOWER_AFTER.match(c.after)),
        "comma_after": c.after.lstrip().startswith(","), "paren_after": c.after.lstrip().startswith("("),
        "comma_before": c.before.rstrip().endswith(","), "quote_near": bool(QUOTE_NEAR.search(c.before[-3:] +
                                                                                              c.after[:3])),
        "compound_last": is_compound_noun(low), "english_last": low in english().words,
        "long_last": len(last) >= 6, "short_last": len(last) <= 3, "surname_listed": low in lex.surnames,
        "given_listed": low in lex.given, "noun_listed": low in lex.nouns, "hyphen_last": "-" in last,
        "repeated_last": text.count(last) > 1, "name_suffix": bool(NAME_SUFFIX.search(low)),
        "noun_suffix": bool(NOUN_SUFFIX.search(low)), "inner_caps": not last[1:].islower(),
        "census_surname": low in english().surnames, "census_given_first": first.lower() in english().given,
        "frequent_surname": low in english().frequent_surnames,
    }
    f.update((name, 1.0) for name, on in flags.items() if on)
    return f
