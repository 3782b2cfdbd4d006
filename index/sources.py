"""Finding the input files under the paths a user names, and reading them safely.

A *source* is one path given on the command line: a folder (searched recursively) or a single file.
Each file found becomes a :class:`SourceFile` that knows its kind (text dump, HTML page or JSON Lines),
the collection it belongs to, and the stable article id its path gives.
"""

import dataclasses
import gzip
import os
import zlib
from pathlib import Path

#: File name endings and the kind of input they hold.
KINDS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
}

#: Refuse to read more than this from one file (a guard against runaway pages and gzip bombs).
MAX_FILE_BYTES = 64 * 1024 * 1024


class UnreadableFile(Exception):
    """The file could not be read"""


@dataclasses.dataclass(frozen=True)
class SourceFile:
    """One input file: where it is, what it holds and which collection it belongs to."""

    path: Path
    root: Path
    kind: str
    collection: str
    size: int
    mtime_ns: int

    @property
    def relative(self) -> str:
        """The path relative to its source root, with forward slashes: the basis of article ids."""
        if self.path == self.root:
            return self.path.name
        return self.path.relative_to(self.root).as_posix()

    @property
    def origin(self) -> str:
        """A key that names this file in the index (its absolute path)."""
        return str(self.path)

    @property
    def stamp(self) -> str:
        """Changes whenever the file's content may have changed."""
        return f"{self.size}:{self.mtime_ns}"


def kind_of(path: Path) -> str | None:
    """The kind of input a file name says it holds, or None for files newsearch does not read."""
    name = path.name.lower()
    for ending in sorted(KINDS, key=len, reverse=True):
        if name.endswith(ending):
            return KINDS[ending]
    return None


def iter_sources(paths):
    """Yield a :class:`SourceFile` for every readable input under ``paths``, in a stable order.

    :param paths: files and folders; folders are searched recursively, hidden entries skipped.
    :raise FileNotFoundError: when a named path does not exist.
    """
    for given in paths:
        root = Path(given).resolve()
        if not root.exists():
            raise FileNotFoundError(f"No such file or folder: {given}")
        if root.is_file():
            yield from _source_file(root, root, collection_name(root))
            continue
        for path in _walk(root):
            yield from _source_file(path, root, root.name)


def collection_name(path: Path) -> str:
    """The collection a single named file belongs to.

    A page (text dump or HTML) belongs to its folder, so ``newsearch extract html/p0312.html.gz``
    gives the id and source a reindex of ``html/`` gives (``html/p0312.html.gz``); a JSON Lines file
    is a collection of its own: its name without the kind's ending.
    """
    name = path.name
    if kind_of(path) in ("text", "html") and path.parent.name:
        return path.parent.name
    for ending in sorted(KINDS, key=len, reverse=True):
        if name.lower().endswith(ending):
            return name[: -len(ending)]
    return name


def _walk(root: Path):
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(folder) / name


def _source_file(path: Path, root: Path, collection: str):
    kind = kind_of(path)
    if kind is None:
        return
    try:
        stat = path.stat()
    except OSError:
        return
    yield SourceFile(path, root, kind, collection, stat.st_size, stat.st_mtime_ns)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's content, decompressed when it ends in ``.gz``.

    :raise UnreadableFile: with a reason a person can act on.
    """
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(limit + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(limit + 1)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise UnreadableFile(f"cannot read: {e}") from None
    if len(data) > limit:
        raise UnreadableFile(f"larger than {limit // (1024 * 1024)} MB")
    return data


def open_lines(path: Path):
    """Open a (possibly gzip-compressed) text file for reading line by line as bytes."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def decode_text(data: bytes) -> str:
    """Plain text from bytes: UTF-8 (with or without BOM) when valid, else cp1252/cp1251 by a letter count."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cyrillic = data.decode("cp1251", errors="replace")
    letters = sum(1 for ch in cyrillic if "\u0400" <= ch <= "\u04ff")
    if letters > len(data) * 0.3:
        return cyrillic
    return data.decode("cp1252", errors="replace")


def looks_binary(data: bytes) -> bool:
    """True when the bytes are not text: NUL bytes or mostly control characters near the start."""
    head = data[:4096]
    if b"\0" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls > len(head) * 0.05
