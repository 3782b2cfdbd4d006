"""Passages of a text around its matches, HTML-escaped with the matches in ``<mark>``.

:mod:`search.snippets` finds where a query matches a text; this module only cuts and marks: it picks
the windows holding the most distinct matched terms, cuts them at word boundaries, joins passages that
would overlap and puts one "…" for each cut.
"""

import html
import re

#: Longest passage, in characters, and how many passages a snippet may join.
PASSAGE_CHARS = 300
MAX_PASSAGES = 2
ELLIPSIS = "…"
#: The term id of a span where a selected figure is named (marked ``<mark class="figure">``).
FIGURE = "figure"

_SPACE = re.compile(r"\s+")


def highlight(text: str, spans) -> str:
    """``text`` HTML-escaped with each span wrapped in ``<mark>`` (``<mark class="figure">`` for a
    selected figure's name)."""
    out, at = [], 0
    for start, end, term in spans:
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        tag = '<mark class="figure">' if term == FIGURE else "<mark>"
        out.append(tag + html.escape(text[start:end]) + "</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def snippet_of(text: str, spans, length: int = PASSAGE_CHARS, passages: int = MAX_PASSAGES) -> str:
    """:func:`search.snippets.snippet` of ``text`` (already cut to its scanned length) from its
    :func:`search.snippets.find_matches`."""
    if not spans:
        return _joined(text, [_bounds(text, 0, length, [])], [])
    windows = _best_windows(text, spans, length, passages)
    return _joined(text, _merged(sorted(_bounds(text, start, length, spans) for start in windows)), spans)


def _merged(bounds) -> list:
    """``(start, end)`` passages in text order, overlapping or touching ones joined."""
    found = []
    for start, end in bounds:
        if found and start <= found[-1][1] + 1:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return found


def _joined(text, bounds, spans) -> str:
    """The passages highlighted; an ellipsis before the first when text was left out there, and after
    each one followed by text left out (the one between two passages stands for the gap)."""
    pieces = []
    for i, (start, end) in enumerate(bounds):
        inside = [s for s in spans if s[0] >= start and s[1] <= end]
        body = " ".join(highlight(text[start:end], [(a - start, b - start, t) for a, b, t in inside]).split())
        if i == 0 and start > 0:
            body = _ellipsis_before(body)
        if end < len(text):
            body = _ellipsis_after(body)
        pieces.append(body)
    return " ".join(pieces)


#: An ellipsis the text itself has at a passage's edge: replaced by the snippet's own, never doubled.
_EDGE_ELLIPSIS_START = re.compile(r"^(?:…|\.{3,})\s*")
_EDGE_ELLIPSIS_END = re.compile(r"\s*(?:…|\.{3,})$")


def _ellipsis_before(body: str) -> str:
    return ELLIPSIS + _EDGE_ELLIPSIS_START.sub("", body)


def _ellipsis_after(body: str) -> str:
    return _EDGE_ELLIPSIS_END.sub("", body) + ELLIPSIS


def _best_windows(text, spans, length, passages):
    """Start offsets of the best non-overlapping windows, by distinct terms then matches."""
    scored = []
    for i, (start, _, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= start + length]
        scored.append((len({s[2] for s in inside}), len(inside), -start, start))
    chosen = []
    for *_, start in sorted(scored, reverse=True):
        if all(abs(start - other) >= length for other in chosen):
            chosen.append(start)
        if len(chosen) == passages:
            break
    return [_backoff(text, start, length, spans) for start in chosen]


def _backoff(text, start, length, spans):
    """Move a window's start back a little so its first match has some context before it."""
    last_end = max((e for s, e, _ in spans if s >= start and e <= start + length), default=start)
    room = max(0, length - (last_end - start))
    return max(0, min(start - min(room // 3, 60), len(text) - length))


def _bounds(text, start, length, spans) -> tuple:
    """``(start, end)`` of the passage of ``text`` from about ``start``, at most ``length`` long, cut at
    word boundaries."""
    if start > 0 and not text[start - 1].isspace():
        space = _SPACE.search(text, start, start + 40)
        if space and space.end() <= _first_span_start(spans, start):
            start = space.end()
        else:  # back to the beginning of the word
            while start > 0 and not text[start - 1].isspace():
                start -= 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = _last_space_run(text, start, end)
        end = cut if cut > start else end
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _last_space_run(text, start, end) -> int:
    """Where the last run of white space in ``text[start:end]`` begins (``start`` when there is none)."""
    i = end - 1
    while i >= start and not text[i].isspace():
        i -= 1
    if i < start:
        return start
    while i > start and text[i - 1].isspace():
        i -= 1
    return i


def _first_span_start(spans, start):
    return min((s for s, _, _ in spans if s >= start), default=start + 40)
