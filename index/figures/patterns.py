"""Regular expressions and cue words for finding names in running text (no data files needed)."""

import re


_UP = "A-ZÀ-ÖØ-ÞĀ-ž"
_LOW = "a-zß-öø-ÿĀ-ž"
PARTICLES = "van|von|der|den|de|del|della|dello|di|da|du|dos|das|la|le|bin|ibn|al|el|ter|ten|zu|y"
_ABBREVIATED_TITLES = "Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|Rev|Mme|Messrs|Jr|Sr|Maj|Adm|Cmdr"

# one capitalised word, an abbreviated title with its dot, or a group of initials
_NAME_WORD = (
    rf"(?:(?:{_ABBREVIATED_TITLES})\.|[{_UP}]\.(?:[ ]?[{_UP}]\.)*"
    rf"|(?:[{_UP}]['’])?[{_UP}][{_LOW}{_UP}]*(?:[-'’][{_UP}{_LOW}]+)*(?:['’]s?)?)"
)
# (Every name word starts with a capital: the lookahead first lets the many places that hold none fail
# at once, ~40% of this pattern's time. The same for ROYAL_OF_PLACE.)
CAPITALISED_RUN = re.compile(
    rf"(?=[{_UP}])(?<![\w.'’-]){_NAME_WORD}(?:[ \t]+(?:(?:{PARTICLES})[ \t]+)*{_NAME_WORD})*(?![\w'’-])"
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
CAPS_CUE_VERBS = CUE_VERBS | frozenset(
    ("confident", "will", "has", "is", "sets", "cuts", "renews", "making", "meeting"))
ATTRIBUTION_BEFORE = re.compile(r"(?:^|\s)[-–—]\s*$")
PLACE_BEFORE = re.compile(r"\b(?:in|on|at|near|outside|inside|across)\s+$|[\"“”«]\s*$")
ROYAL_OF_PLACE = re.compile(
    rf"(?=[PKQESMA])\b(Patriarch|Pope|King|Queen|Prince|Princess|Emperor|Empress|Sultan|Emir|Metropolitan|Archbishop)"
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
HEADLINE_MAX = 250  # headline grammar (lists of subjects, infinitives) is read only in blocks this short
# Reuters puts company names in angle brackets ("<Chase Manhattan Bank>"); a name an analyst works "with" or "at",
# or one that leads, manages or underwrites a deal, is a firm ("analyst with Merrill Lynch", "lead manager Morgan
# Stanley said", "Goldman Sachs co-managed the deal", "Morgan Stanley analyst Walter Loeb", "Chase Manhattan bank")
FIRM_BEFORE = re.compile(
    r"(?:<|\b(?:(?:co-?)?lead[ -]manag(?:ers?|ed by)|co-?manag(?:ers?|ed by)|managed by|underwriters?|"
    r"underwritten(?: solely)? by|book-?runner|"
    r"brokerage(?: firm| house)?|brokers?|investment bank(?:er)?s?|(?:analyst|economist|strategist|trader|dealer)s?"
    r"\s+(?:with|at)|news agency|agency|newspaper|daily|weekly|magazine|"
    r"(?:company|firm|concern|conglomerate|corporation|carrier|airline|utility|insurer|(?:car|auto)?maker|"
    r"producer|manufacturer|retailer|group|subsidiary|affiliate)(?: of)?|"
    r"(?:president|director|manager|officer|executive|analyst|economist|strategist|chairman)\s+(?:for|at|of)|"
    r"(?:brothers|co|inc|corp|ltd|plc|group|securities)\.?\s*(?:,|and|&))\s*,?)\s*$",
    re.IGNORECASE,
)
#: The last word of every text FIRM_BEFORE matches, when it does not end in "<", "," or "&" (trailing spaces
#: aside): a cheap test that rules out the rest before the search, which tries every place of the text.
FIRM_BEFORE_LAST_WORDS = frozenset(
    "manager managers comanager comanagers by underwriter underwriters runner bookrunner brokerage firm house "
    "broker brokers bank banks banker bankers with at agency newspaper daily weekly magazine company concern "
    "conglomerate corporation carrier airline utility insurer maker carmaker automaker producer manufacturer "
    "retailer group subsidiary affiliate of for and".split()
)
_LAST_LETTERS = re.compile(r"[A-Za-z]+$")


def firm_before(before: str) -> bool:
    """Does FIRM_BEFORE find a company's mark at the end of ``before``? (Its search, where the last word
    can be one of FIRM_BEFORE_LAST_WORDS.)"""
    tail = before.rstrip()
    if not tail:
        return False
    if tail[-1] not in "<,&" and tail[-48:].isascii():
        last = _LAST_LETTERS.search(tail)
        if last is None or last.group().lower() not in FIRM_BEFORE_LAST_WORDS:
            return False
    return FIRM_BEFORE.search(before) is not None


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
    r"bank\b|brokerage\b|unit\b|subsidiary\b|index\b|industrials?\b|(?:news )?agency\b|"
    r"(?:executives|shareholders|stockholders|shares|stock)\b(?! of)|of (?:America|Canada|Europe)\b|"
    r"capital markets\b|(?:and )?(?:certain |its )?affiliates\b|will (?:lead|manage|underwrite)\b|"
    r"(?:and [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)* )?co-?manag(?:ed|es|e)\b)"
)

