"""Near-duplicate stories: the same wire story on several sites, the same page scraped twice.

Each article's cleaned body gets a MinHash signature over its word 4-shingles (:func:`signature`); two
articles whose signatures agree in at least :data:`THRESHOLD` of :data:`HASHES` places are near-identical.
Signatures are split into :data:`BANDS` bands stored as index terms, so candidates are found by term
look-ups (locality-sensitive hashing), then checked. Every article is given a ``cluster`` key at index
time: the id of the first article of its group. The read side lists one article per cluster.
"""

import random
import re
import zlib

SHINGLE = 4
HASHES = 16
BANDS = 4
ROWS = HASHES // BANDS
#: Agreeing signature places that make two articles near-identical (an estimated Jaccard of ~0.8).
THRESHOLD = 13
#: Bodies shorter than this many words are not compared (too little text to judge).
MIN_WORDS = 25

_WORD = re.compile(r"\w+")
# Fixed 32-bit masks: XOR with a mask is a cheap stand-in for a random permutation of hash values.
_MASKS = tuple(random.Random(20261122).getrandbits(32) for _ in range(HASHES))


def signature(text: str) -> tuple | None:
    """The MinHash signature of a body, or None when it is too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = [zlib.crc32(s.encode("utf-8")) for s in shingles]
    return tuple(min(map(mask.__xor__, hashes)) for mask in _MASKS)


def bands(sig) -> list[str]:
    """The band terms of a signature (what candidates must share)."""
    return [f"{b}.{zlib.crc32(repr(sig[b * ROWS:(b + 1) * ROWS]).encode()):08x}" for b in range(BANDS)]


def similar(a, b) -> bool:
    """True when two signatures say near-identical."""
    return a is not None and b is not None and sum(x == y for x, y in zip(a, b)) >= THRESHOLD


class Clusters:
    """Assigns cluster keys while a reindex writes: looks in the index and in this run's articles."""

    def __init__(self, searcher=None):
        self.searcher = searcher
        self.seen = {}

    def assign(self, article_id: str, sig) -> str:
        """The cluster key of an article: the id of the first near-identical article, or its own."""
        if sig is None:
            return article_id
        found = None
        for term in bands(sig):
            found = found or self._in_run(term, sig) or self._in_index(term, sig, article_id)
        for term in bands(sig):
            self.seen.setdefault(term, []).append((sig, found or article_id))
        return found or article_id

    def _in_run(self, term, sig):
        for other, cluster in self.seen.get(term, ()):
            if similar(sig, other):
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
            if fields.get("id") != article_id and similar(sig, fields.get("minhash")):
                return fields.get("cluster") or fields.get("id")
        return None
