"""Plain trafilatura's scores on the HTML sets: the reference newsearch's bodies must beat.

``trafilatura.extract(html)`` with its defaults, on the 328 dev pages and the 181 AEB pages, takes
about 45 CPU-seconds: more than anything else the quality bench runs besides our own extraction, and
it gives the same numbers every time for the same trafilatura on the same pages. So its per-page
counts (:func:`bench.quality_html.segment_counts` on the dev pages, :func:`~bench.quality_html.shingle_counts`
on the AEB pages: numbers, no text of the pages) are kept in ``bench/plain_trafilatura.json`` with the
trafilatura version they were made with and each page's SHA-1. They are used only when the installed
trafilatura and every page match; otherwise trafilatura runs live. ``tests/test_quality_html.py``
re-runs it live on a fixed subset of both sets and checks the stored counts against it.

``python -m bench.plain_trafilatura`` (from the repo root) runs it live and rewrites the file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from bench import quality_html
from bench.quality_html import AEB
from bench.quality_html import TRAF_DEV
from bench.quality_html import Page

STORED = Path(__file__).resolve().parent / "plain_trafilatura.json"


def extract(pages: list[Page]) -> list[str]:
    """Body text from ``trafilatura.extract(html)`` with its defaults ('' when it finds none)."""
    import trafilatura

    return [trafilatura.extract(data) or "" for _, data, _ in pages]


def page_counts(set_name: str, bodies: list[str], pages: list[Page]) -> list:
    """Each page's counts under the set's own measure."""
    count = quality_html.segment_counts if set_name == TRAF_DEV else quality_html.shingle_counts
    return [count(body, item) for body, (_, _, item) in zip(bodies, pages)]


def live(set_name: str, pages: list[Page]) -> list:
    """The counts of trafilatura run now."""
    return page_counts(set_name, extract(pages), pages)


def stored(set_name: str, pages: list[Page]) -> list | None:
    """The stored counts of these pages, or None when they do not apply (no file, another
    trafilatura, a page missing or changed)."""
    if not STORED.exists():
        return None
    reference = json.loads(STORED.read_text("utf-8"))
    entries = reference["sets"].get(set_name, {})
    if reference["trafilatura"] != version("trafilatura"):
        return None
    if any(entries.get(key, {}).get("sha1") != _sha1(data) for key, data, _ in pages):
        return None
    return [_counts(set_name, entries[key]["counts"]) for key, _, _ in pages]


def score(set_name: str, pages: list[Page], pool=None):
    """A callable giving plain trafilatura's (score, detail, source) on one set under the set's own
    measure: from the stored counts, or from a live run (in ``pool``'s process when given, beside the caller)."""
    counts = stored(set_name, pages)
    if counts is not None:
        return lambda: (*_scored(set_name, counts), f"stored reference, trafilatura {version('trafilatura')}")
    future = pool.submit(_live_set, set_name) if pool is not None else None
    return lambda: (*_scored(set_name, future.result() if future is not None else _live_set(set_name)), "run live")


def _scored(set_name: str, counts: list) -> tuple[float, str]:
    return quality_html.segment_f1(counts) if set_name == TRAF_DEV else quality_html.shingle_f1(counts)


def _live_set(set_name: str) -> list:
    """One set's live counts (loads the pages itself: run in a second process)."""
    return live(set_name, quality_html.load_set(set_name))


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _counts(set_name: str, stored_counts):
    """Stored counts back in the shape :func:`page_counts` gives."""
    if set_name == TRAF_DEV:
        return Counter(stored_counts)
    return tuple(stored_counts)


def write() -> dict:
    """Run trafilatura live on both sets and store the counts; return what was written."""
    sets = {}
    for set_name in (TRAF_DEV, AEB):
        pages = quality_html.load_set(set_name)
        sets[set_name] = {key: {"sha1": _sha1(data), "counts": counts}
                          for (key, data, _), counts in zip(pages, live(set_name, pages))}
    reference = {"trafilatura": version("trafilatura"), "call": "trafilatura.extract(html) with its defaults",
                 "sets": sets}
    STORED.write_text(json.dumps(reference, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return reference


def main() -> None:
    if not (quality_html.CORPORA / TRAF_DEV).is_dir() or not (quality_html.CORPORA / AEB).is_dir():
        raise SystemExit(f"corpora not found at {quality_html.CORPORA}")
    reference = write()
    print(f"wrote {STORED} (trafilatura {reference['trafilatura']}, "
          + ", ".join(f"{name}: {len(pages)} pages" for name, pages in reference["sets"].items()) + ")")


if __name__ == "__main__":
    main()
