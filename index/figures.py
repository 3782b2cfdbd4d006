"""Find the people named in a news article, one normalized display name per person.

Rules plus name lexicons; no model, no network, nothing heavy per call. The pipeline for one article:

1. **Unwrap** (`iter_blocks`): hard-wrapped lines (Reuters bodies break mid-sentence) are joined with a space when
   the line before is long and does not end a sentence, so a name split over a line break is one run again.
   Lines that are mostly upper case (headlines) are kept apart and read in *caps mode*.
2. **Runs** (`CAPITALISED_RUN`): one regex finds runs of capitalised words, initials ("D.D.", "D. D.") and the
   surname particles between them ("van der", "de").
3. **Segments** (`split_run`): each word of a run gets a class from the lexicons in `index/data/`: title
   ("Governor", "Mr"), royal title ("Pope", "Patriarch"), organisation or place word ("Council", "Region",
   "Armenia"), common word ("The", "Victory"), given name, surname, initial or unknown. Titles, organisation,
   place and common words cut the run into segments of name-like words.
4. **Decide** (`judge_segment`): a segment is a person when it is followed by no organisation word and has
   evidence: a known given name or initials in front, a title before it, or a cue around it ("said", "told").
   A lone word needs a title ("Mr Smith", "Pope Francis"); a lone word with no cue is kept only when it is the
   surname of a full name found in the same article, or the subject of a cue verb ("Peladeau said").
   In caps mode dictionary words are never names; a given name + surname pair counts, and a lone surname-like
   word only with a cue ("TREASURY'S BAKER", "VOLCKER SEES", "... - POEHL"). In headline-sized blocks
   (`find_headline_subjects`) a list of lone surnames before a plural cue verb ("NAKASONE, SUMITA AGREE"), a census
   surname that is no dictionary word before "TO" + a verb only people do ("REAGAN TO MEET", not "CHRYSLER TO
   BUY") and a hyphen-attached attribution ending the line ("... deficit -Stoltenberg") are people too.
   News text adds precision rules (each a general cue, no list of firms): a name is a **firm** when a corporate
   word follows it in its run ("Baker Hughes Inc", "Texaco Trading", "E.F. Hutton LBO Inc"), a Reuters ticker or
   "and Co" / a partnership chain ending in one follows ("EXXON <XON>", "Smith Barney, Harris Upham and Co"), a
   company-opening word, "X-based" or "<" precedes it ("Banque Paribas", "Dallas-based Sabine"), or a deal or
   employer cue surrounds it ("lead manager Morgan Stanley", "analyst with Merrill Lynch", "Goldman Sachs
   co-managed", "news agency Tanjug"); a firm once is a firm in the whole article, lone words of it included
   ("Kodak" after "Eastman Kodak Co") unless a full name there has that surname (`drop_firms`). Geographic and
   crude-grade words end non-person names ("Bass Strait", "Bonny Light"), so do place openers ("Santa Clara") and
   a following US state abbreviation ("Far Hills, N.J."); dictionary words the article also writes in lower case
   do not form names (`trim_common_words`: "General Agreement", "Reagan Bill", but "Bill Bradley"); a name led
   by a dictionary word needs a cue ("Credit Suisse"); dictionary-word labels before numbers are table rows;
   hyphenated titles are titles ("Rear-Admiral"); a long unlisted word one edit from a title or organisation word
   takes its class ("Secertary", "Adminstration") and one edit from another dictionary word cannot lead a name
   ("Athough Reagan"). On a by-eye audit of Reuters figures (`bench/figures_audit_reuters.tsv`) these raised
   article-weighted precision from 0.74 to 0.91.
5. **Normalize** (`normalize_mentions`): possessives go, ALL-CAPS becomes Title Case, initials are closed up
   ("D. D." -> "D.D."), middle names are dropped, surname particles stay ("Perez de Cuellar"); surname-only
   mentions join the full name with that surname; "D. Shostakovich" joins "Dmitri Shostakovich".

`FigureResolver` then merges variants across the corpus, conservatively: spellings of one name ("Dmitriy"/"Dmitry"),
initials to the dominant given name, and a surname alone ("Baker", from a headline-only story) to the full name that
clearly dominates that surname in the corpus ("James Baker"); `aliases()` gives variant -> canonical for the index.
On Reuters-21578 about two in three surname-only merges were person -> person and right before the firm rules;
most of the rest joined a firm misread as a person to the firm's full name ("Kodak" -> "Eastman Kodak"), and a few
join a firm or a place to a person of that name ("Fargo" -> "Wells Fargo", "Hesse" -> "Martha Hesse"). Which names
are firms across the whole corpus is not used: `find_figures` sees one article at a time.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_UP = "A-ZÀ-ÖØ-ÞĀ-ž"
_LOW = "a-zß-öø-ÿĀ-ž"
_PARTICLES = "van|von|der|den|de|del|della|dello|di|da|du|dos|das|la|le|bin|ibn|al|el|ter|ten|zu|y"
_ABBREVIATED_TITLES = "Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|Rev|Mme|Messrs|Jr|Sr|Maj|Adm|Cmdr"

# one capitalised word, an abbreviated title with its dot, or a group of initials
_NAME_WORD = (
    rf"(?:(?:{_ABBREVIATED_TITLES})\.|[{_UP}]\.(?:[ ]?[{_UP}]\.)*"
    rf"|(?:[{_UP}]['’])?[{_UP}][{_LOW}{_UP}]*(?:[-'’][{_UP}{_LOW}]+)*(?:['’]s?)?)"
)
CAPITALISED_RUN = re.compile(
    rf"(?<![\w.'’-]){_NAME_WORD}(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+)*{_NAME_WORD})*(?![\w'’-])"
)
INITIALS = re.compile(rf"^(?:[{_UP}]\.[ ]?)+$")
POSSESSIVE = re.compile(r"['’][sS]?$")
# verbs whose subject, right before them, is very often a person: "Peladeau said", "VOLCKER SEES"
CUE_VERBS = frozenset(
    "said says told tells added asked stated noted wrote explained announced argued commented insisted declared "
    "warned warns replied recalled stressed stresses urged urges concluded sees declined declines agreed agrees "
    "denied denies predicted predicts vowed vows expects expected welcomed welcomes calls wants forecasts rejects "
    "defends asks opposes supports backs pledges reaffirms repeats doubts meets visits resigns quits hopes "
    "believes thinks fears insists admits proposes criticizes criticises".split()
)
SPEECH_AFTER = re.compile(rf"^(?:,[^,.]{{0,60}},)?\s*(?:{'|'.join(sorted(CUE_VERBS))})\b")
APPOSITION_AFTER = re.compile(r"^,\s*(?:who|whose|a|an|the|aged|\d{2})\b")
CUE_BEFORE = re.compile(
    r"\b(?:president|chairman|chairwoman|minister|secretary|spokesman|spokeswoman|director|governor|senator|"
    r"analyst|economist|official|chief|executive|officer|leader|head|deputy|manager|coach|judge|ambassador|"
    r"said|says|told|by|according to|with|and|premier|chancellor|counsel|general|treasurer|commissioner|"
    r"mayor|vice|striker|midfielder|defender|goalkeeper|captain|champion|batsman|bowler|partner)\s*,?\s*$",
    re.IGNORECASE,
)
PATRONYMIC = re.compile(r"(?:ovich|evich|ich|ovna|evna|ichna|ogly|oglu|uly|kyzy)$", re.IGNORECASE)
COMPANY_ENDING = re.compile(r"(?:bank|corp|tech|soft|tel|com|co|air|gas|oil|ex|ix|ics)$", re.IGNORECASE)
CAPS_CUE_VERBS = CUE_VERBS | frozenset(("confident", "will", "has", "is", "sets", "cuts", "renews", "making", "meeting"))
ATTRIBUTION_BEFORE = re.compile(r"(?:^|\s)[-–—]\s*$")
PLACE_BEFORE = re.compile(r"\b(?:in|on|at|near|outside|inside|across)\s+$|[\"“”«]\s*$")
ROYAL_OF_PLACE = re.compile(
    rf"\b(Patriarch|Pope|King|Queen|Prince|Princess|Emperor|Empress|Sultan|Emir|Metropolitan|Archbishop)"
    rf"(?:\s+of(?:\s+(?:the|and|[{_UP}][{_LOW}]+))+)\s+([{_UP}][{_LOW}]+)\b(?![ \t]+[{_UP}])"
)
# plural cue verbs after a list of lone surnames: "NAKASONE, SUMITA AGREE"
LIST_CUE_VERBS = ("say agree decline deny urge warn see expect meet back reject oppose welcome discuss predict fear "
                  "doubt hope pledge vow insist stress criticise criticize dispute confirm").split()
_LIST_WORD = r"[A-Z][A-Za-z'’-]+"
SUBJECT_LIST = re.compile(
    rf"(?<![\w'’.-])({_LIST_WORD}(?:[ \t]*,[ \t]*{_LIST_WORD}|[ \t]+(?:and|AND|&)[ \t]+{_LIST_WORD})+)"
    rf"[ \t]+((?i:{'|'.join(LIST_CUE_VERBS)}))\b"
)
LIST_MEMBER = re.compile(rf"{_LIST_WORD}|&")
NAME_WORD_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+\Z")
# "REAGAN TO MEET": verbs whose subject is a person, not a firm (firms buy, sell, merge, issue, call bonds)
CAPS_INFINITIVE = re.compile(
    r"(?<![\w'’.-])([A-Z][A-Z]+)[ \t]+TO[ \t]+(?:MEET|VISIT|HOLD|ADDRESS|VETO|LOBBY|FIGHT|OPPOSE|DISCUSS|SEEK|"
    r"RESIGN|HEAD|TESTIFY|ATTEND|TOUR|SPEAK|RETIRE|NOMINATE|URGE|ASK|PROPOSE|ALLOW)\b"
)
HYPHEN_ATTRIBUTION = re.compile(rf"\s[-–—]([{_UP}][{_LOW}]+|[{_UP}]+)\s*$")
WRAP_MEDIAN_MIN = 35
WRAP_WIDTH_MAX = 90
CAPS_LINE_SHARE = 0.6
HEADLINE_MAX = 250
MISSPELT_MIN = 7  # shorter words one edit from a dictionary word are too often real surnames  # headline grammar (lists of subjects, infinitives) is read only in blocks this short

# word classes
TITLE, ROYAL, ORG, PLACE, COMMON, GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME = range(12)
# WORD: an English dictionary word ("Date"); WORD_SURNAME: a surname that is also one ("Baker")
NAME_CLASSES = frozenset({GIVEN, SURNAME, INITIAL, PARTICLE, UNKNOWN, WORD, WORD_SURNAME})
NAME_EVIDENCE = frozenset({GIVEN, SURNAME, UNKNOWN, WORD_SURNAME})
PARTICLE_WORDS = frozenset(_PARTICLES.split("|"))


def _read_words(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [w for line in lines for w in line.split("#", 1)[0].split()]


def _read_sections(path: Path) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current = sections.setdefault("", set())
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), set())
            else:
                current.update(w.lower() for w in line.split())
    return {name: frozenset(words) for name, words in sections.items()}


_SECTIONS = _read_sections(DATA_DIR / "lexicon.txt")
GIVEN_NAMES = frozenset(_read_words(DATA_DIR / "census_given.txt.gz")) | frozenset(
    w.lower() for w in _read_words(DATA_DIR / "given_extra.txt")
)
_SURNAMES_BY_FREQUENCY = _read_words(DATA_DIR / "census_surnames.txt.gz")
SURNAMES = frozenset(_SURNAMES_BY_FREQUENCY)
FREQUENT_SURNAMES = frozenset(_SURNAMES_BY_FREQUENCY[:5000])
ENGLISH_WORDS = frozenset(_read_words(DATA_DIR / "english_words.txt.gz"))
# word -> class, in order of precedence: the first class that lists a word wins
_FIXED_CLASSES = {}
for _cls, _section in ((PLACE, "place"), (ORG, "org"), (ORG, "corporate"), (ORG, "org_lead"), (COMMON, "common"),
                       (ROYAL, "royal"), (TITLE, "title")):
    _FIXED_CLASSES.update(dict.fromkeys(_SECTIONS[_section], _cls))
CORPORATE_WORDS = _SECTIONS["corporate"]
ORG_LEAD_WORDS = _SECTIONS["org_lead"]
# after a name, the marks of a company: a Reuters ticker ("EXXON <XON>"), "and Co", or a partnership chain
# ending in a corporate word ("Smith Barney, Harris Upham and Co", "Merrill Lynch, Pierce, Fenner and Smith Inc")
_CORP_ALT = "|".join(sorted(_SECTIONS["corporate"], key=len, reverse=True))
FIRM_AFTER = re.compile(
    rf"^(?:\s*<[A-Z][A-Z0-9.]*>"
    rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*)*\s*,?\s+(?:and|AND|&)\s+"
    rf"(?:[A-Z][\w'’-]*[ \t]+)*(?i:{_CORP_ALT})\b(?!-)"
    rf"|(?:\s*,\s*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*)*?)+[ \t]+(?i:{_CORP_ALT})\b(?!-))"
)
# Reuters puts company names in angle brackets ("<Chase Manhattan Bank>"); a name an analyst works "with" or "at",
# or one that leads, manages or underwrites a deal, is a firm ("analyst with Merrill Lynch", "lead manager Morgan
# Stanley said", "Goldman Sachs co-managed the deal", "Morgan Stanley analyst Walter Loeb", "Chase Manhattan bank")
FIRM_BEFORE = re.compile(
    r"(?:<|\b(?:(?:co-?)?lead[ -]manag(?:ers?|ed by)|co-?manag(?:ers?|ed by)|managed by|underwriters?|"
    r"underwritten(?: solely)? by|book-?runner|"
    r"brokerage(?: firm| house)?|brokers?|investment bank(?:er)?s?|(?:analyst|economist|strategist|trader|dealer)s?"
    r"\s+(?:with|at)|news agency|agency|newspaper|daily|weekly|magazine)\s*,?)\s*$",
    re.IGNORECASE,
)
# "Santa Clara, Calif.", "Far Hills, N.J.": a name followed by a US state abbreviation is a place
STATE_AFTER = re.compile(
    r"^,\s*(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|"
    r"Okla|Ore|Pa|Penn|Tenn|Tex|Va|Vt|Wash|Wis|Wyo|N\.[HJMYCD]|S\.[CD]|R\.I|W\.Va|D\.C)\.?(?![\w-])"
)
# a row label in a table: dictionary words followed by two numbers ("End Stocks  5,240    5,595")
NUMBERS_AFTER = re.compile(r"^\s*[\d.,()/-]*\d[\d.,()/-]*\s+[\d.,()/-]*\d")
FIRM_AFTER_WORDS = re.compile(
    r"^\s+(?:(?:co-?|lead[ -])?manag(?:ed|es|e)\b|underwr(?:ote|ites|iting)\b|"
    r"(?:[a-z]+\s+)?(?:analyst|economist|strategist)s?\b|"
    r"bank\b|brokerage\b|unit\b|subsidiary\b|index\b|industrials?\b)"
)


@dataclass(frozen=True)
class Mention:
    """One name as written, cleaned: its words, where it starts, and a royal title kept with a lone given name."""

    words: tuple[str, ...]
    start: int
    royal: str = ""


def find_figures(text: str, title: str = "") -> list[str]:
    """People named in one article, as normalized display names, one per person, in order of first mention."""
    full = f"{title}\n\n{text}" if title else text
    return normalize_mentions(find_mentions(full))


def find_mentions(text: str) -> list[Mention]:
    """Every person mention in `text`, in order, before merging."""
    strong: list[Mention] = []
    weak: list[Mention] = []
    article = Article(text)
    for offset, block, caps in iter_blocks(text):
        for run in CAPITALISED_RUN.finditer(block):
            judge_run(block, run, offset, caps, strong, weak, article)
        strong.extend(find_headline_subjects(block, offset, caps))
    strong.extend(find_royals_of_place(text))
    return drop_firms(strong + keep_known_surnames(weak, strong), article.firms)


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


def iter_blocks(text: str):
    """Yield (offset, block, caps): paragraphs of hard-wrapped text joined into one block, caps lines apart."""
    wrapped = is_hard_wrapped(text)
    pos = start = 0
    parts: list[str] = []
    for line in text.split("\n"):
        caps = is_caps_line(line)
        if parts and (caps or not line.strip() or not wrapped):
            yield start, " ".join(parts), False
            parts = []
        if caps:
            yield pos, line, True
        elif line.strip():
            start = pos if not parts else start
            parts.append(line)
        pos += len(line) + 1
    if parts:
        yield start, " ".join(parts), False


def is_hard_wrapped(text: str) -> bool:
    """True when most lines stop near one width, as in a wire story broken at ~70 characters."""
    lengths = sorted(len(line) for line in text.split("\n") if line.strip())
    if len(lengths) < 3:
        return False
    return lengths[len(lengths) // 2] >= WRAP_MEDIAN_MIN and lengths[-1 - len(lengths) // 10] <= WRAP_WIDTH_MAX


def is_caps_line(line: str) -> bool:
    """True for a line written mostly in capitals, like a Reuters headline."""
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 2:
        return bool(words) and len(words[0]) > 3 and words[0].isupper()
    upper = sum(1 for w in words if w.isupper())
    return upper >= CAPS_LINE_SHARE * len(words)


@lru_cache(maxsize=1 << 16)
def classify(word: str) -> int:
    """The class of one capitalised word (possessive already removed)."""
    low = word.lower()
    if low in PARTICLE_WORDS and word[0].islower():
        return PARTICLE
    fixed = _FIXED_CLASSES.get(low)
    if fixed is not None:
        return fixed
    if INITIALS.match(word):
        return INITIAL
    if "." in word:
        return _FIXED_CLASSES.get(low.rstrip("."), COMMON)
    if "-" in low:
        head, _, tail = low.rpartition("-")
        if tail == "based":  # "Dallas-based": never part of a name
            return COMMON
        if _FIXED_CLASSES.get(tail) == TITLE and _FIXED_CLASSES.get(head.split("-")[0]) in (TITLE, COMMON, None):
            return TITLE  # "Rear-Admiral", "Vice-President", "Lieutenant-Colonel"
    if low in GIVEN_NAMES:
        return GIVEN
    if low in SURNAMES:
        return WORD_SURNAME if low in ENGLISH_WORDS else SURNAME
    if low in ENGLISH_WORDS:
        return WORD
    return misspelt_class(low)


def misspelt_class(low: str) -> int:
    """A long word in no list that is one edit (a letter dropped, added, changed or two swapped) from a title or
    organisation word is a misspelling of it and takes its class ("Secertary", "Adminstration"); else UNKNOWN."""
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii():
        return UNKNOWN
    fixed = [_FIXED_CLASSES.get(w) for w in _one_edit_candidates(low) if w not in SURNAMES and w not in GIVEN_NAMES]
    return next((cls for cls in fixed if cls in (TITLE, ORG)), UNKNOWN)


@lru_cache(maxsize=1 << 14)
def is_misspelt_word(word: str) -> bool:
    """A long word in no list one edit from a dictionary word ("Athough"): not a given name when it leads a name."""
    low = word.lower()
    if len(low) < MISSPELT_MIN or not low.isalpha() or not low.isascii() or low in ENGLISH_WORDS:
        return False
    return any(w not in SURNAMES and w not in GIVEN_NAMES for w in _one_edit_candidates(low))


def _one_edit_candidates(low: str) -> list[str]:
    """Dictionary words one edit from ``low``: a letter too many, missing, changed, or two swapped.

    The edits of ``low`` are generated and looked up (about 55 look-ups per letter), which needs no
    index of the dictionary to be built first.
    """
    words = _misspelling_words()
    found = []
    for i in range(len(low)):
        head, tail = low[:i], low[i + 1 :]
        found.extend(w for w in (head + tail,) if w in words)
        if tail and low[i] != tail[0]:
            found.extend(w for w in (head + tail[0] + low[i] + tail[1:],) if w in words)
        found.extend(head + c + tail for c in _LETTERS if c != low[i] and head + c + tail in words)
    for i in range(len(low) + 1):
        found.extend(low[:i] + c + low[i:] for c in _LETTERS if low[:i] + c + low[i:] in words)
    return list(dict.fromkeys(found))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_substitution_or_swap(a: str, b: str) -> bool:
    """Equal-length words differing in one letter or in two adjacent letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and \
        a[diff[1]] == b[diff[0]]


@lru_cache(maxsize=1)
def _misspelling_words() -> frozenset[str]:
    """Dictionary and lexicon words long enough to be misspelt."""
    return frozenset(w for w in ENGLISH_WORDS | _FIXED_CLASSES.keys() if len(w) >= MISSPELT_MIN - 1 and w.isalpha())


def bare(word: str) -> str:
    """A word without its possessive ending: Matvienko's -> Matvienko."""
    return POSSESSIVE.sub("", word) if len(word) > 2 and word[-1] in "'’sS" else word


def split_words(run_text: str) -> list[str]:
    """Words of a run, with initials closed up ("D. D." -> "D.D."); possessives are kept."""
    words: list[str] = []
    for word in run_text.split():
        if words and INITIALS.match(word) and INITIALS.match(words[-1]):
            words[-1] += word
        else:
            words.append(word)
    return words


def judge_run(block: str, run: re.Match, offset: int, caps: bool, strong: list, weak: list,
              article: Article | None = None) -> None:
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
    article = article or Article("")
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
        if is_firm(context, bare_words[hi : hi + (1 if caps else 3)]):
            article.firms.add(tuple(fold(title_case(w)) for w in seg_words))
            continue
        if STATE_AFTER.match(context.after) or all(c in (WORD, WORD_SURNAME) for c in classes[lo:hi]) and \
                NUMBERS_AFTER.match(context.after):
            continue
        verdict = judge_segment(seg_words, classes[lo:hi], context, caps)
        if verdict:
            royal = title_case(bare_words[lo - 1]) if context.left == ROYAL and hi - lo == 1 else ""
            target = strong if verdict == 2 else weak
            target.append(Mention(seg_words, offset + run.start(), royal))


def is_firm(ctx: "Context", rest: list[str]) -> bool:
    """A name marked as a company: a corporate word after it ("Baker Hughes Inc", "Texaco Trading"), a ticker or
    "and Co" after it ("LASMO <LSML.L>", "Goldman Sachs and Co"), a company-opening word ("Banque Paribas") or
    "X-based" before it ("Dallas-based Sabine"), or angle brackets around it ("<Chase Manhattan Bank>")."""
    if any(w.lower() in CORPORATE_WORDS for w in rest):  # "E.F. Hutton LBO Inc"
        return True
    if ctx.left_word and (ctx.left_word.lower() in ORG_LEAD_WORDS or ctx.left_word.lower().endswith("-based")):
        return True
    return bool(FIRM_AFTER.match(ctx.after) or FIRM_AFTER_WORDS.match(ctx.after) or FIRM_BEFORE.search(ctx.before))


def trim_common_words(words: list[str], classes: list[int], lo: int, hi: int, article: Article) -> tuple[int, int]:
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


def mark_acronyms(words: list[str], classes: list[int]) -> None:
    """In mixed-case text an ALL-CAPS word is an acronym ("PSV", "CSTO"), unless a given name precedes it."""
    for i, word in enumerate(words):
        if len(word) > 1 and word.isupper() and classes[i] != INITIAL and (i == 0 or classes[i - 1] != GIVEN):
            classes[i] = COMMON


def mark_caps_words(words: list[str], classes: list[int]) -> None:
    """In an upper-case line dictionary words are not names, nor surnames that are also words ("SEES"),
    unless a given name, a title or a possessive comes before or a cue verb after ("TREASURY'S BAKER SAYS")."""
    for i, cls in enumerate(classes):
        if cls == WORD:
            classes[i] = COMMON
        elif cls == WORD_SURNAME and not (bare(words[i]).lower() in FREQUENT_SURNAMES and caps_surname_cue(words, classes, i)):
            classes[i] = COMMON


def caps_surname_cue(words: list[str], classes: list[int], i: int) -> bool:
    if i and (classes[i - 1] in (GIVEN, TITLE) or POSSESSIVE.search(words[i - 1])):
        return True
    return i + 1 < len(words) and bare(words[i + 1]).lower() in CAPS_CUE_VERBS


def mark_after_particles(classes: list[int]) -> None:
    """The word after a lower-case particle is a surname, whatever else it means ("de la Madrid"), unless the
    particle follows an organisation, place or common word ("Banque de France", "Cie Generale de ...")."""
    lead = None
    for i in range(1, len(classes)):
        if classes[i - 1] != PARTICLE:
            lead = classes[i - 1]
        elif classes[i] not in NAME_EVIDENCE and classes[i] != PARTICLE and lead not in (ORG, PLACE, COMMON):
            classes[i] = SURNAME


@dataclass(frozen=True)
class Context:
    """What surrounds a segment: the classes of its neighbours in the run and the text outside the run."""

    left: int | None
    right: int | None
    before: str
    after: str
    left_word: str
    right_word: str


def iter_segments(classes: list[int], words: list[str]):
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


def _trim_particles(classes: list[int], lo: int, hi: int):
    """Drop particles at the ends, and dictionary words in front of a given name ("Budget James Miller")."""
    while lo < hi and (classes[lo] == PARTICLE or _is_lead_word(classes, lo, hi)):
        lo += 1
    while hi > lo and classes[hi - 1] == PARTICLE:
        hi -= 1
    if hi > lo:
        yield lo, hi


def _is_lead_word(classes: list[int], lo: int, hi: int) -> bool:
    """A dictionary word that only leads into a given name: "Staff" in "Chief of Staff Howard Baker"."""
    return classes[lo] in (WORD, WORD_SURNAME) and lo + 2 < hi + 1 and GIVEN in classes[lo + 1 : hi - 1]


def judge_segment(words: tuple[str, ...], classes: list[int], ctx: Context, caps: bool) -> int:
    """0 = not a person, 1 = a person only if the article names them in full, 2 = a person."""
    if ctx.right in (ORG, PLACE) and classes[-1] != INITIAL:
        return 0
    if caps:
        return judge_caps_segment(words, classes, ctx)
    if len(words) == 1:
        return judge_single(words[0], classes[0], ctx)
    if classes[-1] == INITIAL or all(c == WORD for c in classes):  # "Exporting Countries"
        return 0
    if ctx.left in (TITLE, ROYAL) or has_cue(ctx):
        return 2
    if classes[0] in (GIVEN, INITIAL):
        return 0 if classes[-1] == WORD else 2
    if classes[0] in (WORD, WORD_SURNAME):  # with no cue, "Credit Suisse", "Loan Wheat" are not people
        return 0
    if len(classes) - classes.count(PARTICLE) > 3 or PLACE_BEFORE.search(ctx.before) or ctx.after[:1] in "\"”»":
        return 0
    return 2 if all(c in NAME_EVIDENCE or c == PARTICLE for c in classes) else 0


def has_cue(ctx: Context) -> bool:
    """A title or job word before, or a speech verb or apposition after."""
    return bool(CUE_BEFORE.search(ctx.before) or SPEECH_AFTER.match(ctx.after) or APPOSITION_AFTER.match(ctx.after))


def judge_single(word: str, cls: int, ctx: Context) -> int:
    """A lone word is a person after a title ("Mr Smith", "Pope Francis"), else only as a known surname."""
    if cls == INITIAL:
        return 0
    if ctx.left == ROYAL:
        return 2 if cls in (GIVEN, UNKNOWN) else 0
    if ctx.left == TITLE:
        return 0 if cls == WORD else 2  # "General Agreement": a dictionary word is no surname
    cued = SPEECH_AFTER.match(ctx.after) or ATTRIBUTION_BEFORE.search(ctx.before) and not ctx.after.strip()
    if cued and looks_like_surname(word, cls):
        return 2
    return 1


def looks_like_surname(word: str, cls: int) -> bool:
    """A lone word that could be a surname: no lexicon says otherwise, not an acronym or a company name."""
    if cls not in (SURNAME, UNKNOWN) or COMPANY_ENDING.search(word):
        return False
    return len(word) >= 5 or word.lower() in SURNAMES


def judge_caps_segment(words: tuple[str, ...], classes: list[int], ctx: Context) -> int:
    """In an upper-case line: a given name + surname pair, or a lone surname-like subject of a speech verb."""
    if len(words) >= 2:
        lexical = words[0].lower() in GIVEN_NAMES and (words[-1].lower() in SURNAMES or caps_cued(ctx))
        return 2 if lexical or ctx.left == TITLE and WORD_SURNAME not in classes else 1
    cued = ctx.left in (TITLE, ROYAL) or caps_cued(ctx) or POSSESSIVE.search(ctx.left_word)
    surname = looks_like_surname(words[0], classes[0]) or words[0].lower() in FREQUENT_SURNAMES
    return 2 if cued and surname else 1


def caps_cued(ctx: Context) -> bool:
    """A cue verb after ("VOLCKER SEES") or a headline attribution before ("... - BAKER")."""
    attributed = ATTRIBUTION_BEFORE.search(ctx.before) and not ctx.after.strip()
    return bool(attributed or ctx.right_word.lower() in CAPS_CUE_VERBS or bare(ctx.left_word).lower() in CUE_VERBS)


def find_headline_subjects(block: str, offset: int, caps: bool) -> list[Mention]:
    """In a headline-sized block, lone surnames that headline grammar marks as people: the subjects in a list before a plural cue verb
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
            bare(m.group()).lower() in SURNAMES for m in names
        ):
            start = offset + match.start(1)
            found.extend(Mention((title_case(bare(m.group())),), start + m.start()) for m in names)
    if caps:
        for match in CAPS_INFINITIVE.finditer(block):
            word = match.group(1)
            low = word.lower()
            if low in SURNAMES and low not in ENGLISH_WORDS and low not in _FIXED_CLASSES and len(low) > 3:
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
    if len(word) < 4 or word.isupper() or COMPANY_ENDING.search(word) or low[-1] == "s" and low[:-1] in ENGLISH_WORDS:
        return False
    cls = classify(word)
    return cls in (SURNAME, UNKNOWN) or cls == GIVEN and low in SURNAMES


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


def title_case(word: str) -> str:
    """MATVIENKO -> Matvienko, JEAN-CLAUDE -> Jean-Claude, O'BRIEN -> O'Brien; mixed case is left alone."""
    if not word.isupper() or INITIALS.match(word) or len(word) < 2:
        return word
    word = re.sub(r"[^\W\d_]+", lambda m: m.group()[0] + m.group()[1:].lower(), word)
    return word[:-1] + "s" if word.endswith(("'S", "’S")) else word


def fold(word: str) -> str:
    """Lower case, accents removed: the key two spellings of one word share."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass
class Person:
    """A person being assembled from mentions: given name or initials, surname, first position."""

    first: str
    last: str
    start: int
    royal: str = ""

    @property
    def display(self) -> str:
        if self.royal:
            return f"{self.royal} {self.first}"
        return f"{self.first} {self.last}" if self.first else self.last


def split_name(words: tuple[str, ...]) -> tuple[str, str]:
    """(given name or initials, surname) with middle names dropped and surname particles kept."""
    words = tuple(title_case(w) for w in words)
    if len(words) == 1:
        return "", words[0]
    for i in range(1, len(words) - 1):
        if words[i].lower() in PARTICLE_WORDS:
            lo = i - 1 if i > 1 and words[i] in PARTICLE_WORDS else i
            return words[0], " ".join(words[lo:])
    if len(words) > 2 and all(is_surname_part(w) for w in words[1:-1]):
        return words[0], " ".join(words[1:])
    return words[0], words[-1]


def is_surname_part(word: str) -> bool:
    """A middle word that belongs to a compound surname ("Anibal Cavaco Silva"), not a middle name."""
    return classify(word) in (UNKNOWN, SURNAME) and not PATRONYMIC.search(word) and "." not in word


def normalize_mentions(mentions: list[Mention] | list[str]) -> list[str]:
    """Merge mentions of one article into one display name per person, in order of first mention."""
    items = [Mention(tuple(bare(w) for w in split_words(m)), i) if isinstance(m, str) else m for i, m in enumerate(mentions)]
    items.sort(key=lambda m: m.start)
    people: list[Person] = []
    for mention in items:
        if mention.words:
            place_mention(mention, people)
    people.sort(key=lambda p: p.start)
    return list(dict.fromkeys(p.display for p in people))


def place_mention(mention: Mention, people: list[Person]) -> None:
    """Add a mention to the people of an article, joining the person it names if already there."""
    first, last = split_name(mention.words)
    if mention.royal:
        first, last = last, ""
    for person in people:
        if same_person(person, first, last, mention.royal):
            upgrade(person, first, last, mention.start)
            return
    people.append(Person(first, last, mention.start, mention.royal))
    if not first and not mention.royal:
        absorb_surname_only(people)


def same_person(person: Person, first: str, last: str, royal: str) -> bool:
    """True when (first, last) can name `person` within one article."""
    if royal or person.royal:
        return royal == person.royal and fold(first) == fold(person.first)
    if first and " " in person.last and fold(f"{first} {last}") == fold(person.last):
        return True
    if not same_surname(person.last, last):
        return False
    return not first or not person.first or compatible_given(person.first, first)


def same_surname(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return fa == fb or fa.endswith(" " + fb) or fb.endswith(" " + fa)


def compatible_given(a: str, b: str) -> bool:
    """'Dmitry' matches 'Dmitry' and 'D.'; 'D.D.' matches 'Dmitri'."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if INITIALS.match(a) or INITIALS.match(b):
        return fa[0] == fb[0]
    return False


def upgrade(person: Person, first: str, last: str, start: int) -> None:
    """Prefer the fuller form: a given name over initials or nothing, the longer surname."""
    if first and (not person.first or INITIALS.match(person.first) and not INITIALS.match(first)):
        person.first = first
    if len(last) > len(person.last) and person.last:
        person.last = last
    person.start = min(person.start, start)


def absorb_surname_only(people: list[Person]) -> None:
    """Surname-only people join the single full name with that surname, if one came before."""
    loner = people[-1]
    for person in people[:-1]:
        if person.first and not person.royal and same_surname(person.last, loner.last):
            person.start = min(person.start, loner.start)
            people.pop()
            return


def romanized_key(word: str) -> str:
    """A folded spelling key for cross-article merging: Dmitriy/Dmitry, Matviyenko/Matvienko."""
    key = re.sub(r"[^a-z]", "", fold(word))
    key = key.replace("iye", "ie").replace("yev", "ev")
    key = re.sub(r"iy$", "y", key)
    key = re.sub(r"(.)\1", r"\1", key)
    return key


class FigureResolver:
    """Corpus-level normalization: one canonical display name per person across articles.

    Feed every article's `find_figures()` list to `add()` first; then `resolve()` maps a name to its canonical form
    and `aliases()` lists every added name whose canonical form differs. Three merges, all conservative:

    - spellings of one (given name, surname) key join the most frequent spelling ("Dmitriy Vasilenko" ->
      "Dmitry Vasilenko"; the key folds accents and common romanization variants);
    - initials join the full given name that dominates that initial and surname ("D. Vasilenko" -> "Dmitry
      Vasilenko");
    - a surname-only name joins the full name that dominates that surname: the full name is in at least
      `min_full` lists and `share` of all full-name lists with that surname ("Baker" -> "James Baker" when James
      Baker is 85% of the full-name Bakers). The 2,000 most frequent US surnames need `common_min_full` lists,
      `common_share`, and a runner-up at most 1/`common_ratio` as frequent. Ties and near-ties never merge.

    Counts are of `add()` calls naming the person, i.e. articles. Decisions are computed once after the last
    `add()`, so resolving is a dictionary look-up.
    """

    def __init__(self, min_full: int = 3, share: float = 0.75, common_min_full: int = 10,
                 common_share: float = 0.8, common_ratio: float = 5.0) -> None:
        self.min_full = min_full
        self.share = share
        self.common_min_full = common_min_full
        self.common_share = common_share
        self.common_ratio = common_ratio
        self._keys: dict[str, tuple[str, str, str]] = {}
        self._spellings: dict[tuple[str, str, str], dict[str, int]] = {}
        self._canonical: dict[str, str] | None = None
        self._targets: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self._full: dict[str, dict[str, int]] = {}  # surname key -> given name key -> count

    def add(self, names: list[str]) -> None:
        """Count the names of one article (each name once per article, as `find_figures()` gives them)."""
        for name in names:
            self.add_count(name, 1)

    def add_count(self, name: str, articles: int) -> None:
        """Count ``name`` as named by ``articles`` more articles (what `add` does one article at a time)."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = self._key(name)
        counts = self._spellings.setdefault(key, {})
        counts[name] = counts.get(name, 0) + articles
        self._canonical = None

    def resolve(self, name: str) -> str:
        """The canonical display name for `name`; `name` itself when nothing merges it."""
        canonical = self._built().get(name)
        if canonical is not None:
            return canonical
        key = self._key(name)
        return self._best_spelling(self._target(key) or key, name)

    def aliases(self) -> dict[str, str]:
        """Variant -> canonical, for every added name whose canonical name differs."""
        return {name: canonical for name, canonical in self._built().items() if canonical != name}

    def _built(self) -> dict[str, str]:
        if self._canonical is None:
            self._targets = self._merge_targets()
            self._canonical = {name: self._best_spelling(self._targets.get(key, key), name)
                               for name, key in self._keys.items()}
        return self._canonical

    def _best_spelling(self, key: tuple[str, str, str], name: str) -> str:
        counts = self._spellings.get(key)
        if not counts:
            return name
        return max(counts.items(), key=lambda item: (item[1], item[0] == name, item[0]))[0]

    def _merge_targets(self) -> dict[tuple[str, str, str], tuple[str, str, str]]:
        """Surname-only and initial keys -> the full-name key they join."""
        self._full = {}
        for (first, last, _), counts in self._spellings.items():
            if first:
                self._full.setdefault(last, {})[first] = sum(counts.values())
        targets = {}
        for key in self._spellings:
            target = self._target(key)
            if target:
                targets[key] = target
        return targets

    def _target(self, key: tuple[str, str, str]) -> tuple[str, str, str] | None:
        first, last, _ = key
        firsts = self._full.get(last)
        if not firsts or len(first) > 1:
            return None
        if first:  # an initial: only full given names with that initial compete
            firsts = {f: n for f, n in firsts.items() if len(f) > 1 and f[0] == first}
        target = self._dominant(firsts, last)
        return (target, last, "") if target else None

    def _dominant(self, firsts: dict[str, int], last: str) -> str | None:
        if not firsts:
            return None
        ranked = sorted(firsts.items(), key=lambda item: -item[1])
        top, count = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0
        total = sum(firsts.values())
        if last in COMMON_SURNAMES:
            strong = count >= self.common_min_full and count >= self.common_share * total
            return top if strong and count >= self.common_ratio * runner_up else None
        return top if count >= self.min_full and count >= self.share * total and count > runner_up else None

    @staticmethod
    def _key(name: str) -> tuple[str, str, str]:
        """(given name key or initial, surname key, exact surname-only spelling key)."""
        words = name.split()
        if words and words[0] in ROYAL_DISPLAY:
            return "", "", fold(name)
        first, last = split_name(tuple(words)) if words else ("", "")
        first_key = romanized_key(first)[:1] if INITIALS.match(first or "x") else romanized_key(first)
        last_key = " ".join(romanized_key(w) for w in last.split())
        # one word alone is often a firm: only case, accents and hyphens may differ ("Phillips" is not "Philips")
        return first_key, last_key, "" if first_key else re.sub(r"[^a-z]", "", fold(last))


ROYAL_DISPLAY = frozenset(w.title() for w in _SECTIONS["royal"])
# the 2,000 most frequent US surnames: a surname-only mention joins a full name only on strong dominance
COMMON_SURNAMES = frozenset(romanized_key(w) for w in _SURNAMES_BY_FREQUENCY[:2000])
