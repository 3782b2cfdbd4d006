"""More like this: articles that share an article's key terms (Whoosh's Bo1 key-term model)."""

from search.engine import split_figures

#: Key terms taken from the article, and neighbours returned.
NUM_TERMS = 12
NEIGHBOURS = 5


def more_like_this(searcher, docnum: int, top: int = NEIGHBOURS) -> list[dict]:
    """Articles most like ``docnum``, best first, as ``{id, title, date, figures, score}``."""
    fields = searcher.stored_fields(docnum)
    text = " ".join(filter(None, [fields.get("title"), fields.get("body")]))
    if not text.strip():
        return []
    results = searcher.more_like(docnum, "body", text=text, top=top, numterms=NUM_TERMS)
    related = []
    for hit in results:
        stored = hit.fields()
        date = stored.get("date")
        related.append({
            "id": stored["id"],
            "title": stored.get("title") or "",
            "date": date.date().isoformat() if date else None,
            "figures": split_figures(stored.get("figures")),
            "score": round(hit.score, 4),
        })
    return related
