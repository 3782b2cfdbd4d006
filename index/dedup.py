"""Near-duplicate stories: the same wire story on several sites, the same page scraped twice, a story
and its longer update, a press release and its rewrite in reported speech.

Each article's cleaned body gets a signature (:func:`signature`): a MinHash over its word 4-shingles
(:data:`HASHES` values), its publication day, and two small bottom-k sketches, of its shingles and of its
*key tokens* (numbers and capitalised words: names, places, figures). Two articles are the same story
(:func:`similar`) when

* their MinHash agrees in at least :data:`THRESHOLD` of :data:`HASHES` places (near-identical, an
  estimated Jaccard of ~0.8); or
* one's shingles are (almost) all in the other (:data:`CONTAINED` of them), it is not a small item
  inside a long round-up (:data:`MIN_SIZE_RATIO`), and they are dated within :data:`CONTAINED_DAYS`
  days (a story and its update with a paragraph more); or
* they are dated the same day, share about half their shingles (:data:`REWORDED`), and one's key
  tokens are (almost) all the other's (:data:`KEYS_CONTAINED`): the same facts reworded (a press
  release retold in reported speech). Templated reports (the Fed's daily operations, one fund's payout
  after another's) share most words too, but differ in their figures and names, or in their day.

Signatures are split into band terms stored as index terms, so candidates are found by term look-ups
(locality-sensitive hashing), then checked: :data:`BANDS` bands of :data:`ROWS` values (candidates for
near-identical pairs) and :data:`PAIR_BANDS` bands of two (for the looser rules). Every article is given
a ``cluster`` key at index time: the id of the first article of its group. The read side lists one
article per cluster. A signature stored by an older version (the MinHash alone) is compared by the
first rule only.
"""

import array
import contextlib
import datetime
import hashlib
import math
import os
import re
import shutil
import sqlite3
import tempfile
import weakref
import zlib

import numpy as np

from index.store import SCRATCH_PREFIX

SHINGLE = 4
HASHES = 16
BANDS = 4
ROWS = HASHES // BANDS
#: Bands of two MinHash values: candidates for the containment and rewording rules (J of 0.5 is a
#: candidate 9 times in 10).
PAIR_BANDS = HASHES // 2
#: Agreeing signature places that make two articles near-identical (an estimated Jaccard of ~0.8).
THRESHOLD = 13
#: Share of the shorter article's shingles found in the longer one that makes it the same story.
CONTAINED = 0.9
#: ... when the shorter has at least this share of the longer's shingles (not a brief in a round-up).
MIN_SIZE_RATIO = 0.25
#: ... and they are dated at most this many days apart (or one is undated).
CONTAINED_DAYS = 3
#: Estimated Jaccard of a same-day rewording (MinHash and sketch together; the MinHash alone must
#: agree in :data:`REWORDED_FLOOR` places) ...
REWORDED = 0.5
REWORDED_FLOOR = 6
#: ... with this share of the key tokens of one found in the other.
KEYS_CONTAINED = 0.95
#: Values kept in each bottom-k sketch, and how many a containment estimate needs to be trusted.
SKETCH = 32
MIN_SAMPLE = 8
#: Articles of one run whose signatures :class:`Clusters` keeps in memory; past that, on disk.
SPILL_AFTER = 20_000
#: Bodies shorter than this many words are not compared (too little text to judge).
MIN_WORDS = 25

_WORD = re.compile(r"\w+")
# One 64-byte BLAKE2b digest per shingle gives 16 independent 32-bit hash values. (A cheaper trick,
# XOR-ing one 32-bit hash with 16 masks, measured 714 false pairs out of 797 on 3,000 Reuters stories.)
#: Where the parts of a signature are: MinHash, day, shingle count, sketch length, sketches.
_DAY, _SIZE, _SKETCH_LENGTH, _SKETCHES = HASHES, HASHES + 1, HASHES + 2, HASHES + 3


def signature(text: str, date=None) -> tuple | None:
    """The signature of a body (see the module), or None when it is too short to compare.

    :param date: the article's publication day (a ``datetime.date``), when known.
    """
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    # Shingles joined from zipped word lists, and each distinct key token hashed once: the same values
    # as slicing and hashing every occurrence, for 30% less of the signature's time.
    shingles = set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE)))))
    # One row of HASHES 32-bit values per shingle, read at once (a row each cost a fifth of extraction).
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(s.encode()).digest() for s in shingles])  # 64 bytes: blake2b's default
    lanes = np.frombuffer(digests, dtype="<u4").reshape(-1, HASHES)
    minhash = tuple(lanes.min(axis=0).tolist())
    sketch = np.unique(lanes[:, 0])[:SKETCH].tolist()
    # Key tokens: numbers and capitalised words, what a templated report changes and a rewording keeps.
    tokens = {token.lower() for token in _WORD.findall(text) if token[0].isdigit() or token[0].isupper()}
    hashes = _KEY_HASHES
    keys = sorted({hashes[token] for token in tokens})[:SKETCH]
    day = date.year * 10000 + date.month * 100 + date.day if date is not None else 0
    return minhash + (day, len(shingles), len(sketch)) + tuple(sketch) + tuple(keys)


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=4).digest(), "little")


class _Hashes(dict):
    """Key token → :func:`_hash32`, kept as tokens come (names and numbers recur from article to
    article); emptied when it holds :data:`KEY_HASHES_KEPT`."""

    def __missing__(self, token):
        if len(self) >= KEY_HASHES_KEPT:
            self.clear()
        found = self[token] = _hash32(token)
        return found


KEY_HASHES_KEPT = 200_000
_KEY_HASHES = _Hashes()


def bands(sig) -> list[str]:
    """The band terms of a signature (what candidates must share): :data:`BANDS` bands of
    :data:`ROWS` values, then :data:`PAIR_BANDS` bands of two."""
    found = [f"{b}.{zlib.crc32(repr(tuple(sig[b * ROWS:(b + 1) * ROWS])).encode()):08x}" for b in range(BANDS)]
    if len(sig) > HASHES:
        found += [f"p{b}.{zlib.crc32(repr(tuple(sig[2 * b:2 * b + 2])).encode()):08x}" for b in range(PAIR_BANDS)]
    return found


def band_number(term: str) -> int:
    """A band term of :func:`bands` as one integer (the band's place above its 32-bit CRC), one to one."""
    band, crc = term.split(".")
    place = int(band[1:]) + BANDS if band.startswith("p") else int(band)
    return place << 32 | int(crc, 16)


def similar(a, b) -> bool:
    """True when two signatures say the same story (see the module for the three rules)."""
    if a is None or b is None:
        return False
    agree = sum(x == y for x, y in zip(a[:HASHES], b[:HASHES]))
    if agree >= THRESHOLD:
        return True
    if len(a) <= HASHES or len(b) <= HASHES:
        return False  # a signature of an older version: the MinHash alone
    return _contained(a, b) or (agree >= REWORDED_FLOOR and _reworded(a, b, agree))


def _parts(sig):
    """``(day, shingle count, shingle sketch, key sketch)`` of a signature."""
    length = sig[_SKETCH_LENGTH]
    return sig[_DAY], sig[_SIZE], sig[_SKETCHES:_SKETCHES + length], sig[_SKETCHES + length:]


def _contained(a, b) -> bool:
    day_a, size_a, sketch_a, _ = _parts(a)
    day_b, size_b, sketch_b, _ = _parts(b)
    if min(size_a, size_b) < MIN_SIZE_RATIO * max(size_a, size_b):
        return False
    if day_a and day_b and abs(_days(day_a) - _days(day_b)) > CONTAINED_DAYS:
        return False
    small, big = (sketch_a, sketch_b) if size_a <= size_b else (sketch_b, sketch_a)
    share = containment(small, big)
    return share is not None and share >= CONTAINED


def _reworded(a, b, agree) -> bool:
    day_a, _, sketch_a, keys_a = _parts(a)
    day_b, _, sketch_b, keys_b = _parts(b)
    if not day_a or day_a != day_b or _jaccard(agree, sketch_a, sketch_b) < REWORDED:
        return False
    small, big = (keys_a, keys_b) if len(keys_a) <= len(keys_b) else (keys_b, keys_a)
    share = containment(small, big) if len(small) >= MIN_SAMPLE else None
    return share is not None and share >= KEYS_CONTAINED


def _jaccard(agree, sketch_a, sketch_b) -> float:
    """Jaccard of two shingle sets estimated from both the MinHash agreement and the bottom-k sketches
    (the bottom-k of their union: the share of it in both), 16 + up to 32 samples."""
    union = sorted(set(sketch_a) | set(sketch_b))[:min(len(sketch_a), len(sketch_b))]
    both = set(sketch_a) & set(sketch_b)
    return (agree + sum(value in both for value in union)) / (HASHES + len(union))


def containment(small, big) -> float | None:
    """The share of a set found in another, from their bottom-k sketches (sorted hash values, at most
    :data:`SKETCH`; a shorter sketch is the whole set). None when too few values can be compared.

    The values of ``small`` up to the largest of a full ``big`` sketch are a uniform sample of
    ``small`` there, and ``big`` holds every one of its own values in that range, so the share is
    exact for each: a set wholly inside the other always gives 1.
    """
    limit = big[-1] if len(big) >= SKETCH else math.inf
    sample = [value for value in small if value <= limit]
    if len(sample) < min(MIN_SAMPLE, len(small)) or not sample:
        return None
    found = set(big)
    return sum(value in found for value in sample) / len(sample)


def _days(day: int) -> int:
    """A ``YYYYMMDD`` number as a count of days (for differences)."""
    return datetime.date(day // 10000, day // 100 % 100, day % 100).toordinal()


def _pack(sig) -> bytes:
    return array.array("I", sig).tobytes()


def _unpack(packed: bytes) -> tuple:
    return tuple(array.array("I", packed))


class Clusters:
    """Assigns cluster keys while a reindex writes: looks in the index and in this run's articles.

    An article joins a cluster only when it is near-identical to the cluster's first article, so
    clusters cannot drift by chaining (A like B, B like C, C unlike A).

    This run's signatures (band term → articles, cluster → its first article) are kept in memory for
    the first ``spill_after`` articles, then in a temporary SQLite file, so a large reindex's memory
    does not grow with the number of articles it writes. The file holds each signature once, and a
    band term as an integer (:func:`band_number`) beside the article's row number: with a copy of the
    signature under each of its 12 terms it held ~4.4 KB an article, 4.9 GB at a million (more than
    the index's final merge). :meth:`close` removes the file (so does garbage collection).
    """

    def __init__(self, searcher=None, spill_after: int = SPILL_AFTER, folder=None):
        self.searcher = searcher
        #: Where the temporary file goes (a reindex names the index folder, whose next run removes
        #: what a killed one left: see :func:`index.store.clean_debris`); None: the system's.
        self.folder = folder
        #: In memory: ``(signature, cluster)`` of each article remembered, in turn (see
        #: :meth:`_new_terms`); band term → their rows; cluster → its first row.
        self._rows, self._seen, self._firsts = [], {}, {}
        self._spill_after = spill_after
        self._db = None
        self._drop = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        """Forget this run's signatures (the temporary file goes)."""
        if self._drop is not None:
            self._drop()

    def assign(self, article_id: str, sig) -> str:
        """The cluster key of an article: the id of the first near-identical article, or its own."""
        if sig is None:
            return article_id
        terms = bands(sig)
        run_rows = self._run_rows(terms)
        firsts = {}  # cluster → its first article's signature, looked up once per call
        found = None
        for term in terms:
            found = found or self._in_run(run_rows(term), sig, firsts) or self._in_index(term, sig, article_id)
        cluster = found or article_id
        self._remember(self._new_terms(terms, cluster, firsts), sig, cluster)
        return cluster

    def _new_terms(self, terms, cluster, firsts) -> list:
        """The terms an article of ``cluster`` must be remembered under: those the cluster's first article
        (in this run) lacks; all of them when the cluster has none yet.

        Under a term the first article has, a later member's row can never decide a look-up: the first
        article's row comes before it and passes whenever the member's does (a row passes when its own
        signature and its cluster's first one are both similar), giving the same cluster. Leaving such
        rows out keeps a term's rows from growing with the copies of a story (a million articles made
        of 47 copies of each had 12 rows per copy per story, scanned by every later copy: ~850 CPU-s).
        """
        first = firsts[cluster] if cluster in firsts else self._first(cluster)
        if first is None:
            return terms
        had = set(bands(first))
        return [term for term in terms if term not in had]

    def _remember(self, terms, sig, cluster) -> None:
        if not terms:
            return  # a member under no term its cluster's first article lacks: never decides (_new_terms)
        if self._db is None and len(self._rows) >= self._spill_after:
            self._spill()
        if self._db is None:
            row = len(self._rows)
            self._rows.append((sig, cluster))
            self._firsts.setdefault(cluster, row)
            for term in terms:
                self._seen.setdefault(term, []).append(row)
            return
        with _disk_errors():
            row = self._db.execute("INSERT INTO article (sig, cluster) VALUES (?, ?)",
                                   (_pack(sig), cluster)).lastrowid
            self._db.execute("INSERT OR IGNORE INTO first VALUES (?, ?)", (cluster, row))
            self._db.executemany("INSERT INTO seen VALUES (?, ?)", [(band_number(t), row) for t in terms])

    def _spill(self) -> None:
        """Move what is in memory to a new temporary SQLite file, and keep adding there."""
        folder = tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=self.folder)
        db = sqlite3.connect(os.path.join(folder, "clusters.sqlite"), check_same_thread=False)
        self._drop = weakref.finalize(self, _drop, db, folder)
        with _disk_errors():
            db.executescript("""
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA cache_size = -16000;
                CREATE TABLE article (row INTEGER PRIMARY KEY, sig BLOB NOT NULL, cluster TEXT NOT NULL);
                CREATE TABLE seen (term INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (term, row))
                    WITHOUT ROWID;
                CREATE TABLE first (cluster TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
            """)
            # Rows numbered from 1 in the order the articles came: a term's rows are read in that order.
            db.executemany("INSERT INTO article VALUES (?, ?, ?)",
                           ((n + 1, _pack(sig), cluster) for n, (sig, cluster) in enumerate(self._rows)))
            db.executemany("INSERT INTO first VALUES (?, ?)",
                           ((cluster, row + 1) for cluster, row in self._firsts.items()))
            db.executemany("INSERT INTO seen VALUES (?, ?)",
                           ((band_number(term), row + 1) for term, rows in self._seen.items() for row in rows))
        self._db, self._rows, self._seen, self._firsts = db, [], {}, {}

    def _first(self, cluster):
        if self._db is None:
            row = self._firsts.get(cluster)
            return self._rows[row][0] if row is not None else None
        with _disk_errors():
            found = self._db.execute("SELECT sig FROM first JOIN article USING (row) WHERE first.cluster = ?",
                                     (cluster,)).fetchone()
        return _unpack(found[0]) if found else None

    def _run_rows(self, terms):
        """A function ``term -> (signature, cluster) of this run's articles under it``, in the order
        they came, for the given terms (in the file, read with one query for them all: most articles
        are like none, and look under all their terms)."""
        if self._db is None:
            return lambda term: (self._rows[row] for row in self._seen.get(term, ()))
        numbers = {band_number(term): term for term in terms}
        with _disk_errors():
            rows = self._db.execute(f"SELECT term, sig, cluster FROM seen JOIN article USING (row) WHERE term IN "
                                    f"({', '.join('?' * len(numbers))}) ORDER BY term, row", tuple(numbers)).fetchall()
        found = {}
        for number, packed, cluster in rows:
            found.setdefault(numbers[number], []).append((packed, cluster))
        # Unpacked one at a time: the first similar row ends the search, and a story repeated in many
        # copies has a row per copy under each of its terms.
        return lambda term: ((_unpack(packed), cluster) for packed, cluster in found.get(term, ()))

    def _in_run(self, rows, sig, firsts):
        """The cluster of the first of ``rows`` similar to ``sig`` whose cluster's first article is too
        (``firsts`` caches those first articles' signatures for this look-up)."""
        for other, cluster in rows:
            if similar(sig, other):
                if cluster not in firsts:
                    firsts[cluster] = self._first(cluster)
                first = firsts[cluster]
                if first is None or similar(sig, first):  # none in this run: the row's own, just compared
                    return cluster
        return None

    def _in_index(self, term, sig, article_id):
        if self.searcher is None:
            return None
        reader = self.searcher.reader()
        if not reader.doc_frequency("dup_bands", term):
            return None
        for docnum in reader.postings("dup_bands", term).all_ids():
            fields = self.searcher.stored_fields(docnum)
            if fields.get("id") == article_id or not similar(sig, fields.get("minhash")):
                continue
            cluster = fields.get("cluster") or fields.get("id")
            if cluster == fields.get("id") or similar(sig, self._signature_of(cluster)):
                return cluster
        return None

    def _signature_of(self, article_id):
        found = self._first(article_id)
        if found is not None:
            return found
        fields = self.searcher.document(id=article_id) or {}
        return fields.get("minhash")


def _drop(db, folder) -> None:
    db.close()
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _disk_errors():
    """SQLite's errors (a full disk shows as "disk I/O error") as the OSError callers report."""
    try:
        yield
    except sqlite3.Error as e:
        raise OSError(f"cannot keep near-duplicate signatures in a temporary file: {e}") from e
