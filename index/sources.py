"""Finding the input files under the paths a user names, and reading them safely.

A *source* is one path given on the command line: a folder (searched recursively) or a single file.
Each file found becomes a :class:`SourceFile` that knows its kind (text dump, HTML page or JSON Lines),
the collection it belongs to, and the stable article id its path gives.

Only regular files are read: a FIFO, a device or a socket under a source folder is skipped with its
reason (opening a FIFO would wait forever). Symbolic links are followed only when their target stays
inside one of the folders named on the command line (a link to ``/etc/shadow`` is never read); links
that leave them, broken links and loops are skipped, each with its reason. Files are read in bounded
pieces: at most :data:`MAX_FILE_BYTES` of a page, and JSON Lines a line at a time, a line longer
than the limit skipped without being held (:func:`read_lines`).
"""

import contextlib
import dataclasses
import fcntl
import gzip
import os
import stat
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
#: Bytes read at a time while skipping the rest of an over-long line, or counting lines.
PIECE = 1024 * 1024


#: What reading a file further may raise (a truncated or corrupt gzip, a disk error).
READ_ERRORS = (OSError, EOFError, zlib.error)


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
    #: ``(device, inode)`` when found: a file replaced by another one (a link re-pointed) is not read.
    identity: tuple | None = None

    @property
    def relative(self) -> str:
        """The path relative to its source root, with forward slashes: the basis of article ids."""
        if self.path == self.root:
            return self.path.name
        return self.path.relative_to(self.root).as_posix()

    @property
    def origin(self) -> str:
        """A key that names this file in the index (its absolute path, see :func:`path_key`)."""
        return path_key(self.path)

    @property
    def stamp(self) -> str:
        """Changes whenever the file's content may have changed."""
        return f"{self.size}:{self.mtime_ns}"


def path_key(path) -> str:
    """A path as index text: undecodable bytes of a file name as ``\\xNN`` (index terms are UTF-8)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def kind_of(path: Path) -> str | None:
    """The kind of input a file name says it holds, or None for files newsearch does not read."""
    name = path.name.lower()
    for ending in sorted(KINDS, key=len, reverse=True):
        if name.endswith(ending):
            return KINDS[ending]
    return None


def iter_sources(paths, on_skip=None):
    """Yield a :class:`SourceFile` for every readable input under ``paths``, in a stable order.

    :param paths: files and folders; folders are searched recursively, hidden entries skipped.
    :param on_skip: called with ``(where, reason)`` for each input found but not used (not a regular
        file, a link that leaves the named folders, a broken link or a loop, an unreadable folder).
    :raise FileNotFoundError: when a named path does not exist.
    """
    on_skip = on_skip or _ignore
    roots = [_named(given) for given in paths]
    folders = [root for root in roots if root.is_dir()]
    for given, root in zip(paths, roots):
        if root.is_dir():
            for path, found in _walk(root, root, folders, on_skip, frozenset([root])):
                yield _source_file(path, root, root.name, found)
        elif _is_regular(root, on_skip, str(given)):
            if kind_of(root) is not None:
                yield _source_file(root, root, collection_name(root), root.stat())


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


def _named(given) -> Path:
    """A path named on the command line, resolved (a named link is followed: it was named)."""
    path = Path(given)
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:
        raise FileNotFoundError(f"No such file or folder: {given}") from None
    except (OSError, RuntimeError):  # a loop
        raise FileNotFoundError(f"No such file or folder: {given} (a symbolic link loop)") from None


def _walk(folder: Path, real: Path, folders, on_skip, ancestors):
    """``(path, stat)`` of the input files under ``folder``: its files by name, then its folders'.

    :param real: ``folder``'s real path (links resolved).
    :param ancestors: the real paths of ``folder`` and the folders it is in (a link to one is a loop).
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        on_skip(str(folder), f"cannot list the folder: {e.strerror or e}")
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        target = _link_target(path, folders, on_skip) if entry.is_symlink() else real / entry.name
        if target is None:
            continue
        try:
            found = path.stat()
        except OSError as e:
            on_skip(str(path), f"cannot read: {e.strerror or e}")
            continue
        if stat.S_ISDIR(found.st_mode):
            subfolders.append((path, target))
        elif kind_of(path) is not None and _is_regular(path, on_skip, str(path), found):
            yield path, found
    for path, target in subfolders:
        if target in ancestors:
            on_skip(str(path), "symbolic link loop (a link to a folder it is in)")
        else:
            yield from _walk(path, target, folders, on_skip, ancestors | {target})


def _link_target(path: Path, folders, on_skip) -> Path | None:
    """Where a symbolic link leads, or None (and why, when it matters) when it is not followed."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        reason = "broken symbolic link"
    except (OSError, RuntimeError):
        reason = "symbolic link loop"
    else:
        if any(target.is_relative_to(folder) for folder in folders):
            return target
        reason = f"symbolic link to {target}, outside the source folders"
    if kind_of(path) is not None or not path.suffix:  # an input file, or maybe a folder
        on_skip(str(path), reason)
    return None


def _is_regular(path: Path, on_skip, where: str, found=None) -> bool:
    found = found or path.stat()
    if stat.S_ISREG(found.st_mode):
        return True
    on_skip(where, f"not a regular file ({_file_type(found.st_mode)})")
    return False


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file or a folder"


def _source_file(path: Path, root: Path, collection: str, found) -> SourceFile:
    return SourceFile(path, root, kind_of(path), collection, found.st_size, found.st_mtime_ns,
                      (found.st_dev, found.st_ino))


def _ignore(where, reason) -> None:
    pass


def open_regular(path: Path, identity=None):
    """Open a file for reading as bytes, making sure it is a regular file (and the one found).

    Opened without blocking, so a FIFO put in its place never hangs the run.
    :raise UnreadableFile: when it is not a regular file, or not the file ``identity`` names.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise UnreadableFile(f"cannot read: {e.strerror or e}") from None
    found = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(found.st_mode):
        problem = f"not a regular file ({_file_type(found.st_mode)})"
    elif identity is not None and (found.st_dev, found.st_ino) != tuple(identity):
        problem = "replaced by another file while the reindex ran"
    if problem:
        os.close(fd)
        raise UnreadableFile(problem)
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    return os.fdopen(fd, "rb")


@contextlib.contextmanager
def _opened(src):
    """A binary reader of ``src`` (a :class:`SourceFile` or a path), decompressing ``.gz``."""
    path, identity = (src.path, src.identity) if isinstance(src, SourceFile) else (Path(src), None)
    with open_regular(path, identity) as raw:
        if not path.name.lower().endswith(".gz"):
            yield raw
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unpacked:
            yield unpacked


def read_bytes(src, limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of ``src`` (a :class:`SourceFile` or a path), decompressed when it ends in ``.gz``.

    :raise UnreadableFile: with a reason a person can act on.
    """
    try:
        with _opened(src) as f:
            data = f.read(limit + 1)
    except READ_ERRORS as e:
        raise UnreadableFile(f"cannot read: {e}") from None
    if len(data) > limit:
        raise UnreadableFile(f"larger than {limit // (1024 * 1024)} MB")
    return data


def read_lines(src, limit: int):
    """Yield ``(line number, line)`` of a (possibly gzip-compressed) file, as bytes.

    A line longer than ``limit`` bytes is yielded as None, and read past in pieces of :data:`PIECE`
    bytes, never held whole (a gzip bomb of one 1.5 GiB line costs no more memory than ``limit``).
    :raise UnreadableFile: when the file cannot be opened or is not a regular file.
    :raise OSError, EOFError, zlib.error: (:data:`READ_ERRORS`) when it cannot be read further.
    """
    with _opened(src) as f:
        lineno = 0
        while line := f.readline(limit + 1):
            lineno += 1
            if len(line) <= limit or line.endswith(b"\n"):
                yield lineno, line
                continue
            while line and not line.endswith(b"\n"):
                line = f.readline(PIECE)
            yield lineno, None


def count_lines(src) -> int:
    """Lines in a (possibly gzip-compressed) file, read in pieces (0 when it cannot be read)."""
    total = 0
    try:
        with _opened(src) as f:
            while piece := f.read(PIECE):
                total += piece.count(b"\n")
    except (UnreadableFile, *READ_ERRORS):
        pass
    return total


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
