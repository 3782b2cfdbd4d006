"""Figure pages (/figures/<name>, /api/figures/<name>) and co-mentions in search results."""

import collections
import json
from pathlib import Path

import pytest

import search
from index import reindex
from search.figures import per_month

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seeds"


def test_figure_profile(client):
    body = client.get("/api/figures/Igor%20Rudeni").json
    assert body["ok"] is True
    keys = ("name", "articles", "undated", "first", "last", "per_month", "co_mentions")
    assert {k: body[k] for k in keys} == {
        "name": "Igor Rudeni", "articles": 2, "undated": 0,
        "first": "2020-01-30", "last": "2020-03-02",
        "per_month": [{"month": "2020-01", "count": 1}, {"month": "2020-02", "count": 0},
                      {"month": "2020-03", "count": 1}],
        "co_mentions": [{"value": "Valentina Matvienko", "count": 1}],
    }
    assert [(hit["id"], hit["date"]) for hit in body["recent"]] == [
        ("a2", "2020-03-02"), ("a1", "2020-01-30")]


def test_undated_figure_has_no_months(client):
    body = client.get("/api/figures/Grigory%20Rapota").json
    dates = (body["first"], body["last"], body["per_month"])
    assert (body["articles"], body["undated"], dates) == (1, 1, (None, None, []))
    assert body["co_mentions"] == []


@pytest.mark.parametrize("name", ["Nobody", "igor rudeni"])
def test_unknown_figure_is_a_404(client, name):
    response = client.get(f"/api/figures/{name}")
    assert response.status_code == 404
    message = f"No article names the figure {name!r}"
    assert response.json["error"] == {"code": "not_found", "message": message}


def test_unknown_figure_page_is_a_404_page(client):
    response = client.get("/figures/Nobody")
    assert response.status_code == 404 and b"No article names the figure" in response.data


def test_figure_page(client):
    page = client.get("/figures/Valentina%20Matvienko").get_data(as_text=True)
    assert "<h1>Valentina Matvienko</h1>" in page
    assert '<time datetime="2019-07-14">2019-07-14</time>' in page
    assert '<time datetime="2020-01-30">2020-01-30</time>' in page
    assert page.count("<rect ") == 2  # 2019-07 and 2020-01, of seven months
    assert 'viewBox="0 0 84 60"' in page
    assert '<a href="/figures/Igor%20Rudeni">Igor Rudeni</a>' in page
    assert 'href="/?figure=Valentina+Matvienko&amp;figure=Igor+Rudeni"' in page
    assert page.index('href="/articles/a1"') < page.index('href="/articles/a3"')
    assert " style=" not in page and "<script>" not in page


def test_every_figure_chip_links_to_its_page(client):
    search_page = client.get("/?q=summit").get_data(as_text=True)
    link = 'href="/figures/Valentina%20Matvienko" aria-label="Profile of Valentina Matvienko"'
    assert link in search_page
    selected = client.get("/?figure=Igor+Rudeni").get_data(as_text=True)
    assert selected.count('href="/figures/Igor%20Rudeni"') == 3  # chips of two hits, co-mentions
    article = client.get("/articles/a1").get_data(as_text=True)
    assert 'href="/figures/Igor%20Rudeni" aria-label="Profile of Igor Rudeni"' in article


def test_co_mentions_of_the_top_figures(client):
    body = client.get("/api/search").json
    pairs = [(c["figure"], [(w["value"], w["count"]) for w in c["with"]]) for c in body["co_mentions"]]
    assert pairs == [
        ("Igor Rudeni", [("Valentina Matvienko", 1)]),
        ("Valentina Matvienko", [("Igor Rudeni", 1)]),
        ("Grigory Rapota", []),
    ]
    assert body["co_mentions"][0]["with"][0]["search_url"] == (
        "/api/search?figure=Igor+Rudeni&figure=Valentina+Matvienko")


def test_co_mentions_of_selected_figures_leave_the_selection_out(client):
    body = client.get("/api/search?figure=Igor+Rudeni&q=charlie").json
    url = "/api/search?q=charlie&figure=Igor+Rudeni&figure=Valentina+Matvienko"
    assert [(c["figure"], c["with"]) for c in body["co_mentions"]] == [
        ("Igor Rudeni", [{"value": "Valentina Matvienko", "count": 1, "search_url": url}]),
    ]
    both = client.get("/api/search?figure=Igor+Rudeni&figure=Valentina+Matvienko").json
    assert both["co_mentions"] == [{"figure": "Igor Rudeni", "with": []},
                                   {"figure": "Valentina Matvienko", "with": []}]


def test_co_mentions_follow_the_result_set(service):
    req = search.SearchRequest(q="summit OR delta")
    assert search.co_mentions(service, req) == [
        {"figure": "Valentina Matvienko", "with": [{"value": "Igor Rudeni", "count": 1}]},
        {"figure": "Igor Rudeni", "with": [{"value": "Valentina Matvienko", "count": 1}]},
    ]


def test_search_page_shows_co_mentions(client):
    page = client.get("/?figure=Igor+Rudeni").get_data(as_text=True)
    assert '<h2 id="facet-co-mentions">Named together</h2>' in page
    assert 'aria-label="1 article naming Igor Rudeni and Valentina Matvienko"' in page


def test_per_month_fills_gaps_and_skips_year_only_dates():
    days = collections.Counter({20191130: 2, 20200105: 1, 20200000: 4, 0: 3})
    assert per_month(days) == [{"month": "2019-11", "count": 2}, {"month": "2019-12", "count": 0},
                               {"month": "2020-01", "count": 1}]


@pytest.mark.corpora
def test_seed_figures_have_pages(tmp_path):
    if not SEEDS.exists():
        pytest.skip(f"seed pages absent: {SEEDS}")
    reindex([SEEDS], tmp_path / "index", workers=0)
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    figures = client.get("/api/search").json["facets"]["figures"]
    assert figures, "the seed pages name figures"
    for facet in figures:
        body = client.get(f"/api/figures/{facet['value']}").json
        assert body["articles"] == facet["count"]
        assert client.get(f"/figures/{facet['value']}").status_code == 200


def test_figures_are_counted_under_their_canonical_names(tmp_path):
    records = [{"id": f"m{n}", "title": f"Senate story {n}", "body": "The senate met.",
                "date": f"2020-05-0{n + 1}", "figures": ["Valentina Matvienko", "Igor Rudeni"]}
               for n in range(3)]
    records.append({"id": "s1", "title": "Headline only", "body": "MATVIENKO SAYS",
                    "date": "2020-06-01", "figures": ["Matvienko", "Grigory Rapota"]})
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    reindex([tmp_path / "a.jsonl"], tmp_path / "ix", workers=0)
    service = search.SearchService(tmp_path / "ix")
    profile = search.figure_profile(service, "Matvienko")
    assert (profile["name"], profile["articles"], profile["last"]) == (
        "Valentina Matvienko", 4, "2020-06-01")
    assert profile["co_mentions"] == [{"value": "Igor Rudeni", "count": 3},
                                      {"value": "Grigory Rapota", "count": 1}]
    co = search.co_mentions(service, search.SearchRequest(figures=("Matvienko",)))
    assert co == [{"figure": "Valentina Matvienko", "with": profile["co_mentions"]}]
    service.close()
