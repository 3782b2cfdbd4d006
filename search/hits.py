"""From an article's stored fields to a hit: the one place the read side decodes them for display.

Every list of articles (search pages, exports and feeds, a figure's recent articles, "more like
this") starts from :func:`stored_hit`, so they agree on dates, on canonical figure names and on the
cluster key.
"""

from index.schema import date_text
from index.schema import split_figures


def stored_hit(fields: dict, aliases) -> dict:
    """``id``, ``title``, ``date``, ``year``, ``figures``, ``url``, ``source`` and ``cluster`` of a document.

    :param fields: the document's stored fields.
    :param aliases: the :class:`~search.aliases.FigureAliases` figures are shown under.
    """
    return {
        "id": fields["id"],
        "title": fields.get("title") or "",
        "date": date_text(fields.get("date")),
        "year": fields.get("year") or None,
        "figures": aliases.names(split_figures(fields.get("figures"))),
        "url": fields.get("url"),
        "source": fields.get("source"),
        # an article alone in its group of near-identical stories is its own cluster
        "cluster": fields.get("cluster") or fields["id"],
    }
