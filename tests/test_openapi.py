"""The OpenAPI document at /api/openapi.json is valid, describes every JSON endpoint and parameter, and
every endpoint's live answers (errors included) validate against it."""

import re

import pytest
from jsonschema import Draft202012Validator
from jsonschema import FormatChecker
from referencing import Registry
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from search.request import PARAMS
from web.openapi import document

DOC_URI = "urn:newsearch:openapi"

#: (URL, status) of answers that must validate: every endpoint, its successes and its errors.
ANSWERS = [
    ("/api/search", 200),
    ("/api/search?q=charlie&figure=Igor+Rudeni&year=2020&sort=newest&per_page=1", 200),
    ("/api/search?q=alfa&year=undated&year=2019&month=2020-01&day=2020-01-30&from=2019-01-01&to=2021-12-31", 200),
    ("/api/search?q=memorail", 200),
    ("/api/search?figure=igor+rudeni&source=nope&colour=red", 200),
    ("/api/search?q=zzzz", 200),
    ("/api/search?collapse=false&cluster=a1", 200),
    ("/api/search?q=title:(foo+AND", 400),
    ("/api/search?page=0", 400),
    ("/api/search?per_page=101", 400),
    ("/api/search?sort=random", 400),
    ("/api/search?year=abc", 400),
    ("/api/search?page=99", 400),
    ("/api/search.csv?q=alfa", 200),
    ("/api/search.jsonl?q=alfa", 200),
    ("/api/search.csv?q=(", 400),
    ("/api/search.jsonl?from=2020-02-30", 400),
    ("/api/facets/figures?prefix=rud", 200),
    ("/api/facets/figures?q=alfa&prefix=&limit=1", 200),
    ("/api/facets/figures?limit=0", 400),
    ("/api/suggest?q=rud", 200),
    ("/api/suggest?q=a&limit=20", 200),
    ("/api/suggest?limit=21", 400),
    ("/api/articles/a1", 200),
    ("/api/articles/a5?q=kilo", 200),
    ("/api/articles/a4", 200),
    ("/api/articles/nope", 404),
    ("/api/articles/a1?q=(", 400),
    ("/api/figures/Igor%20Rudeni", 200),
    ("/api/figures/Grigory%20Rapota", 200),
    ("/api/figures/Nobody", 404),
    ("/feed?q=alfa&day=2020-01-30", 200),
    ("/feed?q=(", 400),
    ("/feed?per_page=0", 400),
    ("/api/openapi.json", 200),
]


@pytest.fixture(scope="module")
def doc():
    return document()


@pytest.fixture(scope="module")
def registry(doc):
    return Registry().with_resource(DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))


def pointer(*parts) -> str:
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def template_of(path: str, doc: dict) -> str:
    """The document's path template that ``path`` falls under (``/api/articles/{id}``)."""
    for template in doc["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^?]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check(response, doc, registry):
    """Validate ``response`` (a test client answer) against the document."""
    path = response.request.path
    template = template_of(path, doc)
    answers = doc["paths"][template]["get"]["responses"]
    status = str(response.status_code)
    assert status in answers, f"{path}: status {status} is not documented"
    answer = answers[status]
    if "$ref" in answer:
        answer = doc["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    media = response.mimetype
    assert media in answer["content"], f"{path}: {media} is not documented for {status}"
    if media != "application/json":
        return
    ref = f"{DOC_URI}#/" + pointer("paths", template, "get", "responses", status)
    if "$ref" in answers[status]:
        ref = f"{DOC_URI}#/" + pointer("components", "responses", answers[status]["$ref"].rsplit("/", 1)[1])
    schema = {"$ref": ref + "/" + pointer("content", media, "schema")}
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(response.get_json()), key=lambda e: list(e.path))
    assert not errors, f"{path}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_the_document_is_valid_openapi_3_1(client, doc):
    from openapi_spec_validator import validate

    served = client.get("/api/openapi.json").get_json()
    assert served == doc
    assert served["openapi"].startswith("3.1")
    validate(served)


@pytest.mark.parametrize("url,status", ANSWERS)
def test_live_answers_validate(client, doc, registry, url, status):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    check(response, doc, registry)


def test_an_answer_without_an_index_validates(tmp_path, doc, registry):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    for url in ("/api/search", "/api/suggest?q=a", "/api/articles/a1", "/api/figures/X", "/feed"):
        response = client.get(url)
        assert response.status_code == 503
        check(response, doc, registry)


def test_the_schemas_are_closed_where_the_answers_are(client, doc, registry):
    """A key the document does not know fails validation (the contract cannot drift silently)."""
    response = client.get("/api/search?per_page=1")
    body = response.get_json()
    body["hits"][0]["surprise"] = 1
    schema = {"$ref": f"{DOC_URI}#/components/schemas/SearchResponse"}
    assert list(Draft202012Validator(schema, registry=registry).iter_errors(body))
    body = response.get_json()
    body["extra"] = True
    assert list(Draft202012Validator(schema, registry=registry).iter_errors(body))


def test_every_json_route_is_described(app, doc):
    routes = {re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(("/api/", "/feed"))}
    routes = {r.replace("{article_id}", "{id}").replace(".{fmt}", "") for r in routes}
    documented = {p.replace(".csv", "").replace(".jsonl", "") for p in doc["paths"]}
    assert routes == documented


def test_the_search_parameters_are_the_ones_the_code_reads(doc):
    for path in ("/api/search", "/api/search.csv", "/api/search.jsonl"):
        names = [p["$ref"].rsplit("/", 1)[1] for p in doc["paths"][path]["get"]["parameters"]]
        assert names == list(PARAMS)
    figure_values = doc["paths"]["/api/facets/figures"]["get"]["parameters"]
    assert [p.get("name") for p in figure_values[-2:]] == ["prefix", "limit"]


def test_the_readme_documents_every_path(doc):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for path in doc["paths"]:
        shown = path.replace("{id}", "<id>").replace("{name}", "<name>")
        assert f"`GET {shown}`" in readme or f"GET {shown}" in readme, path
