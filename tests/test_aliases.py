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


def test_figure_counts_read_per_segment_are_the_index_document_frequencies():
    """One pass over each segment's names gives what a look-up per name gives: deleted articles still count
    until their segment is merged, a name in several segments counts in each."""
    from index.aliases import figure_frequencies
    from index.article import to_document
    from literal import article
    from literal import ram_index

    first = [{"id": f"a{n}", "title": "One", "body": "x", "figures": ["Valentina Matvienko", "Oleg Ivanov"]}
             for n in range(3)]
    ix = ram_index(first)
    writer = ix.writer()
    writer.add_document(**to_document(article({"id": "b1", "title": "Two", "body": "x",
                                               "figures": ["Matvienko", "Oleg Ivanov"]}), "literal", "", None))
    writer.delete_by_term("id", "a0")
    writer.commit(merge=False)  # a second segment, and a deletion in the first
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 2 and reader.doc_count() == 3
        looked_up = {name: reader.doc_frequency("figures", name) for name in reader.lexicon("figures")}
        assert figure_frequencies(reader) == looked_up == {b"Valentina Matvienko": 3, b"Oleg Ivanov": 4,
                                                           b"Matvienko": 1}
