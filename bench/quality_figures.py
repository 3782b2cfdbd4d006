"""Quality and speed of index/figures/ on the shared dev corpora (never copied into the repo).

Rows:
- CoNLL-2003 eng.testa (target) and eng.train (no target, an overfitting check): micro F1 over documents of
  the set of people, gold PER mentions normalized by the same within-article normalizer as predictions, then both
  sides resolved across the file by `FigureResolver` as the index does (the detail shows F1 before resolution).
- Reuters-21578: share of human PEOPLE tags found in find_figures(title + body) after corpus-level resolution
  (every article's list fed to one `FigureResolver`, then each name resolved: what the index stores); a tag counts
  only when all its hyphen parts are words of one figure. Throughput in words/s; surname-only names merged.
- Reuters-21578 precision on the by-eye audit `bench/figures_audit_reuters.tsv` (figure, articles, verdict,
  sample): the share of person figures among audited figures, weighted by the articles naming each figure now (as
  the figures facet shows them), target 0.90; the detail gives the unweighted share on the uniform sample, the share
  of all facet entries the audit covers, and how many figures in >= 5 articles are not audited yet (audit those).
- The two seed pages: the expected people are found, and nothing else in seed 002's article.
- GermEval 2014 dev (German): people per article, P/R/F1 as :mod:`bench.germeval` scores them, on all of dev
  (targets F1 0.80, precision 0.85; in-sample, as the shipped German tagger is trained on all of dev) and on its
  held-out half (the odd articles, never read while writing rules), scored with a tagger trained on the even half.

Run from the repo root: ``.venv/bin/python -m bench.quality_figures``.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import germeval
from bench import train_tagger_de
from index.figures import FigureResolver, find_figures, fold, normalize_mentions
from index.figures import tagger_de

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CONLL_TARGET = 0.86
REUTERS_TARGET = 0.95
AUDIT_TARGET = 0.90
GERMEVAL_F1_TARGET = 0.80
GERMEVAL_PRECISION_TARGET = 0.85
AUDIT = Path(__file__).resolve().parent / "figures_audit_reuters.tsv"
SEED_000_EXPECTED = {"Valentina Matvienko", "Dmitry Vasilenko", "Patriarch Kirill"}
SEED_002_EXPECTED = {"Grigory Rapota", "Nikolai Ovsienko", "Igor Rudeni", "Alexander Shkolnik"}
TEASER_EXPECTED = {"Imangali Tasmagambetov", "Ararat Mirzoyan"}


def row(set_name: str, measure: str, value: float, target: float | None, detail: str) -> dict:
    ok = True if target is None else value >= target
    return {"what": "figures", "set": set_name, "measure": measure, "value": round(value, 4),
            "target": target, "ok": ok, "detail": detail}


def read_conll(path: Path):
    """Yield (text, gold PER mentions) per document; IOB1: contiguous I-PER tokens are one entity."""
    sentences: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + ["-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-") or not line.strip():
            if sentence:
                sentences.append(sentence)
                sentence = []
            if line.startswith("-DOCSTART-") and sentences:
                yield conll_document(sentences)
                sentences = []
            continue
        cols = line.split(" ")
        sentence.append((cols[0], cols[-1]))


def conll_document(sentences: list[list[tuple[str, str]]]) -> tuple[str, list[str]]:
    text = "\n".join(" ".join(word for word, _ in sentence) for sentence in sentences)
    gold: list[str] = []
    for sentence in sentences:
        gold.extend(per_entities(sentence))
    return text, gold


def per_entities(sentence: list[tuple[str, str]]) -> list[str]:
    entities: list[list[str]] = []
    inside = False
    for word, tag in sentence:
        if tag == "B-PER" or (tag == "I-PER" and not inside):
            entities.append([word])
        elif tag == "I-PER":
            entities[-1].append(word)
        inside = tag.endswith("PER")
    return [" ".join(words) for words in entities]


def resolve_all(lists: list[list[str]]) -> tuple[list[list[str]], FigureResolver]:
    """What the index stores: every article's figures fed to one FigureResolver, then each name resolved."""
    resolver = FigureResolver()
    for names in lists:
        resolver.add(names)
    return [list(dict.fromkeys(resolver.resolve(name) for name in names)) for names in lists], resolver


def conll_scores(path: Path, resolve: bool = True) -> tuple[float, float, float, list]:
    """Set P/R/F1 over documents. With `resolve`, predictions are resolved across the file as the index does, and
    gold names by a resolver fed with the gold lists: what users would see with a perfect extractor."""
    documents = list(read_conll(path))
    gold_lists = [normalize_mentions(gold_mentions) for _, gold_mentions in documents]
    predicted_lists = [find_figures(text) for text, _ in documents]
    if resolve:
        gold_lists, _ = resolve_all(gold_lists)
        predicted_lists, _ = resolve_all(predicted_lists)
    tp = fp = fn = 0
    errors = []
    for gold_names, predicted_names in zip(gold_lists, predicted_lists):
        gold, predicted = set(gold_names), set(predicted_names)
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        errors.append((sorted(predicted - gold), sorted(gold - predicted)))
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall), errors


def conll_row(name: str, target: float | None) -> dict:
    precision, recall, f1, _ = conll_scores(CORPORA / "conll2003" / name)
    unresolved = conll_scores(CORPORA / "conll2003" / name, resolve=False)[2]
    return row(f"conll2003/{name}", "PER set F1, resolved", f1, target,
               f"P={precision:.3f} R={recall:.3f}; before resolution F1={unresolved:.3f}")


def reuters_articles():
    with gzip.open(CORPORA / "reuters21578" / "articles.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def tag_found(tag: str, figures: list[str]) -> bool:
    """`james-baker` is found by a figure whose words include james and baker; `reagan` by the surname."""
    parts = tag.split("-")
    for figure in figures:
        words = set(fold(figure).replace(".", " ").replace("-", " ").split())
        if len(parts) == 1 and fold(figure).split()[-1] == parts[0]:
            return True
        if len(parts) > 1 and all(part in words for part in parts):
            return True
    return False


def reuters_rows() -> list[dict]:
    """Tags found after corpus-level resolution, exactly as the index stores figures; plus the merges made."""
    articles = list(reuters_articles())
    words = 0
    seconds = 0.0
    lists = []
    for article in articles:
        text = article["title"] + "\n" + article["body"]
        words += len(text.split())
        started = time.process_time()
        lists.append(find_figures(text))
        seconds += time.process_time() - started
    started = time.process_time()
    resolved, resolver = resolve_all(lists)
    resolve_seconds = time.process_time() - started
    tagged = found = found_before = 0
    misses = []
    for article, figures, before in zip(articles, resolved, lists):
        for tag in article["people"]:
            tagged += 1
            hit = tag_found(tag, figures)
            found += hit
            found_before += tag_found(tag, before)
            if not hit:
                misses.append(tag)
    detail = (f"{found}/{tagged} tags (before resolution {found_before}); "
              f"missed e.g. {', '.join(sorted(set(misses))[:8])}")
    aliases = resolver.aliases()
    surname_only = sorted(name for name in aliases if " " not in name)
    sample = ", ".join(f"{name}->{aliases[name]}" for name in surname_only[:: max(1, len(surname_only) // 12)])
    return [row("reuters21578", "share of people tags found", found / max(1, tagged), REUTERS_TARGET, detail),
            audit_row(resolved),
            row("reuters21578", "words per CPU-second", words / max(seconds, 1e-9), None,
                f"{words} words in {seconds:.2f} CPU-s; resolving {len(resolver.aliases())} aliases "
                f"of {len({n for names in lists for n in names})} names {resolve_seconds:.2f} CPU-s"),
            row("reuters21578", "surname-only names merged", len(surname_only), None, f"e.g. {sample}")]


def read_audit(path: Path = AUDIT) -> list[tuple[str, int, bool, str]]:
    """(figure, articles when audited, is a person, sample) per line of the audit file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("figure\t") or not line.strip():
            continue
        figure, articles, verdict, sample = line.split("\t")
        rows.append((figure, int(articles), verdict == "person", sample))
    return rows


def audit_precision(counts: Counter, audit: list[tuple[str, int, bool, str]]) -> tuple[float, float, float, int]:
    """(weighted precision, unweighted precision on the uniform sample, facet coverage, unaudited figures in >= 5
    articles) of the figures now produced, `counts` being articles per figure."""
    person = {figure: verdict for figure, _, verdict, _ in audit}
    weighted = sum(counts[f] for f in person) or 1
    uniform = [verdict for figure, _, verdict, sample in audit if sample == "uniform" and counts[figure]]
    coverage = sum(counts[f] for f in person) / max(1, sum(counts.values()))
    unaudited = sum(1 for f, n in counts.items() if n >= 5 and f not in person)
    return (sum(counts[f] for f, ok in person.items() if ok) / weighted, sum(uniform) / max(1, len(uniform)),
            coverage, unaudited)


def audit_row(resolved: list[list[str]]) -> dict:
    counts = Counter(name for names in resolved for name in names)
    audit = read_audit()
    weighted, uniform, coverage, unaudited = audit_precision(counts, audit)
    produced = sum(1 for figure, *_ in audit if counts[figure])
    return row("reuters21578", "audited precision, article-weighted", weighted, AUDIT_TARGET,
               f"uniform sample unweighted {uniform:.3f}; {produced}/{len(audit)} audited figures still found, "
               f"covering {coverage:.1%} of facet entries; {unaudited} figures in >=5 articles unaudited")


def between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def seed_rows() -> list[dict]:
    seeds = sorted((CORPORA / "seeds").glob("*.txt"))
    first = seeds[0].read_text(encoding="utf-8")
    second = seeds[1].read_text(encoding="utf-8")
    got0 = set(find_figures(between(first, "Tribute to the Memory from Russian senators", "Go back")))
    got2 = set(find_figures(between(second, "The final stage", "Go back")))
    teaser = set(find_figures(first[: first.index("Tribute to the Memory")]))
    teaser_ok = TEASER_EXPECTED <= teaser and "Sputnik Armenia" not in teaser
    return [
        row("seeds/000", "expected people found", float(SEED_000_EXPECTED <= got0), 1.0, repr(sorted(got0))),
        row("seeds/002", "people exactly as expected", float(got2 == SEED_002_EXPECTED), 1.0, repr(sorted(got2))),
        row("seeds/teaser", "teaser people, no Sputnik Armenia", float(teaser_ok), 1.0, repr(sorted(teaser))),
    ]


def germeval_rows(k_fold: bool = True) -> list[dict]:
    """People per article on GermEval dev: all of it (in-sample: the shipped tagger is trained on all of dev), the
    held-out half, scored with a tagger trained on the even half only, and 5-fold (:mod:`bench.train_tagger_de`)."""
    path = CORPORA / "germeval2014-dev" / "dev.tsv"
    if not path.exists():
        return []
    articles = germeval.read_articles(path)
    result = []
    for part, label, score in (("all", "germeval2014-dev", germeval.scores(articles)["all"]),
                               ("held-out", "germeval2014-dev/held-out", held_out_score(articles)),
                               *([("5-fold", "germeval2014-dev/5-fold", k_fold_score(articles))] if k_fold else [])):
        detail = f"P={score.precision:.3f} R={score.recall:.3f}; {score.tp} right, {score.fp} wrong, {score.fn} missed"
        if part == "all" and tagger_de.tagger() is not None:
            detail += " (in-sample)"
        result.append(row(label, "PER per article F1", score.f1, GERMEVAL_F1_TARGET, detail))
        result.append(row(label, "PER per article precision", score.precision, GERMEVAL_PRECISION_TARGET, ""))
    return result


def held_out_score(articles) -> germeval.Score:
    """The odd articles, scored with a tagger trained on the even ones (about a minute), or by the rules alone
    when no tagger can run."""
    if tagger_de.tagger() is None:
        return germeval.scores(articles)["held-out"]
    even = [a for a in articles if a.part == "tune"]
    odd = [a for a in articles if a.part == "held-out"]
    with tempfile.TemporaryDirectory() as folder:
        return train_tagger_de.trained_and_scored(even, odd, Path(folder), "even")


def k_fold_score(articles) -> germeval.Score:
    """Every article scored with a tagger trained on the other four fifths (:func:`bench.train_tagger_de.k_fold`),
    or by the rules alone when no tagger can run."""
    if tagger_de.tagger() is None:
        return germeval.scores(articles)["all"]
    with tempfile.TemporaryDirectory() as folder:
        return train_tagger_de.k_fold(articles, Path(folder))


def rows(checks: bool = True) -> list[dict]:
    """All figure-quality rows; [] when ../shared/corpora is not there.

    :param checks: also the rows that only inform (CoNLL eng.train, the overfitting check, and GermEval
        5-fold, a second held-out estimate): minutes the tests, which assert the targets, need not spend.
    """
    if not CORPORA.is_dir():
        return []
    return ([conll_row("eng.testa", CONLL_TARGET)] + ([conll_row("eng.train", None)] if checks else [])
            + reuters_rows() + seed_rows() + germeval_rows(k_fold=checks))


def main() -> None:
    print(f"{'set':<22} {'measure':<34} {'value':>10} {'target':>7} {'ok':<3} detail")
    for r in rows():
        target = "" if r["target"] is None else f"{r['target']:.2f}"
        value = f"{r['value']:.0f}" if r["value"] > 100 or isinstance(r["value"], int) else f"{r['value']:.4f}"
        print(f"{r['set']:<22} {r['measure']:<34} {value:>10} {target:>7} {'yes' if r['ok'] else 'NO':<3} "
              f"{r['detail']}")


if __name__ == "__main__":
    main()
