"""Do two index folders hold the same index? For a change to the build that must not change its content.

``python -m bench.same_index INDEX_A INDEX_B`` compares the live generations of two index folders, in
lockstep, without holding either in memory:

* every document's stored fields, in document-number order;
* every field's terms, and every term's postings (document number, weight and encoded value:
  positions for positional fields), in order;
* the figure aliases (``aliases.json``, without its commit number).

It prints what it compared and the first differences, and exits 1 when there is any. (Documents are
compared by number: the build writes them in a deterministic order, so the same input gives the same
numbers.) ``/work/tools/mixsnap.py`` compares the 50-query mix's answers over the two.
"""

import argparse
import itertools
import json
import sys

from index.store import ALIASES
from index.store import open_current

#: Differences printed before the rest are only counted.
SHOWN = 10


def stored(reader):
    """``(docnum, stored fields)`` of every document, deleted ones included (they count too)."""
    for docnum in range(reader.doc_count_all()):
        yield docnum, reader.stored_fields(docnum)


def postings(reader):
    """``(field, term, [(docnum, weight, value)])`` of every indexed term, in order."""
    for field, term in reader.all_terms():
        matcher = reader.postings(field, term)
        rows = []
        while matcher.is_active():
            rows.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        yield field, term, rows


def aliases(gen) -> dict:
    return json.loads((gen / ALIASES).read_text()).get("aliases")


def compare(a, b, label: str, out: dict) -> int:
    """Compare two iterators item by item; note differences in ``out``; return the items seen."""
    count = 0
    for x, y in itertools.zip_longest(a, b):
        count += 1
        if x != y:
            out.setdefault(label, []).append((_short(x), _short(y)))
    return count


def _short(value) -> str:
    text = repr(value)
    return text if len(text) < 300 else text[:300] + "…"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first")
    parser.add_argument("second")
    args = parser.parse_args(argv)
    (gen_a, ix_a), (gen_b, ix_b) = open_current(args.first), open_current(args.second)
    differences = {}
    with ix_a.reader() as ra, ix_b.reader() as rb:
        docs = compare(stored(ra), stored(rb), "stored fields", differences)
        terms = compare(postings(ra), postings(rb), "postings", differences)
        deleted = compare(iter([ra.has_deletions()]), iter([rb.has_deletions()]), "deletions", differences)
    compare(iter([aliases(gen_a)]), iter([aliases(gen_b)]), "aliases", differences)
    print(f"compared {docs:,} documents' stored fields, {terms:,} terms' postings, aliases, deletions ({deleted})")
    for label, found in differences.items():
        print(f"{label}: {len(found):,} differ; first:")
        for x, y in found[:SHOWN]:
            print(f"  {x}\n  {y}")
    print("same index" if not differences else "DIFFERENT")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
