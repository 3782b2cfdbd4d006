"""What a reindex learns about each site from its other pages in the same run.

A site repeats itself on every page: the same part of ``<title>`` ("… | Harbour Gazette") and the
same chrome (menu entries, newsletter boxes, "Read more" lines). One page alone cannot tell its
headline from the site's name, or its text from the chrome around it; the other pages of the same
site can. :func:`learn_sites` reads every HTML page of a collection once, cheaply, groups them by
host (canonical link or og:url, see :func:`learn_sites`) and keeps per host:

- the **site names**: the first or last parts of ``<title>`` (split at `` | ``, `` - `` …) that recur
  on at least half of the site's pages, and on two at least;
- the **chrome lines**: text blocks that recur on several pages of the site, counted as
  :class:`~index.textdump.Boilerplate` counts the lines of text dumps, with the same guard for an
  article scraped twice.

This is learning from the user's own collection at reindex time, not fitting on evaluation pages:
a page whose host has no other page in the run (or has no host at all) gets an empty
:class:`SiteProfile` and is extracted from its own evidence only. Per host, at most
``MAX_LEARN_PAGES`` pages are read, which bounds the time and memory of learning.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import html
import re
from urllib.parse import urlsplit

from index.html.markup import ARCHIVED_URL_RE
from index.html.markup import TITLE_SEPARATOR_RE
from index.html.markup import squash
from index.html.regions import block_texts
from index.textdump import Boilerplate

MAX_LEARN_PAGES = 200
#: A title part is the site's name when it recurs on this share of the site's pages (and on two).
NAME_SHARE = 0.5
SNIFF_CHARS = 200_000
TAG_RE = re.compile(r"<(link|meta)\b([^>]*)>", re.I)
ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)


@dataclasses.dataclass(frozen=True)
class SiteProfile:
    """What the other pages of a page's site say: the site's names and its recurring text blocks.

    ``chrome`` pairs a line key (:func:`line_key` of a squashed text block) with the number of
    pages of the site it occurs on; ``pages`` is how many pages were read.
    """

    names: tuple[str, ...] = ()
    chrome: tuple[tuple[int, int], ...] = ()
    pages: int = 1

    def fingerprint_parts(self) -> list[str]:
        """Strings that change when what the profile teaches does (for reindex checksums): the names
        and the chrome lines, not their counts, so one more page of a site does not re-extract all."""
        return [*self.names, *(str(key) for key, _ in self.chrome)]


EMPTY = SiteProfile()


def line_key(text: str) -> int:
    """A 64-bit key of a text block's letters and digits (stable across processes, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(squash(text).encode("utf-8"), digest_size=8).digest(), "big")


def host_of(url: str | None) -> str | None:
    """The host a URL names, an archive.org wrapper unwrapped and ``www.`` dropped (None if none)."""
    if not url:
        return None
    url = ARCHIVED_URL_RE.sub("", url.strip())
    if "://" not in url:
        url = "http://" + url
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    host = host[4:] if host.startswith("www.") else host
    return host if "." in host else None


def _attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in ATTR_RE.finditer(text)}


def sniff_url(text: str) -> str | None:
    """The canonical link or og:url of a page, read from its markup without parsing it."""
    found = {}
    for tag, attributes in TAG_RE.findall(text[:SNIFF_CHARS]):
        attrs = _attributes(attributes)
        if tag.lower() == "link" and "canonical" in attrs.get("rel", "").lower().split():
            found.setdefault("canonical", attrs.get("href", ""))
        elif tag.lower() == "meta" and attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            found.setdefault("og", attrs.get("content", ""))
    for key in ("canonical", "og"):
        url = found.get(key, "").strip()
        if url.startswith(("http://", "https://")):
            return url
    return None


def sniff_title(text: str) -> str:
    """The page's ``<title>``, read without parsing, whitespace folded."""
    match = TITLE_RE.search(text[:SNIFF_CHARS])
    return " ".join(html.unescape(match.group(1)).split()) if match else ""


def title_ends(title: str) -> set[str]:
    """The first and last parts of a title split at separators, squashed (empty for a one-part title)."""
    parts = [squash(part) for part in TITLE_SEPARATOR_RE.split(title)]
    parts = [part for part in parts if part]
    return {parts[0], parts[-1]} if len(parts) > 1 else set()


def text_blocks(tree) -> list[str]:
    """The page's text blocks as line keys' sources: letters and digits only, lower case."""
    return [key for key in (squash(text) for _, text in block_texts(tree)) if key]


def learn_sites(names, read) -> dict:
    """Profiles for the pages ``names`` of one collection, learned per host.

    Two passes keep memory to one site at a time: the first reads each page's host without parsing,
    the second parses the pages of one host after another and keeps only what recurs.

    :param read: ``read(name)`` gives a page's decoded markup, or None when it cannot be read.
    :return: ``{name: SiteProfile}`` for pages whose host has two pages or more in ``names``.
    """
    by_host = collections.defaultdict(list)
    for name in names:
        text = read(name)
        host = host_of(sniff_url(text)) if text else None
        if host:
            by_host[host].append(name)
    profiles = {}
    for members in by_host.values():
        if len(members) > 1:
            profile = _learn_host(members[:MAX_LEARN_PAGES], read)
            profiles.update(dict.fromkeys(members, profile))
    return profiles


def _learn_host(names, read) -> SiteProfile:
    """Site names and recurring text blocks of one host's pages."""
    from index.html.decode import parse

    ends, lines, pages = collections.Counter(), Boilerplate(), 0
    for name in names:
        text = read(name)
        tree = parse(text) if text else None
        if tree is None:
            continue
        pages += 1
        ends.update(title_ends(sniff_title(text)))
        lines.add("\n".join(text_blocks(tree)))
    if pages < 2:
        return EMPTY
    need = max(2, NAME_SHARE * pages)
    names_ = tuple(sorted(end for end, n in ends.items() if n >= need))
    chrome = tuple(sorted((line_key(line), n) for line, n in lines.counts.items() if n >= lines.threshold))
    return SiteProfile(names=names_, chrome=chrome, pages=pages)
