"""What the German name tagger (:mod:`tagger_de`) sees of each token: sentences and tokens, and their features.

Every feature is general evidence, never a list of answers: the word itself (lower case), its shape ("Xx",
"X.", "dd") and affixes, what the lexicons of :mod:`lexicon_de` say of a capitalised word (noun, given name,
surname, place, title, function word, compound noun; its word class), what HanTa's morphological guesser
makes of a capitalised word the lexicons do not know (:mod:`morphology_de`: proper noun or common noun, known or
guessed) and the part of speech of a lower-case one, whether the article also writes the word in lower case or
repeats it, whether it opens the sentence, and the same of its neighbours (two tokens either side).

Training (``bench/train_tagger_de.py``) and tagging cut text with the same :func:`sentences`, so the model sees
at work the tokens it was trained on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.figures import morphology_de
from index.figures.blocks import iter_blocks
from index.figures.lexicon import english
from index.figures.lexicon_de import classify_de
from index.figures.lexicon_de import german
from index.figures.lexicon_de import is_compound_noun
from index.figures.lexicon_de import is_title

#: A token: initials and short abbreviations with their dots ("S.", "z.B."), a word (with inner hyphens,
#: apostrophes and dots, and a hyphen left open at its end: "Mecklenburg-"), a number, or one other character.
TOKEN = re.compile(r"(?:[^\W\d_]\.){1,3}(?!\w)|\w+(?:[-'’.]\w+)*-?|[^\w\s]")
#: Where a sentence may end inside a block: ".", "!" or "?", then spaces before an upper-case letter, a digit or
#: a quote ...
SENTENCE_END = re.compile(r"[.!?]\s+(?=[\"„“»«(]?[A-ZÄÖÜ0-9])")
#: ... unless the period closes an initial, an abbreviation or an ordinal number: "A. Wiegemann", "Dr. Meier",
#: "Chr. von Athen", "am 7. Mai".
NO_END_BEFORE = re.compile(r"(?:(?:^|[\s.(])[^\W\d_]|\b(?:Dr|Mr|Mrs|Ms|Nr|St|vs|ca|Jr|Sr|Hl|Chr|bzw|Prof|Abs|Bd|Jh|"
                           r"[0-9]{1,2}))\Z")
UPPER = re.compile(r"[A-ZÄÖÜÀ-ÞĀ-Ž]")
LOWER = re.compile(r"[a-zäöüßà-ÿā-ž]")
DIGIT = re.compile(r"\d")
REPEAT = re.compile(r"(.)\1+")
#: Features of a neighbour two tokens away (the nearer ones give all theirs).
FAR_NEIGHBOUR = ("w=", "sh=", "cls=", "pos=")
#: Features of the sentence's first token also taken in conjunction with that position.
FIRST_WORD = ("cls=", "ht=")


def sentences(text: str):
    """Yield the sentences of ``text`` as lists of ``(token, offset)``; upper-case lines are skipped."""
    for offset, block, caps in iter_blocks(text):
        if caps:
            continue
        for lo, hi in sentence_bounds(block):
            tokens = [(m.group(), offset + m.start()) for m in TOKEN.finditer(block, lo, hi)]
            if tokens:
                yield tokens


def sentence_bounds(block: str):
    """Yield (start, end) of each sentence of a block of text."""
    lo = 0
    for end in SENTENCE_END.finditer(block):
        if end.group()[0] != "." or not NO_END_BEFORE.search(block, lo, end.start()):
            yield lo, end.start() + 1
            lo = end.end()
    yield lo, len(block)


@dataclass
class ArticleView:
    """What the whole article says of its words: those it writes in lower case, and how often each capitalised
    word stands inside a sentence (not first)."""

    lower: set[str]
    inner_caps: dict[str, int]


def article_view(token_lists) -> ArticleView:
    lower: set[str] = set()
    inner: dict[str, int] = {}
    for tokens in token_lists:
        for i, word in enumerate(tokens):
            if word[:1].islower():
                lower.add(word.lower())
            elif i and word[:1].isupper():
                inner[word] = inner.get(word, 0) + 1
    return ArticleView(lower, inner)


def shape(word: str) -> str:
    """"Xx" for "Merkel", "X.X." for "U.S.", "dd" for "1949": letters and digits by kind, repeats shortened."""
    return REPEAT.sub(r"\1\1", DIGIT.sub("d", LOWER.sub("x", UPPER.sub("X", word))))


@lru_cache(maxsize=1 << 16)
def word_features(word: str) -> tuple[str, ...]:
    """The features of a word alone: itself, its shape, and what the lexicons say of a capitalised word or the
    part of speech of another."""
    low = word.lower()
    found = [f"w={low}", f"sh={shape(word)}"]
    if word[:1].isupper():
        found.extend(name_features(word, low))
    elif word[:1].isalpha():
        lex = german()
        found.extend(name for name, on in (("func", low in lex.function), ("speech", low in lex.speech),
                                           ("title", is_title(low))) if on)
        found.extend(morphology_de.part_of_speech(low))
    return tuple(found)


def name_features(word: str, low: str) -> list[str]:
    """What the lexicons and the morphological guesser say of a capitalised word."""
    lex, eng = german(), english()
    flags = (("noun", low in lex.nouns), ("given", low in lex.given), ("ggiven", low in lex.german_given),
             ("sur", low in lex.surnames), ("place", low in lex.places), ("town", low in lex.towns),
             ("func", low in lex.function),
             ("speech", low in lex.speech), ("org", low in lex.org), ("eng", low in eng.words),
             ("csur", low in eng.surnames), ("cgiven", low in eng.given), ("title", len(low) > 1 and is_title(low)),
             ("compound", len(low) >= 8 and low not in lex.nouns and is_compound_noun(low)))
    found = [name for name, on in flags if on]
    found.append(f"cls={classify_de(word).name}")
    if low not in lex.nouns and low not in lex.function and "compound" not in found:
        found.extend(morphology_de.proper_noun(word))
    if low.endswith("s") and len(low) > 4 and low not in lex.nouns and low not in eng.words:
        stem = low[:-1]  # a genitive: "Merkels", "Bushs", "Berlins"
        if stem in lex.places:
            found.append("genitive_place")
        elif stem in lex.surnames or stem in lex.given:
            found.append("genitive")
    return found


@lru_cache(maxsize=1 << 16)
def own_features(word: str) -> tuple[str, ...]:
    """A token's features of its own word: :func:`word_features` and affixes."""
    low = word.lower()
    return ("bias", *word_features(word), f"s3={low[-3:]}", f"s4={low[-4:]}", f"p3={low[:3]}")


@lru_cache(maxsize=1 << 16)
def neighbour_features(word: str, offset: int) -> tuple[str, ...]:
    """A word's features as a neighbour ``offset`` tokens away."""
    found = word_features(word)
    if abs(offset) > 1:
        found = tuple(f for f in found if f.startswith(FAR_NEIGHBOUR))
    return tuple(f"{offset}:{f}" for f in found)


def sentence_features(tokens: list[str], view: ArticleView) -> list[list[str]]:
    """The features of every token of one sentence."""
    n = len(tokens)
    out = []
    for i, word in enumerate(tokens):
        f = list(own_features(word))
        if word[:1].isupper():
            if word.lower() in view.lower:
                f.append("lowered")
            if view.inner_caps.get(word, 0) > 1:
                f.append("repeated")
        if i == 0:
            f.append("first")
            f.extend("first|" + x for x in own_features(word) if x.startswith(FIRST_WORD))
        for d in (-2, -1, 1, 2):
            f.extend(neighbour_features(tokens[i + d], d) if 0 <= i + d < n else (f"{d}:none",))
        out.append(f)
    return out
