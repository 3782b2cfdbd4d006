"""Upper-case headline lines and headline grammar: where a lone surname is a person in a headline."""

from __future__ import annotations

from index.figures.lexicon import TITLE
from index.figures.lexicon import ROYAL
from index.figures.lexicon import COMMON
from index.figures.lexicon import GIVEN
from index.figures.lexicon import SURNAME
from index.figures.lexicon import UNKNOWN
from index.figures.lexicon import WORD
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import classify
from index.figures.lexicon import english
from index.figures.lexicon import looks_like_surname
from index.figures.normalize import Mention
from index.figures.normalize import bare
from index.figures.normalize import title_case
from index.figures.patterns import ATTRIBUTION_BEFORE
from index.figures.patterns import CAPS_CUE_VERBS
from index.figures.patterns import CAPS_INFINITIVE
from index.figures.patterns import COMPANY_ENDING
from index.figures.patterns import CUE_VERBS
from index.figures.patterns import HEADLINE_MAX
from index.figures.patterns import HYPHEN_ATTRIBUTION
from index.figures.patterns import LIST_MEMBER
from index.figures.patterns import NAME_WORD_BEFORE
from index.figures.patterns import POSSESSIVE
from index.figures.patterns import SUBJECT_LIST
from index.figures.segment import Context
from index.figures.segment import Verdict


def mark_caps_words(words: list[str], classes: list[WordClass]) -> None:
    """In an upper-case line dictionary words are not names, nor surnames that are also words ("SEES"),
    unless a given name, a title or a possessive comes before or a cue verb after ("TREASURY'S BAKER SAYS")."""
    for i, cls in enumerate(classes):
        if cls == WORD:
            classes[i] = COMMON
        elif cls == WORD_SURNAME:
            frequent = bare(words[i]).lower() in english().frequent_surnames
            if not (frequent and caps_surname_cue(words, classes, i)):
                classes[i] = COMMON


def caps_surname_cue(words: list[str], classes: list[WordClass], i: int) -> bool:
    if i and (classes[i - 1] in (GIVEN, TITLE) or POSSESSIVE.search(words[i - 1])):
        return True
    return i + 1 < len(words) and bare(words[i + 1]).lower() in CAPS_CUE_VERBS


def judge_caps_segment(words: tuple[str, ...], classes: list[WordClass], ctx: Context) -> Verdict:
    """In an upper-case line: a given name + surname pair, or a lone surname-like subject of a speech verb."""
    if len(words) >= 2:
        lexical = words[0].lower() in english().given and (words[-1].lower() in english().surnames or caps_cued(ctx))
        return Verdict.YES if lexical or ctx.left == TITLE and WORD_SURNAME not in classes else Verdict.IF_NAMED_IN_FULL
    cued = ctx.left in (TITLE, ROYAL) or caps_cued(ctx) or POSSESSIVE.search(ctx.left_word)
    surname = looks_like_surname(words[0], classes[0]) or words[0].lower() in english().frequent_surnames
    return Verdict.YES if cued and surname else Verdict.IF_NAMED_IN_FULL


def caps_cued(ctx: Context) -> bool:
    """A cue verb after ("VOLCKER SEES") or a headline attribution before ("... - BAKER")."""
    attributed = ATTRIBUTION_BEFORE.search(ctx.before) and not ctx.after.strip()
    return bool(attributed or ctx.right_word.lower() in CAPS_CUE_VERBS or bare(ctx.left_word).lower() in CUE_VERBS)


def find_headline_subjects(block: str, offset: int, caps: bool) -> list[Mention]:
    """In a headline-sized block, lone surnames that headline grammar marks as people: the subjects in a list
    before a plural cue verb
    ("NAKASONE, SUMITA AGREE", "Lawson and Stoltenberg decline"), a caps-line infinitive with a verb only people
    do ("REAGAN TO MEET"), and a hyphen-attached attribution ending a line ("... deficit -Stoltenberg")."""
    found: list[Mention] = []
    if len(block) > HEADLINE_MAX:
        return found
    for match in SUBJECT_LIST.finditer(block):
        if match.group(1).isupper() != match.group(2).isupper():
            continue
        names = [m for m in LIST_MEMBER.finditer(match.group(1)) if m.group().lower() not in ("and", "&")]
        while names and not listed_surname(names[0].group(), caps):  # "MEETING CONCLUDES, LAWSON, ..."
            names.pop(0)
        if names and NAME_WORD_BEFORE.search(block, 0, match.start(1) + names[0].start()):
            continue  # the first member ends a longer name: "New Brunswick and Newfoundland oppose"
        if len(names) > 1 and all(listed_surname(m.group(), caps) for m in names) and any(
            bare(m.group()).lower() in english().surnames for m in names
        ):
            start = offset + match.start(1)
            found.extend(Mention((title_case(bare(m.group())),), start + m.start()) for m in names)
    if caps:
        for match in CAPS_INFINITIVE.finditer(block):
            word = match.group(1)
            low = word.lower()
            if low in english().surnames and low not in english().words and low not in english().fixed and len(low) > 3:
                found.append(Mention((title_case(word),), offset + match.start(1)))
    match = HYPHEN_ATTRIBUTION.search(block)
    if match and looks_like_surname(match.group(1), classify(title_case(match.group(1)))):
        found.append(Mention((title_case(match.group(1)),), offset + match.start(1)))
    return found


def listed_surname(word: str, caps: bool) -> bool:
    """A list member that can be a lone surname: no dictionary word or plural of one ("Arbitrageurs"), no place,
    organisation or common word, no acronym or company-like ending."""
    word = title_case(bare(word)) if caps else bare(word)
    low = word.lower()
    if len(word) < 4 or word.isupper() or COMPANY_ENDING.search(word) or low[-1] == "s" and low[:-1] in english().words:
        return False
    cls = classify(word)
    return cls in (SURNAME, UNKNOWN) or cls == GIVEN and low in english().surnames

