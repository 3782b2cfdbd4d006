"""The one declaration of the index's fields and analyzers.

Everything that reads or writes the index imports field names from here; nothing else declares fields.
"""

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

import index.whoosh_patches  # noqa: F401  (speed fixes to Whoosh's length look-ups)
from index.analysis import StemmedWords

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

#: Multi-valued fields stored as comma-separated KEYWORD values.
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
