"""One whole article, by id, with the matches of a query highlighted."""

from index.languages import words_language
from search.hits import stored_hit
from search.hits import stored_text
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
    article = stored_hit(fields, searcher.aliases)
    language = words_language(article["language"])
    languages = () if language == "en" else (language,)
    terms = query_terms(parse_query(q, languages=languages).query, searcher.reader()).in_language(language) \
        if q.strip() else None
    del article["cluster"]
    body = stored_text(fields, "body")
    article["body"] = body
    article["date_precision"] = "day" if article["date"] else ("year" if article["year"] else None)
    article["title_html"] = _marked(article["title"], terms)
    article["paragraphs_html"] = [_marked(p, terms) for p in body.split("\n\n") if p.strip()]
    return article


def _marked(text, terms):
    return highlight(text, find_matches(text, terms) if terms else [])
