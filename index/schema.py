"""The one declaration of the index's fields, analyzers, format and stored encodings.

Everything that reads or writes the index imports field names from here; nothing else declares fields.
Values stored in an encoded form (the ``day`` number, the joined figure names, the checksum term, the
date) are written and read through the helpers at the end of this module, by both sides.

**The index format.** Every index stamps the format it was written in (see :mod:`index.store`) and a
version refuses the formats it cannot read. Whoosh pickles the schema into each index's table of
contents, so the import path of every class of ours the schema holds (:data:`PICKLED_CLASSES`) is
part of the format: moving or renaming one makes every existing index unreadable
(``tests/test_index_format.py`` fails first). New analyzers (per-language ones) go at new, stable
import paths, listed here; bump :data:`INDEX_FORMAT` when an index written by the new code could not
be read correctly by the old (or the other way: then drop the old number from
:data:`READABLE_FORMATS`).
"""

import datetime

from whoosh.analysis import CharsetFilter
from whoosh.analysis import LowercaseFilter
from whoosh.analysis import RegexTokenizer
from whoosh.analysis import StemFilter
from whoosh.analysis import StopFilter
from whoosh.fields import DATETIME
from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import NUMERIC
from whoosh.fields import STORED
from whoosh.fields import TEXT
from whoosh.fields import SchemaClass
from whoosh.support.charset import accent_map

from index.analysis import LanguageWords
from index.analysis import StemmedWords
from index.languages import LANGUAGES

#: The format this version writes, and the formats it reads. Format 2 added ``language`` and
#: ``derived_title``: a format-1 index has neither (no language facet or filter, articles without a
#: headline listed under their id), so it is refused rather than served half-working. Format 3 indexes
#: the words of German, French, Spanish and Polish articles in fields of their language (``body_de``…);
#: a format-2 index holds them as English words, which a search of those languages would miss.
INDEX_FORMAT = 3
READABLE_FORMATS = (3,)
#: Our classes pickled in every index's table of contents, by import path: part of the index format.
PICKLED_CLASSES = ("index.analysis.StemmedWords", "index.analysis.LanguageWords")

#: Words of running text: lower-cased, accents folded, stop words dropped (positions kept), English stems.
BODY_ANALYZER = StemmedWords()

#: The same analysis as Whoosh stages (slower): the reference :class:`StemmedWords` is tested against.
REFERENCE_BODY_ANALYZER = (
    RegexTokenizer()
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter()
    | StemFilter(cachesize=200000)
)

#: Words of a person's name: lower-cased, accent-folded, stop words dropped, never stemmed ("matvienko" finds "Matvienko").
NAME_ANALYZER = RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map) | StopFilter()

#: Fields a plain query word is looked up in.
DEFAULT_FIELDS = ("title", "body", "figure_words")

#: Separator of the figure names stored in one ``figures`` KEYWORD value.
FIGURE_SEPARATOR = ","


class ArticleSchema(SchemaClass):
    """One news article.

    ``day`` is the publication date as a number ``YYYYMMDD`` (``YYYY0000`` when only the year is known,
    0 when unknown): it drives sorting, date filters and the year/month/day facets.
    ``language`` is the article's language as an ISO 639-1 code, two lower-case ASCII letters ("de", "en"),
    detected at extraction (see :mod:`index.language`; "en" when the detector is unsure) unless JSON Lines
    input gives it; stored and filterable as one exact term (``Term("language", "de")``), sortable for facet
    counts. ``derived_title`` is stored only: for an article without a headline, its first sentence shortened,
    shown as its title but never indexed or ranked as one (``title`` stays empty); "" otherwise.
    ``origin`` (the file an article came from) and ``checksum`` (its raw input's hash) let a reindex
    touch only what changed. ``minhash``, ``dup_bands`` and ``cluster`` group near-identical stories
    (see :mod:`index.dedup`).
    """

    id = ID(stored=True, unique=True, sortable=True)
    title = TEXT(analyzer=BODY_ANALYZER, stored=True, field_boost=2.0)
    body = TEXT(analyzer=BODY_ANALYZER, stored=True)
    date = DATETIME(stored=True)
    day = NUMERIC(int, bits=32, stored=True, sortable=True, signed=False)
    year = NUMERIC(int, bits=32, stored=True, sortable=True, signed=False)
    figures = KEYWORD(stored=True, commas=True, scorable=True, lowercase=False)
    figure_words = TEXT(analyzer=NAME_ANALYZER, phrase=True)
    source = ID(stored=True, sortable=True)
    url = STORED()
    language = ID(stored=True, sortable=True)
    derived_title = STORED()
    origin = ID(stored=True)
    checksum = ID(sortable=True)
    dup_bands = KEYWORD()
    minhash = STORED()
    cluster = ID(stored=True, sortable=True)

    # The words of articles in a language of index.languages.LANGUAGES (never stored: the text is
    # stored in title and body, which hold these articles' words no more).
    title_de = TEXT(analyzer=LanguageWords("de"), field_boost=2.0)
    body_de = TEXT(analyzer=LanguageWords("de"))
    title_fr = TEXT(analyzer=LanguageWords("fr"), field_boost=2.0)
    body_fr = TEXT(analyzer=LanguageWords("fr"))
    title_es = TEXT(analyzer=LanguageWords("es"), field_boost=2.0)
    body_es = TEXT(analyzer=LanguageWords("es"))
    title_pl = TEXT(analyzer=LanguageWords("pl"), field_boost=2.0)
    body_pl = TEXT(analyzer=LanguageWords("pl"))


#: The fields of every language's words, English first: where a plain word may be looked up.
WORDS_FIELDS = ("title", "body") + tuple(f"{f}_{c}" for c in LANGUAGES for f in ("title", "body"))


# Stored encodings ----------------------------------------------------------------------------------
#
# ``day``: the publication date as a number YYYYMMDD, YYYY0000 when only the year is known, 0 when
# unknown. It sorts by date, and integer division gives the month (YYYYMM) and the year, also over
# numpy arrays of days.


def day_number(date: datetime.date | None, year: int | None = None) -> int:
    """The ``day`` number of a known day, else of a known year, else 0."""
    if date is not None:
        return date.year * 10000 + date.month * 100 + date.day
    return (year or 0) * 10000


def day_year(day):
    """The year of a ``day`` number (0 when unknown); works on numpy arrays."""
    return day // 10000


def day_month(day):
    """The month of a ``day`` number as YYYYMM (YYYY00 when only the year is known); works on arrays."""
    return day // 100


def day_text(day: int) -> str | None:
    """``YYYY-MM-DD``, or ``YYYY`` when only the year is known, or None when the date is unknown."""
    if not day:
        return None
    if not day % 10000:
        return f"{day // 10000:04d}"
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def month_text(month: int) -> str:
    """A YYYYMM month as ``YYYY-MM``."""
    return f"{month // 100:04d}-{month % 100:02d}"


def day_from_text(text: str) -> int:
    """``YYYY-MM-DD`` (already checked) as a ``day`` number."""
    return int(text.replace("-", ""))


def month_from_text(text: str) -> int:
    """``YYYY-MM`` (already checked) as a YYYYMM month."""
    return int(text.replace("-", ""))


def stored_date(date: datetime.date) -> datetime.datetime:
    """The value of the ``date`` field (a DATETIME) for a known day."""
    return datetime.datetime.combine(date, datetime.time())


def date_text(stored) -> str | None:
    """A stored ``date`` value as ``YYYY-MM-DD`` (None when the day is unknown)."""
    return stored.date().isoformat() if stored else None


def join_figures(names) -> str:
    """The ``figures`` value of a list of names: each once, in order, separators inside names blanked."""
    cleaned = (name.replace(FIGURE_SEPARATOR, " ").strip() for name in names)
    return FIGURE_SEPARATOR.join(name for name in dict.fromkeys(cleaned) if name)


def split_figures(value) -> list[str]:
    """The figure names of a stored ``figures`` value."""
    return [name for name in (value or "").split(FIGURE_SEPARATOR) if name]


def checksum_term(article_id: str, checksum: str) -> str:
    """The ``checksum`` field's term: an article id with the hash of the input it was built from."""
    return f"{article_id}\t{checksum}"


def split_checksum_term(term: str) -> tuple[str, str]:
    """``(article id, checksum)`` of a :func:`checksum_term`."""
    article_id, _, checksum = term.rpartition("\t")
    return article_id, checksum


def stored_text(value) -> str:
    """A stored or column value as text (Whoosh gives some as UTF-8 bytes)."""
    return value.decode("utf-8") if isinstance(value, bytes) else value
