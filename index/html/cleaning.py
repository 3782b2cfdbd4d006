"""Cleaning the main text: what the extractor kept but a reader would not call the article.

Each step takes and returns a list of paragraphs; those marked *fitted* are switched on or off by
:data:`~index.html.fitted.BODY`:

- **site chrome** learned from the other pages of the same site (:mod:`index.html.site`): a
  paragraph that recurs on several of them is dropped, as recurring lines are in text dumps, with
  the same guard for an article scraped twice (always on: it is learning, not fitting);
- **boxes** (fitted): a paragraph the page shows only inside a pop-up, a newsletter or cookie box, the
  navigation or the site's header or footer (the header's tagline, a network bar) —
  :mod:`index.html.regions` says where they are;
- **stamps** (fitted): date and time lines before the text ("Mo, 11:41 Uhr", "06.11.2023");
- **pointers and ad labels**: a short line starting with a "read also" label ("Czytaj też: …",
  "Lesen Sie auch: …", "Read more") names another page; "Anzeige", "Advertisement", "Reklama"
  label an ad; "Quelle: …", "Foto: …", "Beitragsbild: …" credit a source or a picture — always
  (designed lexicons, not fitted);
- **the headline** when the text starts with it (it stays the title), with the short kicker and
  stamp lines before it — always: the segment scores cannot see it either way, a reader can;
- **repeated labels** (fitted): short lines the text repeats ("Bild anzeigen" under every picture).
"""

from __future__ import annotations

import collections
import re

from index.dates import MONTHS
from index.dates import shown_days
from index.html.fitted import BodyParams
from index.html.markup import squash
from index.html.site import SiteProfile
from index.html.site import line_key
from index.textdump import MIN_KEPT_SHARE

#: A stamp line is at most this long and has at most this many other words.
STAMP_CHARS = 60
STAMP_WORDS = 2
#: A line this short that the text repeats is a label (picture credits, "show picture").
LABEL_CHARS = 40
#: The headline is looked for among the first paragraphs while they stay this short.
HEAD_SCAN = 4
SHORT_PARAGRAPH = 120
TIME_RE = re.compile(r"(?<![\d:.])(?:[01]?\d|2[0-3])[:.h][0-5]\d(?:[:.][0-5]\d)?(?![\d:.])")
WORD_RE = re.compile(r"[^\W\d_]{3,}")
#: A line this short that starts with a "read also" label is a link to another article.
POINTER_CHARS = 200
# "Read also:", "Lesen Sie auch:", "Auch interessant:", "Czytaj też:", "Lire aussi :", "Lee también:" …
# followed by a colon, an arrow or nothing: "Read more about the plan in …" is a sentence.
POINTER_RE = re.compile(
    r"(?:read (?:also|more)|also read|see also|related(?: articles?| stories)?|more on this(?: topic)?"
    r"|you (?:may|might) also like|lesen sie (?:auch|mehr)|lies auch|auch interessant|mehr zum thema|siehe auch"
    r"|passend (?:dazu|zum thema)|weiterlesen|das könnte sie auch interessieren"
    r"|czytaj (?:też|także|więcej)|przeczytaj (?:też|także)|zobacz (?:też|także)"
    r"|(?:à )?lire aussi|voir aussi|lire la suite|le?e[ea]? (?:también|más)|ver también|(?:te|le) puede interesar"
    r"|leggi anche|vedi anche|lees (?:ook|meer)|leia (?:também|mais)|veja também)"
    r"\s*(?:[:»›→…]|\.\.\.|$)",
    re.IGNORECASE,
)
#: An ad label or a credit line is at most this long.
LABEL_LINE_CHARS = 100
AD_LABEL_RE = re.compile(r"(?:anzeige|werbung|advertisement|sponsored|publicidad|publicité|pubblicità|reklama)\b",
                         re.IGNORECASE)
CREDIT_RE = re.compile(
    r"\(?(?:quelle|bildquelle|source|fuente|fonte|źródło|foto|fotos|photo|photos|photo credit|image|bild"
    r"|beitragsbild|titelbild|credits?|zdjęcie)\s*:",
    re.IGNORECASE,
)


def clean(paras: list[str], headlines: frozenset[str], chrome_blocks: frozenset[str], profile: SiteProfile,
          params: BodyParams) -> list[str]:
    """The paragraphs without site chrome, chrome blocks, the headline and leading stamps.

    :param headlines: squashed texts that are the page's headline (see :func:`drop_headline`).
    """
    paras = drop_site_chrome(paras, profile)
    if params.drop_chrome and chrome_blocks:
        paras = [para for para in paras if squash(para) not in chrome_blocks]
    paras = drop_headline(paras, headlines)
    paras = [para for para in paras if not is_aside(para)] or paras
    if params.drop_stamps:
        paras = drop_stamps(paras)
    if params.drop_repeats:
        paras = drop_repeated_labels(paras)
    return paras


def drop_repeated_labels(paras: list[str]) -> list[str]:
    """Without short lines the text repeats ('Bild anzeigen', 'Quelle: dpa' under every picture)."""
    counts = collections.Counter(para for para in paras if len(para) <= LABEL_CHARS)
    return [para for para in paras if counts.get(para, 0) < 2]


def drop_site_chrome(paras: list[str], profile: SiteProfile) -> list[str]:
    """Paragraphs that do not recur across the site's pages (an article scraped twice is kept)."""
    if not profile.chrome or not paras:
        return paras
    counts = dict(profile.chrome)
    seen = [(para, counts.get(line_key(para), 0)) for para in paras]
    kept = [para for para, n in seen if not n]
    if _length(kept) < MIN_KEPT_SHARE * _length(paras):
        # Most of the text recurs: an article scraped twice. Drop only what recurs more often
        # than its longest paragraph.
        own = max(seen, key=lambda pair: len(pair[0]))[1]
        kept = [para for para, n in seen if n <= own]
    return kept


def is_pointer(para: str) -> bool:
    """A short line starting with a "read also" label: a link to another article, not this one."""
    return len(para) <= POINTER_CHARS and bool(POINTER_RE.match(para.lstrip("»›→-–• ")))


def is_aside(para: str) -> bool:
    """A line that is not the article's text: a pointer to another page (:func:`is_pointer`), an
    ad label ("Anzeige") or a credit ("Quelle: dpa", "Foto: MDR/Bernd Cramer")."""
    if is_pointer(para):
        return True
    return len(para) <= LABEL_LINE_CHARS and bool(AD_LABEL_RE.match(para) or CREDIT_RE.match(para))


def is_stamp(para: str) -> bool:
    """A short line that is a date or a time with at most ``STAMP_WORDS`` other words."""
    if len(para) > STAMP_CHARS:
        return False
    if not (shown_days(para) or TIME_RE.search(para)):
        return False
    words = [word for word in WORD_RE.findall(para) if word.lower().rstrip(".") not in MONTHS]
    return len(words) <= STAMP_WORDS


def drop_stamps(paras: list[str]) -> list[str]:
    """The paragraphs after the date and time stamps they start with."""
    start = 0
    while start < len(paras) - 1 and is_stamp(paras[start]):
        start += 1
    return paras[start:]


def drop_headline(paras: list[str], headlines: frozenset[str]) -> list[str]:
    """Without the headline near the start, and without the short lines before it (kicker, stamps).

    :param headlines: squashed texts shown as the page's ``<h1>`` or given by a metadata title
        (whole or without the site's name): the title candidates with such evidence.
    """
    if not headlines:
        return paras
    for index, para in enumerate(paras[:HEAD_SCAN]):
        if squash(para) in headlines:
            return paras[index + 1:] or paras
        if len(para) > SHORT_PARAGRAPH:
            break
    return paras


def _length(paras: list[str]) -> int:
    return sum(len(para) for para in paras)
