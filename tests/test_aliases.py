import json

from index import reindex
from index.store import current_generation
from search import SearchRequest
from search import SearchService
from search import get_article
from search import search
from search import suggest
from search.aliases import read_aliases


def corpus(tmp_path, extra=()):
    records = [{"id": f"m{n}", "title": f"Senate story {n}", "body": "The senate met.",
                "figures": ["Valentina Matvienko"]} for n in range(3)]
    records.append({"id": "s1", "title": "Headline only", "body": "MATVIENKO SAYS", "figures": ["Matvienko"]})
    records.extend(extra)
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    reindex([tmp_path / "a.jsonl"], tmp_path / "ix", workers=0)
    return SearchService(tmp_path / "ix")


def test_aliases_are_stored_with_the_generation(tmp_path):
    corpus(tmp_path).close()
    aliases = read_aliases(current_generation(tmp_path / "ix"))
    assert aliases.mapping == {"Matvienko": "Valentina Matvienko"} and aliases.version


def test_surname_only_mention_counts_and_filters_as_the_person(tmp_path):
    service = corpus(tmp_path)
    result = search(service, SearchRequest())
    assert result.facets["figures"] == [{"value": "Valentina Matvienko", "count": 4, "selected": False}]
    narrowed = search(service, SearchRequest(figures=("Valentina Matvienko",)))
    assert narrowed.total == 4
    assert search(service, SearchRequest(figures=("Matvienko",))).total == 4
    assert get_article(service, "s1")["figures"] == ["Valentina Matvienko"]
    assert [s["text"] for s in suggest(service, "matv")][:1] == ["Valentina Matvienko"]
    service.close()


def test_aliases_follow_incremental_updates(tmp_path):
    service = corpus(tmp_path)
    assert search(service, SearchRequest(figures=("Valentina Matvienko",))).total == 4
    extra = [{"id": "o1", "title": "Other", "body": "x", "figures": ["Oleg Matvienko"]},
             {"id": "o2", "title": "Other", "body": "x", "figures": ["Oleg Matvienko"]},
             {"id": "o3", "title": "Other", "body": "x", "figures": ["Oleg Matvienko"]}]
    corpus(tmp_path, extra).close()
    # two people share the surname now: the lone "Matvienko" is no longer merged
    assert search(service, SearchRequest(figures=("Valentina Matvienko",))).total == 3
    service.close()
