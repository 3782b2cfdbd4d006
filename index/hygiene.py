"""Text repair at the edge of the index: what goes in is text every output can carry.

Scraped input holds what no output can hold: lone UTF-16 surrogates (``"\\ud83d"`` in JSON Lines, a
broken emoji), control characters, "names" that are numbers or objects, megabyte titles, ids that no
link can reach. Each extracted article passes :func:`repair_article` once, before it is indexed, and
every change is reported (the run's summary lists it); ids are made link-safe when an item is read
(:func:`link_safe_id`), before anything depends on them. The read side repairs stored text again
(:func:`repair_text`, from :mod:`search.hits`) for indexes written before these rules.

The rules, and the caps (characters):

* text: a lone surrogate becomes U+FFFD (a valid pair becomes its character); ``\\r\\n``, ``\\r``, a
  vertical tab and a form feed become ``\\n``; other control characters (C0 but tab, DEL, C1) and the
  non-characters U+FFFE/U+FFFF are dropped;
* one-line fields (title, source, figure names, url, id): the same, and every run of white space
  (newlines, tabs) becomes one space, trimmed;
* title at most :data:`MAX_TITLE`, body :data:`MAX_BODY`, source :data:`MAX_SOURCE`: cut, and reported;
* figures: only strings are names (``null``, ``1``, ``{"a": 1}`` are dropped, not turned into "None",
  "1", "{'a': 1}"); a name longer than :data:`MAX_NAME` is dropped; at most :data:`MAX_FIGURES` names;
* url: dropped when longer than :data:`MAX_URL` (a cut URL points elsewhere);
* id: see :func:`link_safe_id`.
"""

import re

MAX_TITLE = 1_000
MAX_BODY = 1_000_000
MAX_SOURCE = 200
MAX_NAME = 200
MAX_FIGURES = 500
MAX_URL = 2_000
MAX_ID = 1_000

#: Anything :func:`repair_text` changes (a fast test: most text has none of it).
_NEEDS_REPAIR = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Control characters that break lines (an old Mac line end, a vertical tab, a form feed between pages).
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n"})
_SPACES = re.compile(r"\s+")


class UnusableId(ValueError):
    """Nothing usable is left of an id once it is made link-safe, or it is too long"""


def repair_text(text: str) -> str:
    """``text`` that every output can carry: see the module's rules (the same object when nothing changes)."""
    if not _NEEDS_REPAIR.search(text):
        return text
    text = _CONTROL.sub("", repair_surrogates(text)).replace("\r\n", "\n")
    return text.translate(_LINE_BREAKS)


def repair_surrogates(text: str) -> str:
    """``text`` with each lone surrogate made U+FFFD (and a valid pair its character)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def one_line(text: str) -> str:
    """:func:`repair_text`, with every run of white space made one space, trimmed."""
    return _SPACES.sub(" ", repair_text(text)).strip()


def link_safe_id(raw: str) -> str:
    """The id an article is stored and linked under; empty when nothing usable is left.

    An id is part of the article's page URL, API URL and feed ``<id>``, so it is stored as a link
    carries it: one line (a newline cannot travel in a URL path), dot segments resolved as a browser
    resolves them (``a/../b`` is ``b``, ``./c`` is ``c``: a client would ask for that anyway), no
    leading slash. Everything else (``?``, ``#``, ``%``, spaces, any script) is escaped in links.
    """
    text = one_line(raw)
    if "." in text or text.startswith("/"):
        text = _resolve_dot_segments(text).lstrip("/")
    return text


def checked_id(raw: str) -> tuple[str, tuple]:
    """``(id, notes)``: the :func:`link_safe_id` of ``raw`` and a note when it differs from ``raw``.

    :raise UnusableId: when nothing is left, or more than :data:`MAX_ID` characters.
    """
    article_id = link_safe_id(raw)
    if not article_id:
        raise UnusableId("no usable 'id' (nothing is left of it in a link)")
    if len(article_id) > MAX_ID:
        raise UnusableId(f"id longer than {MAX_ID:,} characters")
    return article_id, (() if article_id == raw else (f"id {raw!r} stored as {article_id!r}",))


def _resolve_dot_segments(path: str) -> str:
    """RFC 3986's remove_dot_segments for a path below the id's root (``..`` stops at the root)."""
    out = []
    segments = path.split("/")
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        elif segment == ".":
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/".join(out)


def repair_article(article) -> list[str]:
    """Repair an extracted :class:`~index.article.Article` in place; return what changed (for the report)."""
    notes = []
    article.title = _capped(one_line(article.title), MAX_TITLE, "title", notes)
    article.body = _capped(repair_text(article.body), MAX_BODY, "body", notes)
    article.source = _capped(one_line(article.source), MAX_SOURCE, "source", notes)
    article.figures = clean_names(article.figures, notes)
    if article.url is not None:
        url = one_line(article.url) if isinstance(article.url, str) else ""
        if len(url) > MAX_URL:
            notes.append(f"url longer than {MAX_URL:,} characters dropped")
        article.url = url if url and len(url) <= MAX_URL else None
    return notes


def clean_names(values, notes: list) -> list[str]:
    """The figure names among ``values``: strings only, one line each, at most :data:`MAX_FIGURES`."""
    names, not_text, too_long = [], 0, 0
    for value in values or ():
        if not isinstance(value, str):
            not_text += 1
            continue
        name = one_line(value)
        if len(name) > MAX_NAME:
            too_long += 1
        elif name:
            names.append(name)
    if not_text:
        notes.append(f"{not_text:,} figure value(s) that are not text dropped")
    if too_long:
        notes.append(f"{too_long:,} figure name(s) longer than {MAX_NAME} characters dropped")
    if len(names) > MAX_FIGURES:
        notes.append(f"{len(names):,} figures cut to {MAX_FIGURES}")
        names = names[:MAX_FIGURES]
    return names


def _capped(text: str, limit: int, name: str, notes: list) -> str:
    if len(text) <= limit:
        return text
    notes.append(f"{name} of {len(text):,} characters cut to {limit:,}")
    return text[:limit]
