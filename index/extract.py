"""From input files to :class:`~index.article.Article` records: the extraction stage of indexing.

Extraction runs in two steps so a reindex can skip what has not changed before paying for it:

1. :func:`iter_items` reads a file cheaply and yields one :class:`Item` per article it holds, with the
   article's id and a checksum of its raw input (or a :class:`Skipped` with a reason);
2. :func:`build_article` does the expensive part (HTML parsing, finding named figures) for the items
   whose checksum is new. It is a plain function of picklable data, so worker processes can run it.
"""

import dataclasses
import json

from index.article import Article
from index.article import derive_title
from index.article import fingerprint
from index.dates import parse_date_value
from index.dedup import signature
from index.figures import find_figures
from index.hygiene import UnusableId
from index.hygiene import checked_id
from index.hygiene import repair_article
from index.sources import READ_ERRORS
from index.language import detect_language
from index.language import language_code
from index.sources import SourceFile
from index.sources import UnreadableFile
from index.sources import decode_text
from index.sources import looks_binary
from index.sources import read_bytes
from index.sources import read_lines
from index.textdump import Boilerplate
from index.textdump import parse_text_dump

#: Part of every checksum: bump it when extraction changes so a reindex redoes every article.
EXTRACTOR_VERSION = "9"

#: JSON Lines longer than this are skipped rather than parsed.
MAX_LINE_BYTES = 16 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Item:
    """One article's raw input, ready for :func:`build_article`."""

    kind: str
    id: str
    source: str
    checksum: str
    payload: object
    #: What was changed on the way in (an id made link-safe), for the run's report.
    notes: tuple = ()


@dataclasses.dataclass(frozen=True)
class Skipped:
    """Input that could not become an article, and why (``where`` names the file and line)."""

    where: str
    reason: str


class ExtractionError(Exception):
    """The input holds no usable article"""


def collection_key(src: SourceFile):
    """The collection whose pages teach each other (a folder's text dumps, a folder's HTML pages)."""
    return (str(src.root), str(src.path.parent), src.kind) if src.kind in ("text", "html") else None


def learn_collections(files) -> dict:
    """What each collection among ``files`` teaches its pages: a text dump folder's
    :class:`~index.textdump.Boilerplate`, an HTML folder's :class:`SiteProfiles`."""
    groups: dict = {}
    for src in files:
        key = collection_key(src)
        if key is not None:
            groups.setdefault(key, []).append(src)
    return {key: (_learn_text if key[2] == "text" else _learn_html)(members) for key, members in groups.items()}


def _learn_text(files) -> Boilerplate:
    found = Boilerplate()
    for src in files:
        try:
            found.add(decode_text(read_bytes(src)))
        except UnreadableFile:
            continue
    return found


class SiteProfiles:
    """Per page of an HTML folder, what the other pages of its site say (:mod:`index.html.site`)."""

    def __init__(self, profiles: dict):
        self._profiles = profiles

    def get(self, path):
        from index.html.site import EMPTY

        return self._profiles.get(path, EMPTY)


def _learn_html(files) -> SiteProfiles:
    from index.html.decode import decode_html
    from index.html.site import learn_sites

    def read(path):
        try:
            data = read_bytes(path)
        except UnreadableFile:
            return None
        return None if looks_binary(data) else decode_html(data)

    return SiteProfiles(learn_sites([src.path for src in files], read))


def iter_items(src: SourceFile, learned=None):
    """Yield an :class:`Item` per article in ``src``, or :class:`Skipped` for what cannot be read.

    :param learned: what ``src``'s collection taught (:func:`learn_collections`): for text dumps
        the collection's :class:`~index.textdump.Boilerplate`, for HTML pages its :class:`SiteProfiles`.
    """
    try:
        if src.kind == "jsonl":
            yield from _jsonl_items(src)
            return
        data = read_bytes(src)
    except UnreadableFile as e:
        yield Skipped(str(src.path), str(e))
        return
    if not data.strip():
        yield Skipped(str(src.path), "empty file")
    elif looks_binary(data):
        yield Skipped(str(src.path), "binary content, not a text or HTML page")
    else:
        checked = _checked_id(f"{src.collection}/{src.relative}", str(src.path))
        if isinstance(checked, Skipped):
            yield checked
        elif src.kind == "text":
            yield _text_item(src, data, learned, *checked)
        else:
            yield _html_item(src, data, learned, *checked)


def _html_item(src: SourceFile, data: bytes, sites, article_id, notes) -> Item:
    from index.html.site import EMPTY

    profile = sites.get(src.path) if sites else EMPTY
    checksum = fingerprint(EXTRACTOR_VERSION, data, *profile.fingerprint_parts())
    return Item("html", article_id, src.collection, checksum, (data, profile), notes)


def _text_item(src: SourceFile, data: bytes, boilerplate: Boilerplate | None, article_id, notes) -> Item:
    text = decode_text(data)
    drop = boilerplate.recurring(text) if boilerplate else frozenset()
    checksum = fingerprint(EXTRACTOR_VERSION, data, *sorted(drop))
    return Item("text", article_id, src.collection, checksum, (text, drop), notes)


def _checked_id(raw: str, where: str):
    """``(id, notes)`` of :func:`index.hygiene.checked_id`, or a :class:`Skipped` saying why not."""
    try:
        return checked_id(raw)
    except UnusableId as e:
        return Skipped(where, str(e))


def _jsonl_items(src: SourceFile):
    try:
        for lineno, line in read_lines(src, MAX_LINE_BYTES):
            if line is None:
                yield Skipped(f"{src.path}:{lineno}", "line longer than 16 MB")
            elif line.strip():
                yield _jsonl_item(src, lineno, line)
    except UnreadableFile as e:
        yield Skipped(str(src.path), str(e))
    except (*READ_ERRORS, ValueError) as e:
        yield Skipped(str(src.path), f"cannot read further: {e}")


def _jsonl_item(src: SourceFile, lineno: int, line: bytes):
    where = f"{src.path}:{lineno}"
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, ValueError) as e:
        return Skipped(where, f"not valid JSON: {e}")
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    article_id = record.get("id")
    if not isinstance(article_id, (str, int)) or not str(article_id).strip():
        return Skipped(where, "no 'id'")
    checked = _checked_id(str(article_id).strip(), where)
    if isinstance(checked, Skipped):
        return checked
    source = record.get("source") if isinstance(record.get("source"), str) else src.collection
    checksum = fingerprint(EXTRACTOR_VERSION, line)
    return Item("jsonl", checked[0], source or src.collection, checksum, record, checked[1])


def build_article(item: Item) -> Article:
    """Extract the article an :class:`Item` holds.

    :raise ExtractionError: when the input holds no title and no text.
    """
    article = _BUILDERS[item.kind](item)
    article.id, article.source = item.id, article.source or item.source
    article.repairs = [*item.notes, *repair_article(article)]
    if not article.title.strip() and not article.body.strip():
        raise ExtractionError("no title and no text")
    article.signature = signature(article.body, article.date)
    if not article.title.strip():
        article.derived_title = derive_title(article.body)
    return article


def _build_text(item: Item) -> Article:
    text, drop = item.payload
    title, body, date, year = parse_text_dump(text, drop)
    language = detect_language(title, body)
    return Article(item.id, title, body, date, year, find_figures(body, title, language), language=language)


def _build_html(item: Item) -> Article:
    """An HTML page; its source is its site (the host of its canonical URL) when the page names one."""
    from index.html import extract_html  # imported on first use: trafilatura is slow to import
    from index.html.site import host_of

    data, profile = item.payload
    page = extract_html(data, profile=profile)
    language = detect_language(page.title, page.body)
    figures = find_figures(page.body, page.title, language)
    return Article(item.id, page.title, page.body, page.date, page.year, figures,
                   source=host_of(page.url) or "", url=page.url, language=language)


def _build_jsonl(item: Item) -> Article:
    record = item.payload
    title, body = _text_field(record, "title"), _text_field(record, "body")
    date, year = parse_date_value(record.get("date"))
    language = language_code(record.get("language")) or detect_language(title, body)
    figures = record.get("figures")
    if isinstance(figures, str):
        figures = [name.strip() for name in figures.split(",")]
    if not isinstance(figures, list):
        figures = find_figures(body, title, language)
    url = record.get("url") if isinstance(record.get("url"), str) else None
    return Article(item.id, title, body, date, year, figures, url=url, language=language)


def _text_field(record: dict, name: str) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""


_BUILDERS = {"text": _build_text, "html": _build_html, "jsonl": _build_jsonl}
