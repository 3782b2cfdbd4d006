"""Bytes → text → lxml tree: charset detection, size guard and parsing of one page."""

from __future__ import annotations

import codecs
import re

from lxml.html import HtmlElement

MAX_MARKUP = 5_000_000
LARGE_MARKUP = 2_000_000
SNIFF_BYTES = 4096

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([a-z0-9_:.\-]+)""",
    re.I,
)
HIGH_LETTER_RE = re.compile(rb"[\xc0-\xff]")
HIGH_RUN_RE = re.compile(rb"[\xc0-\xff]{3,}")
# browsers read these labels as windows-1252 (WHATWG encoding standard)
AS_CP1252 = {"ascii", "latin_1", "iso8859-1", "iso8859_1", "cp1252"}

BULKY_RE = re.compile(
    r"<(script|style|svg|noscript)\b.*?</\1\s*>|<!--.*?-->|data:[a-z/+.\-]+;base64,[a-z0-9+/=\s]+",
    re.I | re.S,
)


def decode_html(data: bytes) -> str:
    """Bytes → text: BOM, <meta charset>/http-equiv charset, then UTF-8, then cp1251/latin-1 heuristics; never raises."""
    if not data:
        return ""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for encoding in (_declared_charset(data), "utf-8"):
        text = _strict_decode(data, encoding)
        if text is not None:
            return text
    text = data.decode("utf-8", errors="replace")
    if _mostly_utf8(text):
        return text
    return data.decode(_guess_single_byte(data), errors="replace")


def _mostly_utf8(text: str) -> bool:
    """UTF-8 with a few broken bytes: more well-formed non-ASCII characters than broken ones."""
    broken = text.count("\ufffd")
    return sum(1 for char in text if char > "\x7f") > 2 * broken


def _declared_charset(data: bytes) -> str | None:
    """The charset named in the page head, as a Python codec name (None if absent or unknown)."""
    match = CHARSET_RE.search(data[:SNIFF_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in AS_CP1252 else name


def _strict_decode(data: bytes, encoding: str | None) -> str | None:
    """Decode without errors, or None; cp1252 falls back to latin-1 for its five unused bytes."""
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        pass
    if encoding == "cp1252":
        return data.decode("latin-1")
    return None


def _guess_single_byte(data: bytes) -> str:
    """cp1251 when most high letters sit in runs of three or more (Cyrillic words), else cp1252."""
    letters = len(HIGH_LETTER_RE.findall(data))
    in_runs = sum(len(run) for run in HIGH_RUN_RE.findall(data))
    if letters and in_runs / letters > 0.5:
        return "cp1251"
    return "cp1252" if _strict_decode(data, "cp1252") is not None else "latin-1"


# --- 2./3. guarding and parsing --------------------------------------------------------------


def shrink(text: str) -> str:
    """Keep huge pages workable: drop scripts, styles and inline blobs, then cut."""
    if len(text) <= MAX_MARKUP:
        return text
    text = BULKY_RE.sub(" ", text)
    return text[:MAX_MARKUP]


def parse(text: str) -> HtmlElement | None:
    """Parse markup into an lxml tree (None when there is nothing to parse)."""
    from trafilatura.utils import load_html

    text = text.replace("\x00", "")
    if not text.strip():
        return None
    return load_html(text)
