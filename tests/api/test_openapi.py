"""The served OpenAPI document describes what the API really does, and every `$ref` resolves."""

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from prescribing.api import schemas
from tests.api.conftest import API, get_json, make_full_service
from tests.factories import make_service


@pytest.fixture
def document(client):
    return get_json(client, "/openapi.json")


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), f"{ref} points outside the document"
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_every_reference_resolves_inside_the_document(document):
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        _resolve(document, ref)


def test_paths_are_the_routes_the_app_serves(app, document):
    served = {
        re.sub(r"<[^>]+>", "{id}", rule.rule[len(API) :]) or "/"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/") or rule.rule == API + "/"
    }
    assert set(document["paths"]) == served
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert document["openapi"].startswith("3.1")


def _query_parameters(document: dict, path: str) -> set[str]:
    operation = document["paths"][path]["get"]
    return {_resolve(document, p["$ref"])["name"] for p in operation.get("parameters", [])}


def test_documented_parameters_are_the_ones_accepted(client, document):
    official = schemas.official_openapi()
    for path in ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]:
        ours = _query_parameters(document, path)
        theirs = {_resolve(official, p["$ref"])["name"] for p in official["paths"][path]["get"].get("parameters", [])}
        assert theirs <= ours, f"{path} lacks ORUK parameters {theirs - ours}"
        for name in ours:  # each one is read (a bad value is refused), none is ignored
            bad = "x" * 201 if name == "search" else "%25%25bad%25%25"
            response = client.get(f"{API}{path}?{name}={bad}")
            assert response.status_code == 400, (path, name)
            assert response.get_json()["parameter"] in (name, "postcode")
        assert client.get(f"{API}{path}?undocumented=1").status_code == 400


def _validator(document: dict, ref: str) -> Draft202012Validator:
    """Validate against a schema inside the served document, resolving only within it."""
    registry = Registry().with_resource("urn:doc", Resource.from_contents(document, default_specification=DRAFT202012))
    return Draft202012Validator(
        {"$ref": "urn:doc" + ref}, registry=registry, format_checker=schemas.format_checker(strict=True)
    )


def test_responses_conform_to_the_served_document(client, document):
    service = make_full_service()
    make_service(postcode=None, name="Phone befriending")
    sal = service.locations_at[0]
    term = service.terms[0]
    checks = [
        ("/", "/", {}),
        ("/services", "/services", {}),
        ("/services?day=TU&per_page=1", "/services", {}),
        (f"/services/{service.id}", "/services/{id}", {}),
        ("/service_at_locations?postcode=M33 7XA&proximity=5000", "/service_at_locations", {}),
        (f"/service_at_locations/{sal.id}", "/service_at_locations/{id}", {}),
        ("/taxonomies", "/taxonomies", {}),
        (f"/taxonomies/{term.taxonomy_id}", "/taxonomies/{id}", {}),
        ("/taxonomy_terms", "/taxonomy_terms", {}),
        (f"/taxonomy_terms/{term.id}", "/taxonomy_terms/{id}", {}),
        ("/services?per_page=0", "/services", {"status": "400"}),
        ("/services/3f7b145d-84af-42d7-8fae-eaca714b02b2", "/services/{id}", {"status": "404"}),
    ]
    for url, path, expect in checks:
        status = expect.get("status", "200")
        response = client.get(API + url)
        assert str(response.status_code) == status, url
        documented = document["paths"][path]["get"]["responses"][status]
        schema = documented["content"]["application/json"]["schema"]
        registry_doc = {**document, "__check__": schema}
        errors = list(_validator(registry_doc, "#/__check__").iter_errors(response.get_json()))
        assert errors == [], (url, [e.message for e in errors[:3]])


def test_document_keeps_the_licence_and_attribution(document):
    assert "by-sa/4.0" in document["info"]["license"]["url"]
    assert "Open Referral" in document["info"]["description"]
