"""The article record every extractor produces and the index stores."""

import dataclasses
import datetime
import hashlib
import re

from index.dedup import bands
from index.languages import language_field
from index.languages import words_language
from index.schema import checksum_term
from index.schema import day_number
from index.schema import join_figures
from index.schema import split_figures
from index.schema import stored_date


#: The longest derived title, in characters.
TITLE_LIMIT = 100
#: The end of a sentence: ".", "!" or "?" then a space and an upper-case letter, a digit or a quote; not after
#: a single letter or a short abbreviation ("U.S. officials", "Dr. Meier", "z. B.").
SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])(?<!\b(?:Mr|Ms|Dr|St|Nr|No|vs|ca|Jr|Sr))(?<!\bMrs)(?<!\bProf)"
                          r"[.!?](?=\s+[\"“„'‘«(]?[A-ZÀ-ÞĀ-Ž0-9])")


@dataclasses.dataclass
class Article:
    """One article as extracted from its source, before it becomes an index document.

    ``date`` is set only when the day is known; ``year`` is set whenever the year is known. ``language`` is an
    ISO 639-1 code ("de"). ``derived_title`` is set only when the input has no headline: the body's first
    sentence, shortened (see :func:`derive_title`); ``title`` then stays empty, so it is never ranked as one.
    """

    id: str
    title: str = ""
    body: str = ""
    date: datetime.date | None = None
    year: int | None = None
    figures: list[str] = dataclasses.field(default_factory=list)
    source: str = ""
    url: str | None = None
    language: str = ""
    derived_title: str = ""
    #: MinHash signature of the body (see :mod:`index.dedup`); not part of the JSON form.
    signature: tuple | None = None
    #: What the repair step changed (see :mod:`index.hygiene`), for the run's report; not stored.
    repairs: list[str] = dataclasses.field(default_factory=list)

    @property
    def date_precision(self) -> str | None:
        """``"day"``, ``"year"`` or None: how much of the publication date is known."""
        if self.date is not None:
            return "day"
        return "year" if self.year else None

    def to_json(self) -> dict:
        """The article as plain JSON-ready data (what ``newsearch extract`` prints)."""
        return {
            "id": self.id,
            "title": self.title or self.derived_title,
            "title_derived": not self.title and bool(self.derived_title),
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "date_precision": self.date_precision,
            "figures": list(self.figures),
            "source": self.source,
            "url": self.url,
            "language": self.language,
        }


def derive_title(body: str, limit: int = TITLE_LIMIT) -> str:
    """A title for an article that has none: its first sentence, cut at a word boundary to at most ``limit``
    characters with "…" when shortened ("" when the body has no words)."""
    first = next((line.strip() for line in body.split("\n") if any(c.isalnum() for c in line)), "")
    match = SENTENCE_END.search(first)
    sentence = first[: match.start() + 1] if match else first
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rstrip()
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def to_document(article: Article, origin: str, checksum: str, cluster: str | None = None) -> dict:
    """The keyword arguments for ``writer.update_document`` that store ``article``."""
    figures = join_figures(article.figures)
    year = article.date.year if article.date else article.year
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "day": day_number(article.date, year),
        "year": year or 0,
        "figures": figures,
        "figure_words": " ".join(split_figures(figures)),
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "derived_title": article.derived_title,
        "origin": origin,
        "checksum": checksum_term(article.id, checksum),
        "dup_bands": " ".join(bands(article.signature)) if article.signature else "",
        "minhash": article.signature,
        "cluster": cluster or article.id,
    }
    if article.date is not None:
        doc["date"] = stored_date(article.date)
    _words_in_language(doc, words_language(article.language))
    return doc


def _words_in_language(doc: dict, language: str) -> None:
    """Index the title and body in the fields of ``language`` (``body_de``), still storing them in
    ``title`` and ``body``, which then index nothing: each article's words under one analysis."""
    if language == "en":
        return
    for field in ("title", "body"):
        doc[f"_stored_{field}"] = doc[field]
        doc[language_field(field, language)] = doc[field]
        doc[field] = ""


def fingerprint(*parts: bytes | str) -> str:
    """A short stable hash of raw input, used to skip articles whose input has not changed."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()
