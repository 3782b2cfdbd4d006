"""The index folder: generations of a Whoosh index and the pointer that names the live one.

Layout of an index folder::

    CURRENT                 one line: the name of the live generation
    gen-<stamp>/            a complete Whoosh index, with format.json, manifest.json and aliases.json
    gen-<stamp>.tmp/        a generation being built (never read; removed if a build died)
    reindex.lock            held (flock) while a reindex runs (see :mod:`index.lock`)

For crash tests only, ``NEWSEARCH_TEST_PAUSE_AT=extract|write|merge|commit|publish`` makes a reindex print
``paused at <point>`` to stderr and sleep there, so a test can SIGKILL it at a known point (see
:func:`pause_point`); unset, it costs one environment lookup per point.

A full rebuild writes a new generation aside and switches ``CURRENT`` with an atomic rename, so readers
see the old index or the new one, never a mix. Incremental updates go into the live generation through
Whoosh's own atomic commit. The previous generation is kept so that searchers still open on it finish.

Each generation records the index format it was written in (``format.json``, see
:data:`index.schema.INDEX_FORMAT`); a generation of another format, or whose schema cannot be
unpickled (a class it names has moved), is refused with :class:`IndexIncompatible`, whose message
says to rebuild it with ``newsearch reindex --full``. Generations written before the stamp existed
are of format 1. A generation whose files cannot be read (a truncated segment or TOC, a missing
file) is :class:`IndexBroken`, with the same advice.
"""

import datetime
import json
import os
import pickle
import shutil
import struct
import sys
import time
import traceback
import zlib
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from index.schema import INDEX_FORMAT
from index.schema import READABLE_FORMATS
from index.whoosh_compat.files import close_files_left_open
from index.whoosh_compat.files import unused_files

#: Name prefix of the temporary folders a reindex keeps near-duplicate signatures in (index.dedup).
SCRATCH_PREFIX = "newsearch-clusters-"
#: Errors only damaged data raises (see :func:`is_damage`): a file that ends too soon, bytes that do
#: not unpack, decompress or unpickle, index terms that are not UTF-8.
DAMAGE = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, UnicodeDecodeError)
#: Whoosh's modules that read index files: whatever they raise mid-search is a damaged file.
_READER_FILES = (f"{os.sep}whoosh{os.sep}filedb{os.sep}", f"{os.sep}whoosh{os.sep}codec{os.sep}",
                 f"{os.sep}whoosh{os.sep}columns.py", f"{os.sep}whoosh{os.sep}util{os.sep}varints.py")

POINTER = "CURRENT"
MANIFEST = "manifest.json"
FORMAT = "format.json"
#: The figure aliases of a generation (written by :mod:`index.aliases`, read by :mod:`search.aliases`).
ALIASES = "aliases.json"
#: The format of a generation without ``format.json`` (written before the stamp existed).
UNSTAMPED_FORMAT = 1
#: Environment variable naming the point where a reindex pauses, for crash tests.
PAUSE_VARIABLE = "NEWSEARCH_TEST_PAUSE_AT"


class IndexMissing(Exception):
    """There is no index in this folder yet: build one with `newsearch reindex SOURCE... --index DIR`"""


class IndexBroken(Exception):
    """The index is damaged (a file is truncated or unreadable): rebuild it with `newsearch reindex SOURCE... --full`"""


class IndexIncompatible(Exception):
    """This index was written by an incompatible version of newsearch: rebuild it with `newsearch reindex SOURCE... --full`"""


def current_generation(index_dir) -> Path | None:
    """The folder of the live generation, or None when the index folder holds none."""
    try:
        name = (Path(index_dir) / POINTER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    path = Path(index_dir) / name
    return path if name and path.is_dir() else None


def open_current(index_dir):
    """Open the live generation.

    :return: ``(generation folder, whoosh Index)``.
    :raise IndexMissing: when there is no usable index in ``index_dir``.
    :raise IndexIncompatible: when the index was written in a format this version cannot read.
    """
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"{IndexMissing.__doc__} (looked in {index_dir})")
    return gen, open_generation(gen)


def open_generation(gen: Path):
    """Open a generation for reading without memory maps, after checking its format.

    With maps, Whoosh copies each part of a segment it reads into a BytesIO per reader (so per
    searcher thread): 215 MB per thread at 100,000 articles. Read through files instead, the operating
    system's page cache holds the index once for all threads and processes.

    :raise IndexMissing: when the folder holds no Whoosh index.
    :raise IndexIncompatible: for another format, or a schema that cannot be unpickled.
    """
    found = read_format(gen)
    if found not in READABLE_FORMATS:
        raise IndexIncompatible(f"{IndexIncompatible.__doc__} ({gen} is in index format {found}; "
                                f"this version reads {', '.join(map(str, READABLE_FORMATS))})")
    try:
        return FileStorage(str(gen), supports_mmap=False).open_index()
    except EmptyIndexError:
        raise IndexMissing(f"{IndexMissing.__doc__} (looked in {gen})") from None
    except (ImportError, AttributeError) as e:
        # The TOC pickles the schema: a class it names (an analyzer) is gone or moved.
        raise IndexIncompatible(f"{IndexIncompatible.__doc__} (the schema in {gen} cannot be read: "
                                f"{type(e).__name__}: {e})") from None
    except Exception as e:  # a truncated or overwritten TOC raises anything (EOFError, TypeError, ...)
        failure = broken(gen, e)
        close_files_left_open(e)
    raise failure


def open_searcher(ix, gen: Path):
    """``ix.searcher()``, which opens every segment: a segment that cannot be read is :class:`IndexBroken`.

    :raise IndexBroken: naming the file's problem.
    """
    try:
        return ix.searcher()
    except Exception as e:  # a truncated segment raises EOFError, UnpicklingError, struct.error, ...
        failure = broken(gen, e)
        close_files_left_open(e)
    raise failure  # outside the handler: the failed call's frames (and files) are let go


def broken(gen: Path, error: BaseException) -> "IndexBroken":
    """The :class:`IndexBroken` to raise for ``error``, met while reading the generation ``gen``."""
    return IndexBroken(f"{IndexBroken.__doc__} ({gen}: {type(error).__name__}: {error})")


def is_damage(error: BaseException) -> bool:
    """Whether an error met in the middle of a search comes from a damaged index file: a type only
    reading broken data raises, or anything raised inside Whoosh's file and codec readers."""
    if isinstance(error, DAMAGE):
        return True
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and any(part in frames[-1].filename for part in _READER_FILES)


def read_format(gen: Path) -> int | None:
    """The index format a generation was written in (None when its stamp is unreadable)."""
    try:
        data = json.loads((Path(gen) / FORMAT).read_text())
    except FileNotFoundError:
        return UNSTAMPED_FORMAT
    except (OSError, ValueError):
        return None
    return data.get("format") if isinstance(data, dict) else None


def write_format(gen: Path) -> None:
    """Stamp a generation being built with the index format this version writes."""
    (Path(gen) / FORMAT).write_text(json.dumps({"format": INDEX_FORMAT}))


def new_generation(index_dir) -> Path:
    """Create an empty folder for a generation being built."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = Path(index_dir) / f"gen-{stamp}-{os.getpid()}.tmp"
    path.mkdir(parents=True)
    return path


def publish(index_dir, building: Path) -> Path:
    """Make a finished generation the live one, atomically; return its final folder."""
    final = building.with_name(building.name.removesuffix(".tmp"))
    _fsync_tree(building)
    building.rename(final)
    pause_point("publish")
    pointer = Path(index_dir) / POINTER
    temp = pointer.with_name(POINTER + ".tmp")
    with open(temp, "w") as f:
        f.write(final.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, pointer)
    _fsync_dir(Path(index_dir))
    return final


def remove_stale(index_dir) -> list[str]:
    """Delete half-built generations, finished ones that never went live (a run killed while switching:
    newer than the live one) and all but the live and the previous one; return their names."""
    live = current_generation(index_dir)
    gens = sorted(p for p in Path(index_dir).glob("gen-*") if p.is_dir())
    unpublished = [p for p in gens if p.name.endswith(".tmp") or (live and p.name > live.name)]
    finished = [p for p in gens if p not in unpublished and p != live]
    stale = unpublished + finished[:-1]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in stale]


def clean_debris(index_dir) -> list[str]:
    """Remove what a reindex that died left (a full disk, a kill); return a note saying so, if any.

    In the live generation: the files no commit uses (:func:`remove_unused`) and half-written
    manifests; in the index folder: temporary folders of near-duplicate signatures, a half-written
    ``CURRENT``. Called with the reindex lock held, so no writer is using them.
    """
    index_dir = Path(index_dir)
    debris = [p for pattern in (f"{SCRATCH_PREFIX}*", f"{POINTER}.tmp") for p in index_dir.glob(pattern)]
    live = current_generation(index_dir)
    if live is not None:
        debris += live.glob("*.json.tmp")
    size = _remove(debris)
    if live is not None:
        removed, unused_size = remove_unused(live)
        debris, size = debris + removed, size + unused_size
    if not debris:
        return []
    return [f"removed {len(debris):,} files and folders ({size / 1e6:.1f} MB) that an interrupted "
            f"reindex left"]


def remove_unused(gen: Path) -> tuple[list, int]:
    """Remove the files of a generation no commit uses (:func:`index.whoosh_compat.files.unused_files`: a
    writer's that died or was cancelled); return them and their size. A generation whose latest
    commit cannot be read is left as it is. Only while the reindex lock is held."""
    try:
        unused = [gen / name for name in unused_files(gen)]
    except Exception as e:  # no commit, or one that cannot be read: nothing can be judged unused
        close_files_left_open(e)
        return [], 0
    return unused, _remove(unused)


def _remove(paths) -> int:
    """Delete files and folders; return the bytes they held."""
    size = sum(_size(path) for path in paths)
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return size


def _size(path: Path) -> int:
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def read_manifest(gen: Path, generation: int) -> dict:
    """File stamps recorded after the commit ``generation``; empty when missing or out of date."""
    try:
        data = json.loads((gen / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("generation") != generation:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def write_manifest(gen: Path, generation: int, files: dict) -> None:
    """Record the file stamps an index generation was built from (atomically)."""
    temp = gen / (MANIFEST + ".tmp")
    temp.write_text(json.dumps({"generation": generation, "files": files}))
    os.replace(temp, gen / MANIFEST)


def pause_point(name: str) -> None:
    """Test hook: sleep here (after saying so on stderr) when ``NEWSEARCH_TEST_PAUSE_AT`` names ``name``.

    Points: ``extract`` (articles are being extracted and added), ``write`` (all added, before the
    commit), ``merge`` (in the commit: small segments merged, the new segment not yet finished),
    ``commit`` (committed, before the manifest), ``publish`` (new generation renamed, before
    ``CURRENT`` switches).
    """
    if os.environ.get(PAUSE_VARIABLE) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _fsync_tree(path: Path) -> None:
    for child in path.iterdir():
        if child.is_file():
            with open(child, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
