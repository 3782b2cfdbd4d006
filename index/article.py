"""The article record every extractor produces and the index stores."""

import dataclasses
import datetime
import hashlib

from index.dedup import bands
from index.schema import checksum_term
from index.schema import day_number
from index.schema import join_figures
from index.schema import split_figures
from index.schema import stored_date


@dataclasses.dataclass
class Article:
    """One article as extracted from its source, before it becomes an index document.

    ``date`` is set only when the day is known; ``year`` is set whenever the year is known.
    """

    id: str
    title: str = ""
    body: str = ""
    date: datetime.date | None = None
    year: int | None = None
    figures: list[str] = dataclasses.field(default_factory=list)
    source: str = ""
    url: str | None = None
    #: MinHash signature of the body (see :mod:`index.dedup`); not part of the JSON form.
    signature: tuple | None = None

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
            "title": self.title,
            "body": self.body,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "date_precision": self.date_precision,
            "figures": list(self.figures),
            "source": self.source,
            "url": self.url,
        }


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
        "origin": origin,
        "checksum": checksum_term(article.id, checksum),
        "dup_bands": " ".join(bands(article.signature)) if article.signature else "",
        "minhash": article.signature,
        "cluster": cluster or article.id,
    }
    if article.date is not None:
        doc["date"] = stored_date(article.date)
    return doc


def fingerprint(*parts: bytes | str) -> str:
    """A short stable hash of raw input, used to skip articles whose input has not changed."""
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()
