import json
import os

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


def test_signature_lanes_are_the_digests_32_bit_words():
    """The MinHash is the per-lane minimum of each shingle's BLAKE2b digest read as 16 little-endian
    32-bit words, and the sketch the smallest first words (what the index stores must not change
    with how it is computed)."""
    import datetime
    import hashlib
    import re
    import struct

    words = re.findall(r"\w+", STORY.lower())
    shingles = {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}
    lanes = [struct.unpack("<16I", hashlib.blake2b(s.encode(), digest_size=64).digest()) for s in shingles]
    sig = signature(STORY, datetime.date(2020, 5, 1))
    assert sig[:16] == tuple(min(column) for column in zip(*lanes))
    assert sig[16:19] == (20200501, len(shingles), min(32, len(shingles)))
    assert sig[19:19 + sig[18]] == tuple(sorted({lane[0] for lane in lanes})[:32])
    assert all(type(value) is int for value in sig)


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


# The rules beyond near-identical (issue 15, item 14): a story and its longer update, a rewording.

LEAD = ("Study group members from Harvard and Rice universities urged Congress on Monday to raise the "
        "Strategic Petroleum Reserve to 750 mln barrels by 1993, saying imports from OPEC could reach 8 mln "
        "barrels a day and leave the United States exposed to a supply shock like those of 1973 and 1979, "
        "Chairman John Lichtblau told reporters in Washington after the report was released")
UPDATE = LEAD + (". The group also said tax credits for drilling would cost about 1.2 billion dlrs a "
                 "year and that the Energy Department should lease more federal land in Alaska")


def day(text):
    import datetime

    return datetime.date.fromisoformat(text)


def test_a_story_and_its_update_with_a_paragraph_more_are_one_story():
    assert not similar(signature(LEAD)[:16], signature(UPDATE)[:16]), "the MinHash alone misses it"
    assert similar(signature(LEAD, day("1987-03-02")), signature(UPDATE, day("1987-03-02")))
    assert similar(signature(LEAD), signature(UPDATE, day("1987-03-02")))


def test_an_update_weeks_later_or_a_brief_inside_a_round_up_is_not():
    assert not similar(signature(LEAD, day("1987-03-02")), signature(UPDATE, day("1987-04-20")))
    round_up = UPDATE + ". " + " ".join(f"Market {n} rose {n} pct on item {n * 7} of the day." for n in range(90))
    assert not similar(signature(LEAD), signature(round_up))


RELEASE = ("With horror and grief the Forum Waffenrecht reacted to the rampage in Heidelberg yesterday. "
           "Our thoughts are with the relatives, we are deeply shaken, said FWR chairman Friedrich Gepperth. "
           "Neither the perpetrator nor relatives had a permit to own weapons. The FWR demands a quick and "
           "thorough investigation of the case. There are receipts for the weapons from abroad, and the "
           "European Firearms Directive requires registration with the authorities in Germany and Europe")
RETOLD = ("With horror and grief the Forum Waffenrecht reacted to the rampage in Heidelberg yesterday, the "
          "hunters' association said. Our thoughts are with the relatives, we are deeply shaken, said FWR "
          "chairman Friedrich Gepperth. Neither the perpetrator nor relatives had had a permit to own weapons. "
          "The FWR demanded a quick and thorough investigation of the case. There are receipts for the weapons "
          "from abroad, and the European Firearms Directive requires registration with the authorities in "
          "Germany and Europe")
TEMPLATE = ("With horror and grief the Forum Waffenrecht reacted to the rampage in Mannheim yesterday. "
            "Our thoughts are with the relatives, we are deeply shaken, said FWR chairman Klaus Becker. "
            "Neither the perpetrator nor relatives had a permit to own weapons. The FWR demands a quick and "
            "thorough investigation of the case. There are receipts for the weapons from abroad, and the "
            "Austrian Firearms Act requires registration with the authorities in Austria and Europe")


def test_the_same_facts_reworded_the_same_day_are_one_story():
    same_day = day("2022-01-25")
    assert similar(signature(RELEASE, same_day), signature(RETOLD, same_day))
    assert not similar(signature(RELEASE, same_day), signature(RETOLD, day("2022-02-25")))
    assert not similar(signature(RELEASE), signature(RETOLD)), "undated: no rewording rule"


def test_a_template_with_other_names_the_same_day_is_not_the_same_story():
    same_day = day("2022-01-25")
    assert not similar(signature(RELEASE, same_day), signature(TEMPLATE, same_day))


def test_a_signature_of_an_older_index_is_compared_by_its_minhash():
    old = signature(LEAD)[:16]
    assert similar(old, signature(LEAD + " Reuter", day("1987-03-02")))
    assert not similar(old, signature(UPDATE, day("1987-03-02")))


def test_containment_is_exact_for_a_set_inside_another():
    from index.dedup import containment

    assert containment([1, 5, 9], [1, 2, 5, 7, 9]) == 1.0
    assert containment(list(range(32)), list(range(0, 64, 2))) == 0.5
    assert containment([100, 200], list(range(32))) is None  # nothing below the big sketch's last value


def test_an_update_is_listed_with_its_story(tmp_path):
    records = [{"id": "r489", "title": "STUDY GROUP URGES INCREASED U.S. OIL RESERVES", "body": LEAD,
                "date": "1987-03-02", "figures": []},
               {"id": "r502", "title": "STUDY GROUP URGES INCREASED U.S. OIL RESERVES", "body": UPDATE,
                "date": "1987-03-02", "figures": []}]
    service = build(tmp_path, records)
    result = search(service, SearchRequest(q="reserve"))
    assert result.total == 2 and result.listed == 1 and result.hits[0]["similar"] == 1
    service.close()


def test_band_numbers_are_one_to_one_with_band_terms():
    """The spilled file keys band terms by number: two different terms never share one."""
    from index.dedup import band_number
    from index.dedup import bands

    words = [f"w{i}" for i in range(300)]
    terms = {t for n in range(30) for t in bands(signature(" ".join(words[n * 5: n * 5 + 120])))}
    assert len({band_number(t) for t in terms}) == len(terms)
    assert band_number("0.0000002a") == 42 and band_number("p0.00000001") != band_number("0.00000001")


def test_a_spilled_article_takes_its_signature_once(tmp_path):
    """On disk each article's signature is stored once, not once per band term (12 of them): at a
    million articles the copies took 4.9 GB of scratch disk."""
    from index.dedup import Clusters

    words = [f"w{i}" for i in range(400 * 200)]
    with Clusters(spill_after=0, folder=tmp_path) as clusters:
        for n in range(400):  # 400 different stories (a cluster's later members may take no row)
            clusters.assign(f"a{n}", signature(" ".join(words[n * 200: n * 200 + 200])))
        count = clusters._db.execute("SELECT count(*) FROM article").fetchone()[0]
        path = clusters._db.execute("PRAGMA database_list").fetchone()[2]
        clusters._db.commit()
        size = os.path.getsize(path)
    assert count == 400
    assert size / 400 < 1200  # a signature is up to 332 bytes; 12 copies were ~4.4 KB an article


def _scanned_clusters(items) -> list:
    """Cluster keys as the plain definition gives them: every earlier article under each band term in
    turn (in the order they came), the first one similar to the article whose cluster's first article
    is similar too."""
    from index.dedup import bands

    seen, firsts, keys = [], {}, []
    for article_id, sig in items:
        terms = bands(sig)
        found = next((cluster for term in terms for had, other, cluster in seen
                      if term in had and similar(sig, other) and similar(sig, firsts[cluster])), None)
        cluster = found or article_id
        firsts.setdefault(cluster, sig)
        seen.append((set(terms), sig, cluster))
        keys.append(cluster)
    return keys


def _copies(stories: int, copies: int, step: int) -> list:
    """``(id, signature)`` of ``copies`` copies of stories of 100 words ``step`` words apart (overlapping
    when under 100: updates and rewrites of one another), copy after copy, each copy's dates whole
    years later (as bench.corpus repeats Reuters)."""
    import datetime

    words = [f"w{i}" for i in range(stories * step + 120)]
    items = []
    for k in range(copies):
        for n in range(stories):
            text = " ".join(words[n * step: n * step + 100]) + (" more words of an update" if n % 3 == 0 else "")
            date = datetime.date(1987 + k, 3, 1 + n % 5)
            items.append((f"s{n}-{k}", signature(text, date)))
    return items


def test_a_cluster_member_is_remembered_only_under_terms_its_first_lacks(tmp_path):
    """A cluster's later member is remembered only under band terms its first article lacks: the first
    article's row comes earlier and passes whenever the member's would, so the keys stay those of a
    plain scan of every earlier article, in memory and on disk."""
    from index.dedup import Clusters

    items = _copies(30, 6, step=9) + _copies(10, 3, step=100)
    expected = _scanned_clusters(items)
    assert len(set(expected)) < len(items) / 3
    in_memory = Clusters()
    assert [in_memory.assign(name, sig) for name, sig in items] == expected
    with Clusters(spill_after=7, folder=tmp_path) as spilled:
        assert [spilled.assign(name, sig) for name, sig in items] == expected


def test_the_copies_of_a_story_take_no_rows():
    """Copies of a story (a million-article build of 47 copies of each) add no rows that every later
    copy would read: a term's rows stay as many as the stories under it."""
    from index.dedup import Clusters

    first_copy, copies = Clusters(), Clusters()
    for clusters, items in ((first_copy, _copies(20, 1, step=100)), (copies, _copies(20, 8, step=100))):
        keys = [clusters.assign(name, sig) for name, sig in items]
    assert len(set(keys)) == 20
    assert len(copies._rows) == len(first_copy._rows) == 20
