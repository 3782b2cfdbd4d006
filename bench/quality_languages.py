"""Languages on the HTML dev pages: the detector's accuracy, and the share of people among German figures.

Rows (both read ../shared/corpora/html-trafilatura-dev through the real pipeline, ``index.extract_articles``):

- language detection accuracy against ``bench/languages_dev_pages.tsv`` (page, ISO 639-1 code), checked by eye on
  every page (title and text read; a page mixing languages is labelled by its running text);
- the by-eye audit ``bench/figures_audit_de.tsv`` of 150 random figures of the German pages (figure, page, verdict
  ``person`` / ``not person``, the text around the first mention): the share of people among the audited figures
  the extractor still produces, target 0.90. ``--sample-audit`` prints a fresh random sample (verdicts "?", to be
  read and marked by a person; ``--seed`` draws another sample, to look for errors without reading the audit).

Run from the repo root: ``.venv/bin/python -m bench.quality_languages``.
"""

from __future__ import annotations

import argparse
import random
import re
from functools import cache
from pathlib import Path

from index import extract_articles

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
PAGES = CORPORA / "html-trafilatura-dev" / "html"
HERE = Path(__file__).resolve().parent
LANGUAGES = HERE / "languages_dev_pages.tsv"
AUDIT = HERE / "figures_audit_de.tsv"
LANGUAGE_TARGET = 0.95
AUDIT_TARGET = 0.90
AUDIT_SIZE = 150
#: The seed of the committed held-out audit; error analysis uses other seeds.
AUDIT_SEED = 2026


def row(measure: str, value: float, target: float | None, detail: str) -> dict:
    ok = True if target is None else value >= target
    return {"what": "language", "set": "html-trafilatura-dev", "measure": measure, "value": round(value, 4),
            "target": target, "ok": ok, "detail": detail}


@cache
def dev_articles() -> dict:
    """Page name (``p0001``) -> extracted article, for every dev page."""
    articles = extract_articles([PAGES], workers=0)
    return {page_name(a.id): a for a in articles if hasattr(a, "language")}


def page_name(article_id: str) -> str:
    return article_id.rsplit("/", 1)[-1].split(".", 1)[0]


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def language_row() -> dict:
    gold = {page: code for page, code in read_tsv(LANGUAGES)[1:]}
    articles = dev_articles()
    wrong = [f"{p} {gold[p]}->{articles[p].language}" for p in sorted(gold) if articles[p].language != gold[p]]
    return row("language detection accuracy", 1 - len(wrong) / len(gold), LANGUAGE_TARGET,
               f"{len(gold) - len(wrong)}/{len(gold)} pages right; wrong: {', '.join(wrong) or 'none'}")


def audit_row() -> dict:
    audit = read_tsv(AUDIT)[1:]
    articles = dev_articles()
    produced = [(figure, verdict) for figure, page, verdict, _ in audit if figure in articles[page].figures]
    people = sum(1 for _, verdict in produced if verdict == "person")
    lost = sum(1 for _, _, verdict, _ in audit if verdict == "person") - people
    german = [a for a in articles.values() if a.language == "de"]
    figures = sum(len(a.figures) for a in german)
    return row("German audit: share of people", people / max(1, len(produced)), AUDIT_TARGET,
               f"{people}/{len(produced)} audited figures still produced are people ({len(audit)} audited; "
               f"{len(audit) - len(produced)} no longer produced, {lost} of them people); "
               f"{figures} figures on {len(german)} German pages now")


def sample_audit(size: int = AUDIT_SIZE, seed: int = AUDIT_SEED) -> list[str]:
    """A fresh random sample of (figure, page) of the German pages, as audit lines with verdict "?"."""
    pairs = [(figure, page, article) for page, article in sorted(dev_articles().items())
             if article.language == "de" for figure in article.figures]
    lines = ["figure\tpage\tverdict\tcontext"]
    for figure, page, article in random.Random(seed).sample(pairs, min(size, len(pairs))):
        lines.append(f"{figure}\t{page}\t?\t{context(figure, article.title + ' ' + article.body)}")
    return lines


def context(figure: str, text: str) -> str:
    """The text around the first mention of ``figure`` (or of its last word), on one line."""
    match = re.search(re.escape(figure), text) or re.search(re.escape(figure.split()[-1]), text)
    if not match:
        return ""
    return re.sub(r"\s+", " ", text[max(0, match.start() - 70) : match.end() + 50])


def rows() -> list[dict]:
    """Both rows; [] when the dev pages are not there."""
    if not PAGES.is_dir():
        return []
    return [language_row(), audit_row()]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample-audit", action="store_true", help="print a fresh audit sample to mark by eye")
    parser.add_argument("--seed", type=int, default=AUDIT_SEED, help="the sample's seed (another one to look for "
                        "errors without reading the held-out audit)")
    parser.add_argument("--size", type=int, default=AUDIT_SIZE)
    args = parser.parse_args(argv)
    if args.sample_audit:
        print("\n".join(sample_audit(args.size, args.seed)))
        return
    for r in rows():
        print(f"{r['measure']:<32} {r['value']:>7.4f} {r['target']:>5} {'yes' if r['ok'] else 'NO':<3} {r['detail']}")


if __name__ == "__main__":
    main()
