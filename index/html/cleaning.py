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


def clean(paras: list[str], headlines: frozenset[str], chrome_blocks: frozenset[str], profile: SiteProfile,
          params: BodyParams) -> list[str]:
    """The paragraphs without site chrome, chrome blocks, the headline and leading stamps.

    :param headlines: squashed texts that are the page's headline (see :func:`drop_headline`).
    """
    paras = drop_site_chrome(paras, profile)
    if params.drop_chrome and chrome_blocks:
        paras = [para for para in paras if squash(para) not in chrome_blocks]
    paras = drop_headline(paras, headlines)
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
