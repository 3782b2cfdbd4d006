"""The languages an index holds words of, and what the read side does per language.

German, French, Spanish and Polish articles have their words in fields of their own (``title_de``,
``body_de``: see :mod:`index.languages`); English and every other language in ``title`` and ``body``.
A query word is looked up in the fields of every language the commit holds (:func:`searched_fields`),
each analysed the way that language's articles were: ``Förderungen`` is the German stem ``förder`` in
``body_de`` and the English stem ``forderung`` in ``body``. An index of English articles alone has no
such fields in use, and is searched and ranked exactly as before.

BM25 divides a document's length by the average length of the field; a language's field is empty in
every article of another language, so its average is taken over the articles of its language
(:func:`avg_field_length`), which for an English-only index is Whoosh's own average.
"""

from index.languages import LANGUAGES
from index.languages import field_language
from index.languages import language_field

#: Fields that hold a language's words (the rest, such as ``figure_words``, are the same in every language).
WORDS = ("title", "body")


def index_languages(searcher) -> tuple:
    """The languages of :data:`index.languages.LANGUAGES` that some article of the commit is written in."""
    return searcher.shared("languages", lambda: _Languages(_held(searcher.reader()))).codes


def _held(reader) -> tuple:
    return tuple(code for code in LANGUAGES
                 if any(reader.field_length(language_field(field, code)) for field in WORDS))


class _Languages:
    """A commit's :func:`index_languages`, as kept in the search cache."""

    nbytes = 100

    def __init__(self, codes):
        self.codes = codes


def searched_fields(fields, languages) -> tuple:
    """``fields`` with, after ``title`` and ``body``, the same field of each of ``languages``."""
    return tuple(f for field in fields
                 for f in (field, *(language_field(field, c) for c in languages if field in WORDS)))


def avg_field_length(searcher, field: str) -> float:
    """A field's average length over the articles of its language (all articles for other fields)."""
    language = field_language(field)
    if field.split("_")[0] not in WORDS or not index_languages(searcher):
        return searcher.avg_field_length(field)
    total = searcher.reader().field_length(field)
    held = searcher.reader().doc_count_all()
    if language == "en":
        articles = held - sum(searcher.doc_frequency("language", code) for code in LANGUAGES)
    else:
        articles = searcher.doc_frequency("language", language)
    return total / (articles or held or 1)


#: English names of the languages news is most often written in (others are shown by their code).
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}


def language_name(code: str) -> str:
    """A language's English name for a facet's label (its code when it has none here)."""
    return LANGUAGE_NAMES.get(code, code)
