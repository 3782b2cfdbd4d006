"""Articles from plain-text page dumps, with boilerplate learned from the collection itself.

A scraped site repeats itself: the same teaser block, menu lines and "Go back" footer appear on every
page. :class:`Boilerplate` counts in how many pages of one collection each line occurs; lines that recur
are dropped from every page. A guard keeps an article that was scraped twice: when dropping recurring
lines would leave a page almost empty, only lines that recur more often than the page's own text go.

What is left is split into a headline (the first line that reads as a title) and the body. Image file
names are removed from the body but kept as date evidence (``image-30-01-20-01-10.jpeg`` is
30 January 2020).
"""

import collections
import datetime
import math
import re

from index.dates import find_date_in_text
from index.dates import valid_date

#: A file name of an image, as scrapers leave them in text dumps.
IMAGE_NAME = re.compile(r"[\w.\-]+\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg)\b", re.IGNORECASE)
#: A day-month-year triple inside an image name (``30-01-20``).
IMAGE_DATE = re.compile(r"(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.](\d{2}|\d{4})(?!\d)")
#: A line that cannot be a headline: it ends a sentence or is only punctuation and digits.
NOT_A_TITLE = re.compile(r"(?:[.:;,]\s*$)|^[\W\d_]+$")

#: A page keeps at least this share of its text before the scraped-twice guard applies.
MIN_KEPT_SHARE = 0.2


def normalize_line(line: str) -> str:
    """The form of a line used to recognise repeats: whitespace folded, lower case."""
    return " ".join(line.split()).lower()


class Boilerplate:
    """Line counts over one collection of pages, and the lines each page should drop."""

    def __init__(self):
        self.pages = 0
        self.counts = collections.Counter()

    def add(self, text: str) -> None:
        """Count the distinct lines of one page."""
        self.pages += 1
        self.counts.update({normalize_line(line) for line in text.splitlines()} - {""})

    @property
    def threshold(self) -> int:
        """How many pages a line must occur in to count as boilerplate; rises with the collection."""
        return max(2, math.ceil(self.pages * 0.01))

    def recurring(self, text: str) -> frozenset:
        """The normalized lines of ``text`` to drop, with the scraped-twice guard applied."""
        lines = [normalize_line(line) for line in text.splitlines()]
        counts = {line: self.counts.get(line, 1) for line in lines if line}
        drop = {line for line, n in counts.items() if n >= self.threshold}
        kept = sum(len(line) for line in lines if line and line not in drop)
        total = sum(len(line) for line in lines if line)
        if total and kept < total * MIN_KEPT_SHARE and counts:
            # Most of the page recurs: it is probably an article scraped twice. Keep its own text
            # (the lines recurring as often as its longest line) and drop only what recurs more.
            own = counts[max(counts, key=len)]
            drop = {line for line, n in counts.items() if n > own}
        return frozenset(drop)


def split_page(text: str, drop: frozenset):
    """Yield the lines of a page that are not boilerplate, stripped, keeping blank lines."""
    for line in text.splitlines():
        if normalize_line(line) not in drop:
            yield line.strip()


def image_dates(text: str) -> list[datetime.date]:
    """Dates written in image file names (day-month-year), in order of appearance."""
    found = []
    for name in IMAGE_NAME.findall(text):
        match = IMAGE_DATE.search(name)
        if match:
            day, month, year = (int(g) for g in match.groups())
            date = valid_date(year + 2000 if year < 100 else year, month, day)
            if date:
                found.append(date)
    return found


def drop_image_names(line: str) -> str:
    """The line without image file names, whitespace folded."""
    return " ".join(IMAGE_NAME.sub(" ", line).split())


def reads_as_title(line: str) -> bool:
    """True for a line that could be a headline: a few words, no sentence end, starts upper case."""
    words = line.split()
    if not 2 <= len(words) <= 40 or len(line) > 300:
        return False
    return line[0].isupper() and not NOT_A_TITLE.search(line)


def paragraphs(lines) -> list[str]:
    """Non-empty lines as paragraphs, image names removed."""
    out = []
    for line in lines:
        line = drop_image_names(line)
        if line:
            out.append(line)
    return out


def parse_text_dump(text: str, drop: frozenset):
    """Headline, body, date and year of one page, given the lines to drop.

    :return: ``(title, body, date, year)``; date and year may be None.
    """
    kept = paragraphs(split_page(text, drop))
    title = next((line for line in kept if reads_as_title(line)), "")
    body_lines = kept[kept.index(title) + 1 :] if title else kept
    body = "\n\n".join(body_lines)
    date, year = page_date(body, text)
    return title, body, date, year


def page_date(body: str, raw: str):
    """The publication date from the article's own text and image names.

    :return: ``(date, year)``: a full date when the day is known, else only the year, else (None, None).
    """
    images = collections.Counter(image_dates(raw))
    image_date = images.most_common(1)[0][0] if images else None
    date, year, month_day = find_date_in_text(body)
    if date:
        return date, date.year
    if image_date:
        return image_date, image_date.year
    if year and month_day:
        full = valid_date(year, *month_day)
        return (full, year) if full else (None, year)
    return None, year
