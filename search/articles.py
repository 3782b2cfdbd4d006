"""One whole article, by id, with the matches of a query highlighted."""

from search.engine import split_figures
from search.facets import searcher_aliases
from search.query import parse_query
from search.snippets import find_matches
from search.snippets import highlight
from search.snippets import query_terms


class ArticleNotFound(LookupError):
    """No article has this id"""


def get_article(searcher, article_id: str, q: str = "") -> dict:
    """The stored article ``article_id``, plus ``title_html`` and ``paragraphs_html`` with ``q``'s matches marked.

    :raise ArticleNotFound: when no article has that id.
    :raise search.query.BadQuery: when ``q`` cannot be parsed.
    """
    docnum = searcher.document_number(id=article_id) if article_id else None
    if docnum is None:
        raise ArticleNotFound(f"No article with id {article_id!r}")
    fields = searcher.stored_fields(docnum)
    terms = query_terms(parse_query(q).query, searcher.reader()) if q.strip() else None
    body, title = fields.get("body") or "", fields.get("title") or ""
    derived = not title and bool(fields.get("derived_title"))
    title = title or fields.get("derived_title") or ""
    date = fields.get("date")
    return {
        "id": fields["id"],
        "title": title,
        "title_derived": derived,
        "body": body,
        "date": date.date().isoformat() if date else None,
        "year": fields.get("year") or None,
        "date_precision": "day" if date else ("year" if fields.get("year") else None),
        "figures": searcher_aliases(searcher).names(split_figures(fields.get("figures"))),
        "url": fields.get("url"),
        "source": fields.get("source"),
        "title_html": _marked(title, terms),
        "paragraphs_html": [_marked(p, terms) for p in body.split("\n\n") if p.strip()],
    }


def _marked(text, terms):
    return highlight(text, find_matches(text, terms) if terms else [])
