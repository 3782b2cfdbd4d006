"""From an article's stored fields to a hit: the one place the read side decodes them for display.

Every list of articles (search pages, exports and feeds, a figure's recent articles, "more like
this") starts from :func:`stored_hit`, so they agree on dates, on canonical figure names and on the
cluster key. It is also where stored text is made safe for every output (HTML, JSON, CSV, Atom, the
terminal): an index written before the write side repaired its input (:mod:`index.hygiene`) may hold
lone surrogates and control characters, which :func:`stored_text` repairs with the same rules. Ids and
cluster keys are keys, kept as stored (so an old article stays reachable), but for lone surrogates.
"""

from index.hygiene import repair_surrogates
from index.hygiene import repair_text
from index.schema import date_text
from index.schema import split_figures


def stored_hit(fields: dict, aliases) -> dict:
    """``id``, ``title``, ``title_derived``, ``date``, ``year``, ``figures``, ``url``, ``source``, ``language``
    and ``cluster`` of a document.

    An article without a headline is shown under its derived title (its first sentence, stored apart in
    ``derived_title`` so it is never ranked as a headline), with ``title_derived`` true.

    :param fields: the document's stored fields.
    :param aliases: the :class:`~search.aliases.FigureAliases` figures are shown under.
    """
    article_id = _key(fields["id"])
    title = stored_text(fields, "title")
    derived = "" if title else stored_text(fields, "derived_title")
    return {
        "id": article_id,
        "title": title or derived,
        "title_derived": bool(derived),
        "date": date_text(fields.get("date")),
        "year": fields.get("year") or None,
        "figures": [repair_text(name) for name in aliases.names(split_figures(fields.get("figures")))],
        "url": stored_text(fields, "url") or None,
        "source": stored_text(fields, "source") if fields.get("source") is not None else None,
        "language": stored_text(fields, "language") or None,
        # an article alone in its group of near-identical stories is its own cluster
        "cluster": _key(fields.get("cluster") or article_id),
    }


def stored_text(fields: dict, name: str) -> str:
    """A stored text field as every output can carry it ("" when missing or not text)."""
    value = fields.get(name)
    return repair_text(value) if isinstance(value, str) else ""


def _key(value: str) -> str:
    """An id as stored, but for lone surrogates (no output can carry one; no link can reach one)."""
    return value if value.isascii() else repair_surrogates(value)
