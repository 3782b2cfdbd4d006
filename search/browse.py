"""Stepping through a search from an article page: the hits listed just before and after one."""

from search.duplicates import dup_groups
from search.engine import ordered


def neighbours(searcher, matched, position: int) -> dict | None:
    """The hits at ``position - 1`` and ``position + 1`` (from 1) of the listing of ``matched`` (a
    request's :class:`~search.engine.Matched`).

    :return: ``{"position", "listed", "previous", "next", "id"}`` (``previous``/``next`` are
        ``{"id", "title", "position"}`` or None; ``id`` is the article now at ``position``), or None
        when the listing is shorter than ``position``.
    """
    req = matched.request
    grouped = req.collapse and not req.cluster
    groups = dup_groups(searcher)
    total = matched.total
    counts = groups.counts(matched.segments) if grouped and groups.members else {}
    listed = groups.listed_count(total, counts) if counts else total
    if not 1 <= position <= listed:
        return None
    start = max(0, position - 2)
    ranked = [docnum for docnum, _ in ordered(searcher, matched, start, position + 1, grouped=grouped)]
    at = position - 1 - start
    found = {"position": position, "listed": listed, "previous": None, "next": None, "id": None}
    if at < len(ranked):
        found["id"] = searcher.stored_fields(ranked[at])["id"]
    if at > 0:
        found["previous"] = _brief(searcher, ranked[at - 1], position - 1)
    if at + 1 < len(ranked):
        found["next"] = _brief(searcher, ranked[at + 1], position + 1)
    return found


def _brief(searcher, docnum, position) -> dict:
    fields = searcher.stored_fields(docnum)
    return {"id": fields["id"], "title": fields.get("title") or fields["id"], "position": position}
