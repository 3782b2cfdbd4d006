"""The benchmark corpus: Reuters-21578 as JSON Lines files of 1,000 articles, for both systems.

Three sizes, each written under ``bench/work/<size>/``:

* ``real`` — the 21,578 Reuters articles as they are;
* ``scaled`` — the same articles 5 times (≈107,890): copy *k* (k = 1..4) has ids suffixed ``-s<k>``
  and dates shifted by +k whole years, so the 1987 originals stay where they were;
* ``1m`` — the same articles 47 times (1,014,166), made the same way (copies 1..46: ``-s<k>``, +k years).

Each size has two folders holding the same articles in the same files:

* ``newsearch/`` — ``id``, ``title``, ``body``, ``date``, ``url`` (null); no ``figures``: newsearch
  extracts them from the text itself;
* ``baseline/`` — the same plus ``figures``: the names newsearch's extractor finds in the article's
  text (``James Baker``), worked out once here and written into the records, so that both systems
  facet and filter on the same people while the baseline itself extracts nothing. (The Reuters
  ``people`` codes, e.g. ``james-baker``, tag only ~1,000 of the 21,578 stories; a baseline faceting
  on them would count a field 40 times sparser than the one newsearch counts.)

Files are ``part-NNN.jsonl`` with 1,000 articles each, so "changing one file" touches 1,000 articles.
A ``corpus.json`` stamp records what was written; an unchanged corpus is not rewritten.

Run ``python -m bench.corpus [--size real|scaled|1m|both]`` to write it by hand.
"""

import argparse
import gzip
import json
import shutil
from pathlib import Path

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578" / "articles.jsonl.gz"
WORK = Path(__file__).resolve().parent / "work"
PER_FILE = 1000
SCALED_COPIES = 5
#: Copies of Reuters per size (each copy past the first with new ids and dates shifted by whole years).
COPIES = {"real": 1, "scaled": SCALED_COPIES, "1m": 47}
#: How each size is described in reports.
LABELS = {"real": "real (Reuters-21578)",
          "scaled": "scaled (Reuters ×5, ids -s1…-s4, dates +1…+4 years)",
          "1m": "1m (Reuters ×47, ids -s1…-s46, dates +1…+46 years)"}
SIDES = ("newsearch", "baseline")
#: Bump when the layout of the written records changes, so old corpora are rewritten.
VERSION = 2
#: The extracted figures of the Reuters originals, by id (written once; see :func:`extracted_figures`).
FIGURES = WORK / "figures.json"


def read_reuters(path: Path = REUTERS) -> list:
    """The Reuters records, in file (chronological) order."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shift_date(date: str | None, years: int) -> str | None:
    """``1987-03-02T10:00:00`` moved by whole years (Reuters has no 29 February)."""
    if not date or not years:
        return date
    return f"{int(date[:4]) + years:04d}{date[4:]}"


def records(reuters: list, size: str, figures: dict):
    """``(newsearch record, baseline record)`` pairs of one corpus size, in order."""
    for k in range(COPIES[size]):
        for r in reuters:
            yield make_pair(r, figures.get(r["id"], []), suffix=f"-s{k}" if k else "", years=k)


def make_pair(r: dict, figures: list, suffix: str = "", years: int = 0):
    """One Reuters record as the two systems read it (``figures``: what newsearch extracts from it)."""
    ours = {
        "id": r["id"] + suffix,
        "title": r.get("title") or "",
        "body": r.get("body") or "",
        "date": shift_date(r.get("date"), years),
        "url": None,
    }
    theirs = dict(ours, figures=list(figures))
    return ours, theirs


def extracted_figures(reuters: list) -> dict:
    """``{id: [figure names]}``: what newsearch's extractor finds in each Reuters original (cached)."""
    from index.build import extract_articles
    from index.extract import EXTRACTOR_VERSION

    if FIGURES.exists():
        cached = json.loads(FIGURES.read_text())
        if cached.get("extractor") == EXTRACTOR_VERSION and len(cached["figures"]) == len(reuters):
            return cached["figures"]
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    source = FIGURES.with_name("originals.jsonl")
    write_jsonl(source, [make_pair(r, [])[0] for r in reuters])
    found = {r["id"]: [] for r in reuters}
    for article in extract_articles([source]):
        if hasattr(article, "figures"):
            found[article.id] = list(article.figures)
    source.unlink()
    FIGURES.write_text(json.dumps({"extractor": EXTRACTOR_VERSION, "figures": found}))
    return found


def size_dir(size: str) -> Path:
    return WORK / size


def part_name(n: int) -> str:
    return f"part-{n:03d}.jsonl"


def write_corpus(size: str, reuters: list | None = None) -> dict:
    """Write (or keep) the corpus of one size; return its stamp (``documents``, ``files``, folders)."""
    root = size_dir(size)
    stamp_path = root / "corpus.json"
    if stamp_path.exists():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("version") == VERSION and all((root / s).is_dir() for s in SIDES):
            return stamp
    reuters = reuters if reuters is not None else read_reuters()
    figures = extracted_figures(reuters)
    for side in SIDES:
        shutil.rmtree(root / side, ignore_errors=True)
        (root / side).mkdir(parents=True)
    count, files = 0, 0
    batch = []
    for pair in records(reuters, size, figures):
        batch.append(pair)
        if len(batch) == PER_FILE:
            write_part(root, files, batch)
            files, count, batch = files + 1, count + len(batch), []
    if batch:
        write_part(root, files, batch)
        files, count = files + 1, count + len(batch)
    stamp = {"version": VERSION, "size": size, "documents": count, "files": files, "label": LABELS[size]}
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n")
    return stamp


def write_part(root: Path, n: int, pairs: list) -> None:
    """Write one 1,000-article file for both sides."""
    for i, side in enumerate(SIDES):
        write_jsonl(root / side / part_name(n), [pair[i] for pair in pairs])


def write_jsonl(path: Path, rows: list) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the benchmark corpus under bench/work/.")
    parser.add_argument("--size", choices=[*COPIES, "both"], default="real")
    args = parser.parse_args(argv)
    reuters = read_reuters()
    for size in ("real", "scaled") if args.size == "both" else (args.size,):
        stamp = write_corpus(size, reuters)
        print(f"{size}: {stamp['documents']:,} articles in {stamp['files']} files under {size_dir(size)}")


if __name__ == "__main__":
    main()
