"""From an article's stored fields to a hit: the one place the read side decodes them for display.

Every list of articles (search pages, exports and feeds, a figure's recent articles, "more like
this") starts from :func:`stored_hit`, so they agree on dates, on canonical figure names and on the
cluster key.
"""

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
    title = fields.get("title") or ""
    derived = "" if title else fields.get("derived_title") or ""
    return {
        "id": fields["id"],
        "title": title or derived,
        "title_derived": bool(derived),
        "date": date_text(fields.get("date")),
        "year": fields.get("year") or None,
        "figures": aliases.names(split_figures(fields.get("figures"))),
        "url": fields.get("url"),
        "source": fields.get("source"),
        "language": fields.get("language") or None,
        # an article alone in its group of near-identical stories is its own cluster
        "cluster": fields.get("cluster") or fields["id"],
    }
