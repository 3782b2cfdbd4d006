"""What HanTa (the Hanover Tagger's morphological model of German) guesses of a word, as tagger features.

HanTa (PyPI ``HanTa``, LGPL-3.0-or-later, a dependency: its model ships inside its package) analyses a word
into morphemes and gives each part of speech a probability (STTS tags: ``NE`` proper noun, ``NN`` common noun,
...). For a capitalised word no lexicon of ours knows, whether it reads as a proper noun ("Bubik", "Madoff") or
a common noun ("Heilpraktiker") is good evidence of a name; for a lower-case word its part of speech (verb,
article, preposition) tells what may stand next to a name. The analysis grows with the square of a word's
length, so only words up to :data:`NAME_MAX` (capitalised) or :data:`OTHER_MAX` letters (lower case, unless
HanTa knows the word by heart) are analysed; each word once per process.
"""

from __future__ import annotations

from functools import cache

#: The longest capitalised word analysed (longer ones are compound nouns far more often than names).
NAME_MAX = 14
#: The longest lower-case word analysed when HanTa has not stored it.
OTHER_MAX = 9
#: A log-probability above this means HanTa knows the word (seen in its training text), not guessed.
KNOWN_ABOVE = -20
#: Coarse parts of speech of the STTS tags (others keep their own tag).
COARSE = {"VV": "V", "VA": "V", "VM": "V", "ART": "ART", "APPR": "P", "APPRART": "P", "APPO": "P", "ADJ": "ADJ",
          "ADV": "ADV", "KON": "KON", "KOUS": "KON", "CARD": "CARD", "PPER": "PRON", "PRF": "PRON",
          "PPOS": "PRON", "PDS": "PRON", "PRELS": "PRON", "PIS": "PRON", "PTKZU": "ZU", "PTKNEG": "NEG"}


@cache
def hanta():
    """HanTa's German model (loaded once per process), or None when the package is missing."""
    try:
        from HanTa import HanoverTagger
    except ImportError:
        return None
    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


def proper_noun(word: str) -> list[str]:
    """Features of a capitalised word: HanTa's best tag, whether it knows the word, and whether it finds a proper
    noun likelier than a common noun."""
    model = hanta()
    if model is None or len(word) > NAME_MAX:
        return []
    tags = model.tag_word(word)
    if not tags:
        return []
    best, score = tags[0]
    found = [f"ht={best}"]
    if score > KNOWN_ABOVE:
        found.append("ht_known")
    scores = dict(tags)
    if "NE" in scores and "NN" in scores:
        found.append("ht_ne>nn" if scores["NE"] > scores["NN"] else "ht_nn>ne")
    return found


def part_of_speech(low: str) -> list[str]:
    """The coarse part of speech of a lower-case word (``pos=V``, ``pos=ART``, ...)."""
    model = hanta()
    if model is None or len(low) > OTHER_MAX and low not in getattr(model, "cache", ()):
        return []
    tags = model.tag_word(low)
    return [f"pos={coarse(tags[0][0])}"] if tags else []


def coarse(tag: str) -> str:
    head = tag.split("(")[0]
    return COARSE.get(head, COARSE.get(head[:2], head))
