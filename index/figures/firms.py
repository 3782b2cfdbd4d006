"""Names a news article shows as companies, and what the article itself tells about its words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from functools import cache

from index.figures.lexicon import GIVEN
from index.figures.lexicon import WORD
from index.figures.lexicon import WORD_SURNAME
from index.figures.lexicon import WordClass
from index.figures.lexicon import english
from index.figures.normalize import Mention
from index.figures.normalize import fold
from index.figures.normalize import title_case
from index.figures.patterns import FIRM_AFTER_WORDS
from index.figures.patterns import firm_before
from index.figures.segment import Context


#: Legal forms of a company, written after its name and a comma ("Petroleos de Venezuela, S.A.", "Apple, Inc.").
LEGAL_FORMS = ("inc", "corp", "co", "ltd", "plc", "llc", "sa", "ag", "nv", "bv", "gmbh", "spa", "srl", "sarl", "kk",
               "oy", "ab", "pty", "bhd")


@cache
def firm_after() -> re.Pattern:
    """After a name, the marks of a company: a Reuters ticker ("EXXON <XON>"), "and Co", a partnership chain
    ending in a corporate word ("Smith Barney, Harris Upham and Co", "Merrill Lynch, Pierce, Fenner and Smith Inc"),
    or a comma and a legal form, dotted or not ("Petroleos de Venezuela, S.A.")."""
    corporate = "|".join(sorted(english().sections["corporate"], key=len, reverse=True))
    legal = "|".join(r"\.?".join(form) + r"\.?" for form in sorted(LEGAL_FORMS, key=len, reverse=True))
    return re.compile(
        rf"^(?:\s*<[A-Z][A-Z0-9.]*>"
        rf"|\s*,\s*(?i:{legal})(?![\w-])"
        rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*)*\s*,?\s+(?:and|AND|&)\s+"
        rf"(?:[A-Z][\w'’-]*[ \t]+)*(?i:{corporate})\b(?!-(?![a-z]))"
        rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*?)+[ \t]+(?i:{corporate})\b(?!-))"
    )


@dataclass
class ArticleEvidence:
    """What one article tells about its words: those it writes in lower case, and the names it shows as firms."""

    text: str
    firms: set[tuple[str, ...]] = field(default_factory=set)
    _lower: dict[str, bool] = field(default_factory=dict)

    def common_here(self, word: str, cls: WordClass) -> bool:
        """A dictionary word the article also writes in lower case ("Agreement", "Bill", "Reach", "Loan")."""
        if cls not in (WORD, WORD_SURNAME, GIVEN):
            return False
        low = word.lower()
        if low not in english().words:
            return False
        found = self._lower.get(low)
        if found is None:
            found = self._lower[low] = has_word(self.text, low)
        return found


def has_word(text: str, word: str) -> bool:
    """`word` occurs in `text` as a whole word, exactly as written (case included)."""
    end = len(word)
    i = text.find(word)
    while i >= 0:
        if (not i or not text[i - 1].isalnum()) and (i + end >= len(text) or not text[i + end].isalnum()):
            return True
        i = text.find(word, i + 1)
    return False


def drop_firms(mentions: list[Mention], firms: set[tuple[str, ...]]) -> list[Mention]:
    """A name the article shows as a company once ("Goldman Sachs and Co", "EXXON <XON>") is a company in all its
    mentions there; a lone word of such a name is dropped too ("Kodak" after "Eastman Kodak Co", "Shearson" after
    "Shearson Lehman Brothers Inc"), unless it is the surname of a full name in the article ("Ivan Boesky")."""
    if not firms:
        return mentions
    firm_words = {word for name in firms for word in name}
    keys = [tuple(fold(title_case(w)) for w in mention.words) for mention in mentions]
    # "Ivan Boesky" by "Boesky and Co"; but not "Smith Barney", itself the firm, by a lone "Barney"
    surnames = {key[-1] for key in keys if len(key) > 1 and key not in firms}
    kept = []
    for mention, key in zip(mentions, keys):
        if key in firms or len(key) == 1 and not mention.royal and key[0] in firm_words and key[0] not in surnames:
            continue
        kept.append(mention)
    return kept


def is_firm(ctx: Context, rest: list[str]) -> bool:
    """A name marked as a company: a corporate word after it ("Baker Hughes Inc", "Texaco Trading"), a ticker or
    "and Co" after it ("LASMO <LSML.L>", "Goldman Sachs and Co"), a company-opening word ("Banque Paribas") or
    "X-based" before it ("Dallas-based Sabine"), or angle brackets around it ("<Chase Manhattan Bank>")."""
    if any(w.lower() in english().sections["corporate"] for w in rest):  # "E.F. Hutton LBO Inc"
        return True
    left = ctx.left_word.lower()
    if left and (left in english().sections["org_lead"] or left.endswith("-based")):
        return True
    return bool(firm_after().match(ctx.after) or FIRM_AFTER_WORDS.match(ctx.after) or firm_before(ctx.before))

