"""Person mentions in one article: capitalised runs cut into segments, each judged on its words and context."""

from __future__ import annotations

import re

from index.figures.blocks import iter_blocks
from index.figures.firms import ArticleEvidence
from index.figures.firms import drop_firms
from index.figures.firms import is_firm
from index.figures.headlines import find_headline_subjects
from index.figures.headlines import judge_caps_segment
from index.figures.headlines import mark_caps_words
from index.figures.lexicon import NAME_CLASSES
from index.figures.lexicon import NAME_EVIDENCE
from index.figures.lexicon import TITLE
from index.figures.lexicon import ROYAL
from index.figures.lexicon import ORG
from index.figures.lexicon import PLACE
from index.figures.lexicon import COMMON
from index.figures.lexicon import GIVEN
from index.figures.lexicon import SURNAME
from index.figures.lexicon import INITIAL
from index.figures.lexicon import PARTICLE
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import WORD
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import classify
from index.figures.lexicon import is_misspelt_word
from index.figures.lexicon import looks_like_surname
from index.figures.normalize import Mention
from index.figures.normalize import bare
from index.figures.normalize import fold
from index.figures.normalize import split_words
from index.figures.normalize import title_case
from index.figures.patterns import APPOSITION_AFTER
from index.figures.patterns import ATTRIBUTION_BEFORE
from index.figures.patterns import CAPITALISED_RUN
from index.figures.patterns import CUE_BEFORE
from index.figures.patterns import NUMBERS_AFTER
from index.figures.patterns import PLACE_BEFORE
from index.figures.patterns import POSSESSIVE
from index.figures.patterns import ROYAL_OF_PLACE
from index.figures.patterns import SPEECH_AFTER
from index.figures.patterns import STATE_AFTER
from index.figures.segment import Context
from index.figures.segment import Verdict


def find_mentions(text: str) -> list[Mention]:
    """Every person mention in `text`, in order, before merging."""
    strong: list[Mention] = []
    weak: list[Mention] = []
    article = ArticleEvidence(text)
    for offset, block, caps in iter_blocks(text):
        for run in CAPITALISED_RUN.finditer(block):
            judge_run(block, run, offset, caps, strong, weak, article)
        strong.extend(find_headline_subjects(block, offset, caps))
    strong.extend(find_royals_of_place(text))
    return drop_firms(strong + keep_known_surnames(weak, strong), article.firms)


def judge_run(block: str, run: re.Match, offset: int, caps: bool, strong: list, weak: list,
              article: ArticleEvidence | None = None) -> None:
    """Cut one capitalised run into segments and file each person-like segment as a strong or weak mention."""
    words = split_words(run.group())
    if caps:
        words = [title_case(w) for w in words]
    bare_words = [bare(w) for w in words]
    classes = [classify(w) for w in bare_words]
    if caps:
        mark_caps_words(words, classes)
    else:
        mark_acronyms(bare_words, classes)
    mark_after_particles(classes)
    before = block[max(0, run.start() - 40) : run.start()]
    after = block[run.end() : run.end() + 80]
    article = article or ArticleEvidence("")
    for lo, hi in iter_segments(classes, words):
        if not caps:
            while lo < hi and classes[lo] == UNKNOWN and is_misspelt_word(bare_words[lo]):
                lo += 1  # "Athough Reagan"
            lo, hi = trim_common_words(bare_words, classes, lo, hi, article)
            while lo < hi and classes[lo] == PARTICLE:
                lo += 1
            if lo >= hi:
                continue
        context = Context(
            classes[lo - 1] if lo else None,
            classes[hi] if hi < len(classes) and words[hi - 1] == bare_words[hi - 1] else None,
            before if lo == 0 else "",
            after if hi == len(words) else "",
            words[lo - 1] if lo else "",
            bare_words[hi] if hi < len(words) else after[:12],
        )
        seg_words = tuple(bare_words[lo:hi])
        if is_firm(context, bare_words[hi : hi + (1 if caps else 3)]) or affiliation(context.before, strong, weak):
            article.firms.add(tuple(fold(title_case(w)) for w in seg_words))
            continue
        if STATE_AFTER.match(context.after) or all(c in (WORD, WORD_SURNAME) for c in classes[lo:hi]) and \
                NUMBERS_AFTER.match(context.after):
            continue
        verdict = judge_segment(seg_words, classes[lo:hi], context, caps)
        if verdict != Verdict.NO:
            royal = title_case(bare_words[lo - 1]) if context.left == ROYAL and hi - lo == 1 else ""
            target = strong if verdict == Verdict.YES else weak
            target.append(Mention(seg_words, offset + run.start(), royal))


def affiliation(before: str, strong: list[Mention], weak: list[Mention]) -> bool:
    """The name right after a person's name and "of" is where that person works or comes from, not a second
    person ("said Vishnu Sharp of Goldman Sachs", "analyst Philip Fricke of Goldman Sachs"). ``before`` is the
    text before the run ("" for a segment that does not start it); the person is the mention found last."""
    if not before.endswith(" of ") or not (strong or weak):
        return False
    last = max(strong[-1:] + weak[-1:], key=lambda mention: mention.start)
    if last.words[-1] not in before:  # most often: no pattern to build for this name
        return False
    return bool(re.search(r"\b" + r"\s+".join(map(re.escape, last.words)) + r"\W{0,2}\s+of $", before))


def trim_common_words(words: list[str], classes: list[WordClass], lo: int, hi: int,
                      article: ArticleEvidence) -> tuple[int, int]:
    """Dictionary words the article also writes in lower case do not form names ("General Agreement", "Reagan
    Bill", "Loan Reach"): drop them from the front of a segment, and drop a segment that ends with one unless it
    is a census surname after a real given name ("John Major")."""
    while lo < hi and article.common_here(words[lo], classes[lo]):
        if classes[lo] == WORD_SURNAME and lo and classes[lo - 1] == TITLE:
            break  # "Secretary Baker"
        if classes[lo] == GIVEN and lo + 1 < hi and not article.common_here(words[lo + 1], classes[lo + 1]):
            break  # "Bill Bradley", "Mark Meyer": a given name before a surname
        lo += 1
    if lo < hi and article.common_here(words[hi - 1], classes[hi - 1]):
        surname_after_given = (classes[hi - 1] == WORD_SURNAME and hi - lo > 1 and classes[lo] == GIVEN)
        if not surname_after_given:
            return lo, lo
    return lo, hi


def mark_acronyms(words: list[str], classes: list[WordClass]) -> None:
    """In mixed-case text an ALL-CAPS word is an acronym ("PSV", "CSTO"), unless a given name precedes it."""
    for i, word in enumerate(words):
        if len(word) > 1 and word.isupper() and classes[i] != INITIAL and (i == 0 or classes[i - 1] != GIVEN):
            classes[i] = COMMON


def mark_after_particles(classes: list[WordClass]) -> None:
    """The word after a lower-case particle is a surname, whatever else it means ("de la Madrid"), unless the
    particle follows an organisation, place or common word ("Banque de France", "Cie Generale de ...")."""
    lead = None
    for i in range(1, len(classes)):
        if classes[i - 1] != PARTICLE:
            lead = classes[i - 1]
        elif classes[i] not in NAME_EVIDENCE and classes[i] != PARTICLE and lead not in (ORG, PLACE, COMMON):
            classes[i] = SURNAME


def iter_segments(classes: list[WordClass], words: list[str]):
    """Yield (lo, hi) for each maximal stretch of name-like words; a possessive word ends a stretch."""
    lo = None
    for i, cls in enumerate(classes + [COMMON]):
        if cls in NAME_CLASSES and lo is None:
            lo = i
        elif cls not in NAME_CLASSES and lo is not None:
            yield from _trim_particles(classes, lo, i)
            lo = None
        if lo is not None and POSSESSIVE.search(words[i]) and len(words[i]) > 2:
            yield from _trim_particles(classes, lo, i + 1)
            lo = None


def _trim_particles(classes: list[WordClass], lo: int, hi: int):
    """Drop particles at the ends, and dictionary words in front of a given name ("Budget James Miller")."""
    while lo < hi and (classes[lo] == PARTICLE or _is_lead_word(classes, lo, hi)):
        lo += 1
    while hi > lo and classes[hi - 1] == PARTICLE:
        hi -= 1
    if hi > lo:
        yield lo, hi


def _is_lead_word(classes: list[WordClass], lo: int, hi: int) -> bool:
    """A dictionary word that only leads into a given name: "Staff" in "Chief of Staff Howard Baker"."""
    return classes[lo] in (WORD, WORD_SURNAME) and lo + 2 < hi + 1 and GIVEN in classes[lo + 1 : hi - 1]


def judge_segment(words: tuple[str, ...], classes: list[WordClass], ctx: Context, caps: bool) -> Verdict:
    """Is this segment of a run a person?"""
    if ctx.right in (ORG, PLACE) and classes[-1] != INITIAL:
        return Verdict.NO
    if caps:
        return judge_caps_segment(words, classes, ctx)
    if len(words) == 1:
        return judge_single(words[0], classes[0], ctx)
    if classes[-1] == INITIAL or all(c == WORD for c in classes):  # "Exporting Countries"
        return Verdict.NO
    if ctx.left in (TITLE, ROYAL) or has_cue(ctx):
        return Verdict.YES
    if classes[0] in (GIVEN, INITIAL):
        return Verdict.NO if classes[-1] == WORD else Verdict.YES
    if classes[0] in (WORD, WORD_SURNAME):  # with no cue, "Credit Suisse", "Loan Wheat" are not people
        return Verdict.NO
    if len(classes) - classes.count(PARTICLE) > 3 or PLACE_BEFORE.search(ctx.before) or ctx.after[:1] in "\"”»":
        return Verdict.NO
    return Verdict.YES if all(c in NAME_EVIDENCE or c == PARTICLE for c in classes) else Verdict.NO


def has_cue(ctx: Context) -> bool:
    """A title or job word before, or a speech verb or apposition after."""
    return bool(CUE_BEFORE.search(ctx.before) or SPEECH_AFTER.match(ctx.after) or APPOSITION_AFTER.match(ctx.after))


def judge_single(word: str, cls: WordClass, ctx: Context) -> Verdict:
    """A lone word is a person after a title ("Mr Smith", "Pope Francis"), else only as a known surname."""
    if cls == INITIAL:
        return Verdict.NO
    if ctx.left == ROYAL:
        return Verdict.YES if cls in (GIVEN, UNKNOWN) else Verdict.NO
    if ctx.left == TITLE:
        return Verdict.NO if cls == WORD else Verdict.YES  # "General Agreement": a dictionary word is no surname
    cued = SPEECH_AFTER.match(ctx.after) or ATTRIBUTION_BEFORE.search(ctx.before) and not ctx.after.strip()
    if cued and looks_like_surname(word, cls):
        return Verdict.YES
    return Verdict.IF_NAMED_IN_FULL


def find_royals_of_place(text: str) -> list[Mention]:
    """ "Patriarch of Moscow and All Russia Kirill" -> Patriarch Kirill."""
    found = []
    for match in ROYAL_OF_PLACE.finditer(text):
        if classify(match.group(2)) in (GIVEN, UNKNOWN):
            found.append(Mention((match.group(2),), match.start(2), match.group(1)))
    return found


def keep_known_surnames(weak: list[Mention], strong: list[Mention]) -> list[Mention]:
    """Weak mentions count only when their last word is the surname of a strong multi-word mention."""
    known = {fold(m.words[-1]) for m in strong if len(m.words) > 1 or not m.royal}
    return [m for m in weak if fold(m.words[-1]) in known]

