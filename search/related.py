"""More like this: articles that share an article's key terms (Whoosh's Bo1 key-term model)."""

from index.languages import language_field
from index.languages import words_language
from search.hits import stored_hit

#: Key terms taken from the article, and neighbours returned.
NUM_TERMS = 12
NEIGHBOURS = 5


def more_like_this(searcher, docnum: int, top: int = NEIGHBOURS) -> list[dict]:
    """Articles most like ``docnum``, best first, as ``{id, title, date, figures, score}``.

    :param searcher: a :class:`~search.searcher.Searcher` (figures are shown under canonical names).
    """
    fields = searcher.stored_fields(docnum)
    text = " ".join(filter(None, [fields.get("title"), fields.get("body")]))
    if not text.strip():
        return []
    field = language_field("body", words_language(fields.get("language")))  # its words are in its language's
    results = searcher.more_like(docnum, field, text=text, top=top, numterms=NUM_TERMS)
    related = []
    for result in results:
        hit = stored_hit(result.fields(), searcher.aliases)
        related.append({"id": hit["id"], "title": hit["title"], "date": hit["date"], "figures": hit["figures"],
                        "score": round(result.score, 4)})
    return related
