"""Find the people named in a news article, one normalized display name per person.

Rules plus name lexicons; no model, no network, nothing heavy per call; the lexicons are read on first use.
Modules: `patterns` (regular expressions and cue words), `lexicon` (word lists and word classes), `blocks` (text
layout), `segment` (what a segment is judged on), `detection` (mentions in one article), `firms` (company
evidence), `headlines` (upper-case lines and headline grammar), `normalize` (one name per person in an article),
`resolution` (one name per person across the corpus). The pipeline for one article:

1. **Unwrap** (`iter_blocks`): hard-wrapped lines (Reuters bodies break mid-sentence) are joined with a space when
   the line before is long and does not end a sentence, so a name split over a line break is one run again.
   Lines that are mostly upper case (headlines) are kept apart and read in *caps mode*.
2. **Runs** (`CAPITALISED_RUN`): one regex finds runs of capitalised words, initials ("D.D.", "D. D.") and the
   surname particles between them ("van der", "de").
3. **Segments** (`detection.judge_run`, `lexicon.classify`): each word of a run gets a class from the lexicons in
   `index/data/`: title ("Governor", "Mr"), royal title ("Pope", "Patriarch"), organisation or place word ("Council",
   "Region", "Armenia"), common word ("The", "Victory"), given name, surname, initial or unknown. Titles,
   organisation, place and common words cut the run into segments of name-like words.
4. **Decide** (`detection.judge_segment`, a `Verdict`): a segment is a person when it is followed by no organisation
   word and has evidence: a known given name or initials in front, a title before it, or a cue around it
   ("said", "told").
   A lone word needs a title ("Mr Smith", "Pope Francis"); a lone word with no cue is kept only when it is the
   surname of a full name found in the same article, or the subject of a cue verb ("Peladeau said").
   In caps mode dictionary words are never names; a given name + surname pair counts, and a lone surname-like
   word only with a cue ("TREASURY'S BAKER", "VOLCKER SEES", "... - POEHL"). In headline-sized blocks
   (`find_headline_subjects`) a list of lone surnames before a plural cue verb ("NAKASONE, SUMITA AGREE"), a census
   surname that is no dictionary word before "TO" + a verb only people do ("REAGAN TO MEET", not "CHRYSLER TO
   BUY") and a hyphen-attached attribution ending the line ("... deficit -Stoltenberg") are people too.
   News text adds precision rules (each a general cue, no list of firms): a name is a **firm** when a corporate
   word follows it in its run ("Baker Hughes Inc", "Texaco Trading", "E.F. Hutton LBO Inc"), a Reuters ticker or
   "and Co" / a partnership chain ending in one / a comma and a legal form follows ("EXXON <XON>", "Smith Barney,
   Harris Upham and Co", "Petroleos de Venezuela, S.A."), a company-opening word, "X-based" or "<" precedes it
   ("Banque Paribas", "Dallas-based Sabine"), a deal or employer cue surrounds it ("lead manager Morgan Stanley",
   "analyst with Merrill Lynch", "Goldman Sachs co-managed", "news agency Tanjug"), or it follows a person's name
   and "of" (`affiliation`: "Philip Fricke of Goldman Sachs"); a firm once is a firm in the whole article, lone
   words of it included ("Kodak" after "Eastman Kodak Co") unless a full name there, not itself the firm, has
   that surname (`drop_firms`). Geographic and
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

from index.figures.detection import find_mentions
from index.figures.detection_de import find_mentions_de
from index.figures.normalize import fold, normalize_mentions
from index.figures.resolution import FigureResolver

__all__ = ["FigureResolver", "find_figures", "fold", "normalize_mentions"]


#: Languages that capitalise every noun: their names are found by :mod:`detection_de`'s rules.
NOUN_CAPITALISING = frozenset({"de", "lb"})


def find_figures(text: str, title: str = "", language: str = "en") -> list[str]:
    """People named in one article, as normalized display names, one per person, in order of first mention.

    :param language: the article's ISO 639-1 code; German text is read by German rules, the rest by the
        English ones.
    """
    full = f"{title}\n\n{text}" if title else text
    if language in NOUN_CAPITALISING:
        return normalize_mentions(find_mentions_de(full))
    return normalize_mentions(find_mentions(full))

