import json

from index import reindex
from index.dedup import signature
from index.dedup import similar
from search import SearchRequest
from search import SearchService
from search import search

STORY = ("The central bank raised its benchmark interest rate by half a point on Tuesday, citing "
         "persistent inflation in food and energy prices, and said further increases were possible "
         "if wage growth stayed strong through the summer months according to the governor")


def test_signature_finds_near_identical_bodies():
    assert similar(signature(STORY), signature(STORY + " Reuter"))
    assert not similar(signature(STORY), signature("Completely different words about football " * 8))
    assert signature("too short to judge") is None


def build(tmp_path, records):
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    reindex([tmp_path / "a.jsonl"], tmp_path / "ix", workers=0)
    return SearchService(tmp_path / "ix")


RECORDS = [
    {"id": "wire", "title": "Bank raises rate", "body": STORY, "date": "2020-05-01", "figures": []},
    {"id": "copy", "title": "Bank lifts rate", "body": STORY + " Reuter", "date": "2020-05-02", "figures": []},
    {"id": "other", "title": "Rate outlook", "body": "Analysts expect the interest rate to stay.",
     "date": "2020-05-03", "figures": []},
]


def test_near_identical_stories_are_listed_once(tmp_path):
    service = build(tmp_path, RECORDS)
    result = search(service, SearchRequest(q="rate", sort="newest"))
    assert result.total == 3 and result.listed == 2
    assert [(h["id"], h["similar"]) for h in result.hits] == [("other", 0), ("copy", 1)]
    assert result.hits[1]["cluster"] == "wire"
    assert sum(v["count"] for v in result.facets["year"]) == 3
    service.close()


def test_a_client_can_ask_for_all(tmp_path):
    service = build(tmp_path, RECORDS)
    flat = search(service, SearchRequest(q="rate", collapse=False))
    assert flat.listed == 3 and len(flat.hits) == 3
    cluster = search(service, SearchRequest(cluster="wire"))
    assert sorted(h["id"] for h in cluster.hits) == ["copy", "wire"]
    service.close()


def test_clusters_follow_incremental_additions(tmp_path):
    service = build(tmp_path, RECORDS[:1])
    later = tmp_path / "b.jsonl"
    later.write_text(json.dumps(RECORDS[1]) + "\n")
    reindex([tmp_path / "a.jsonl", later], tmp_path / "ix", workers=0)
    result = search(service, SearchRequest(q="bank"))
    assert result.total == 2 and result.listed == 1 and result.hits[0]["similar"] == 1
    service.close()


def test_stories_sharing_a_template_are_not_grouped():
    first = ("Shr 52 cts vs 41 cts Net 4,600,000 vs 3,600,000 Revs 98.6 mln vs 82.1 mln Nine mths Shr "
             "1.46 dlrs vs 1.20 dlrs Net 12.9 mln vs 10.6 mln Revs 281.4 mln vs 242.8 mln Acme Corp said")
    second = ("Shr 17 cts vs 9 cts Net 1,200,000 vs 700,000 Revs 12.3 mln vs 10.4 mln Nine mths Shr "
              "44 cts vs 31 cts Net 3,100,000 vs 2,200,000 Revs 36.1 mln vs 30.2 mln Zenith Inc said")
    assert not similar(signature(first), signature(second))


def test_a_cluster_does_not_drift_by_chaining():
    from index.dedup import Clusters

    words = [f"w{i}" for i in range(120)]
    a = " ".join(words[:100])
    b = " ".join(words[10:110])  # like a
    c = " ".join(words[20:120])  # like b, less like a
    clusters = Clusters()
    keys = [clusters.assign(name, signature(text)) for name, text in (("a", a), ("b", b), ("c", c))]
    assert keys[0] == "a"
    for key, text in zip(keys[1:], (b, c)):
        # whoever joins a's cluster is near-identical to a itself, not only to another member
        assert key != "a" or similar(signature(a), signature(text))


def test_clusters_moved_to_disk_assign_the_same_keys():
    """Past ``spill_after`` articles the run's signatures move to a temporary SQLite file: nothing
    about the assigned clusters may change, and closing removes the file."""
    import os

    from index.dedup import Clusters

    words = [f"w{i}" for i in range(200)]
    texts = [(f"t{n}", " ".join(words[n * 7 % 60: n * 7 % 60 + 100])) for n in range(40)]
    texts += [(f"copy{n}", text + " extra") for n, (_, text) in enumerate(texts[:10])]
    in_memory = Clusters()
    expected = [in_memory.assign(name, signature(text)) for name, text in texts]
    with Clusters(spill_after=5) as spilled:
        assert [spilled.assign(name, signature(text)) for name, text in texts] == expected
        folder = os.path.dirname(spilled._db.execute("PRAGMA database_list").fetchone()[2])
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)
    assert sum(key != name for key, (name, _) in zip(expected, texts)) >= 10
    in_memory.close()


# search.duplicates on a literal in-memory index (clusters given, not found by the write side).


def test_groups_hold_only_clusters_of_several_articles():
    from literal import ram_searcher
    from search.duplicates import dup_groups

    searcher = ram_searcher(RECORDS, clusters={"copy": "wire"})
    groups = dup_groups(searcher)
    assert groups.members == {"wire": [0, 1]} and groups.group_of == {0: "wire", 1: "wire"}
    assert dup_groups(searcher) is groups  # built once per commit


def test_counts_and_listed_count_of_the_matches():
    from literal import ram_searcher
    from search.duplicates import dup_groups
    from search.engine import match

    searcher = ram_searcher(RECORDS, clusters={"copy": "wire"})
    groups = dup_groups(searcher)
    matched = match(searcher, SearchRequest(q="rate"))
    counts = groups.counts(matched.segments)
    assert counts == {"wire": 2} and groups.matching_members(matched.segments) == 2
    assert groups.listed_count(matched.total, counts) == 2
    only_one = match(searcher, SearchRequest(q="lifts"))
    assert groups.counts(only_one.segments) == {"wire": 1}


def test_the_first_of_each_cluster_is_kept():
    from search.duplicates import best_per_group

    pairs = [(1, 0.9), (0, 0.8), (2, 0.5), (3, 0.4)]
    assert list(best_per_group(pairs, {0: "x", 1: "x", 3: "y"})) == [(1, 0.9), (2, 0.5), (3, 0.4)]
