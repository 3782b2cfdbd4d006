"""Names a news article shows as companies, and the article's own evidence about its words."""

from __future__ import annotations

from typing import TYPE_CHECKING

import re
from dataclasses import dataclass, field

from index.figures.lexicon import CORPORATE_WORDS, ENGLISH_WORDS, GIVEN, ORG_LEAD_WORDS, WORD, WORD_SURNAME, _SECTIONS
from index.figures.normalize import Mention, fold, title_case
from index.figures.patterns import FIRM_AFTER_WORDS, FIRM_BEFORE

if TYPE_CHECKING:
    from index.figures.detection import Context


# after a name, the marks of a company: a Reuters ticker ("EXXON <XON>"), "and Co", or a partnership chain
# ending in a corporate word ("Smith Barney, Harris Upham and Co", "Merrill Lynch, Pierce, Fenner and Smith Inc")
_CORP_ALT = "|".join(sorted(_SECTIONS["corporate"], key=len, reverse=True))
FIRM_AFTER = re.compile(
    rf"^(?:\s*<[A-Z][A-Z0-9.]*>"
    rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*)*\s*,?\s+(?:and|AND|&)\s+"
    rf"(?:[A-Z][\w'’-]*[ \t]+)*(?i:{_CORP_ALT})\b(?!-)"
    rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*?)+[ \t]+(?i:{_CORP_ALT})\b(?!-))"
)


@dataclass
class Article:
    """What one article tells about its words: those it writes in lower case, and the names it shows as firms."""

    text: str
    firms: set[tuple[str, ...]] = field(default_factory=set)
    _lower: dict[str, bool] = field(default_factory=dict)

    def common_here(self, word: str, cls: int) -> bool:
        """A dictionary word the article also writes in lower case ("Agreement", "Bill", "Reach", "Loan")."""
        if cls not in (WORD, WORD_SURNAME, GIVEN):
            return False
        low = word.lower()
        if low not in ENGLISH_WORDS:
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
    surnames = {fold(title_case(m.words[-1])) for m in mentions if len(m.words) > 1}  # "Ivan Boesky" by "Boesky and Co"
    kept = []
    for mention in mentions:
        key = tuple(fold(title_case(w)) for w in mention.words)
        if key in firms or len(key) == 1 and not mention.royal and key[0] in firm_words and key[0] not in surnames:
            continue
        kept.append(mention)
    return kept


def is_firm(ctx: "Context", rest: list[str]) -> bool:
    """A name marked as a company: a corporate word after it ("Baker Hughes Inc", "Texaco Trading"), a ticker or
    "and Co" after it ("LASMO <LSML.L>", "Goldman Sachs and Co"), a company-opening word ("Banque Paribas") or
    "X-based" before it ("Dallas-based Sabine"), or angle brackets around it ("<Chase Manhattan Bank>")."""
    if any(w.lower() in CORPORATE_WORDS for w in rest):  # "E.F. Hutton LBO Inc"
        return True
    if ctx.left_word and (ctx.left_word.lower() in ORG_LEAD_WORDS or ctx.left_word.lower().endswith("-based")):
        return True
    return bool(FIRM_AFTER.match(ctx.after) or FIRM_AFTER_WORDS.match(ctx.after) or FIRM_BEFORE.search(ctx.before))

