"""`import-oruk`: files and paginated feeds, re-imports that respect local edits, broken feeds."""

import json
import threading
import uuid
from datetime import datetime, time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from prescribing import create_app
from prescribing.api import oruk_import
from prescribing.api.oruk_feed import FeedError, read_feed
from prescribing.api.oruk_import import import_feed
from prescribing.api.schemas import FOLDER
from prescribing.directory.models import Location, Organization, Service
from prescribing.extensions import db
from tests.api.conftest import API, make_full_service
from tests.factories import make_service, make_term


def new_id() -> str:
    return str(uuid.uuid4())


def oruk_service(**overrides) -> dict:
    """A small valid ORUK 3.0 service record, as another directory would send it."""
    service_id = overrides.pop("id", None) or new_id()
    location_id = new_id()
    return {
        "id": service_id,
        "name": "Stockport Men's Shed",
        "description": "Woodwork and a cuppa.",
        "status": "active",
        "organization": {
            "id": overrides.pop("organization_id", None) or new_id(),
            "name": "Sheds UK",
            "description": "Sheds.",
        },
        "service_at_locations": [
            {
                "id": new_id(),
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": "The Shed",
                    "addresses": [
                        {
                            "id": new_id(),
                            "address_1": "1 Mersey Square",
                            "city": "Stockport",
                            "state_province": "England",
                            "postal_code": "M33 7XA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [{"id": new_id(), "freq": "WEEKLY", "byday": "WE", "opens_at": "10:00", "closes_at": "13:00"}],
        **overrides,
    }


def _services() -> int:
    return db.session.scalar(select(func.count()).select_from(Service))


def _write(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ["one", "list", "page"])
def test_a_file_of_services_is_imported(runner, tmp_path, shape):
    records = [oruk_service(), oruk_service(name="Knit and natter")]
    data = {"one": records[0], "list": records, "page": {"total_items": 2, "contents": records}}[shape]
    result = runner.invoke(args=["import-oruk", str(_write(tmp_path, data))])
    assert result.exit_code == 0, result.output
    expected = 1 if shape == "one" else 2
    assert f"{expected} created" in result.output
    assert _services() == expected
    service = db.session.get(Service, records[0]["id"])
    assert service.name == "Stockport Men's Shed"
    location = service.locations_at[0].location
    # No coordinates in the feed: placed from the postcode.
    assert (location.postcode, location.latitude is not None, location.geo_precision.value) == (
        "M33 7XA",
        True,
        "postcode",
    )
    assert service.schedules[0].byday == "WE"


def test_importing_again_changes_nothing(runner, tmp_path):
    path = _write(tmp_path, [oruk_service(), oruk_service()])
    assert runner.invoke(args=["import-oruk", str(path)]).exit_code == 0
    again = runner.invoke(args=["import-oruk", str(path)])
    assert again.exit_code == 0
    assert "0 created, 0 updated, 2 unchanged" in again.output
    assert _services() == 2


def test_the_official_example_imports(tmp_path):
    feed = read_feed(str(FOLDER / "examples" / "service_full.json"))
    report = import_feed(feed)
    assert report.count("created") == 1, [o.line() for o in report.outcomes]
    service = db.session.get(Service, "ac148810-d857-441c-9679-408f346de14b")
    assert service.minimum_age == 12
    # The example's term is unknown here: kept as a new term under the source's taxonomy.
    assert service.terms[0].name == "name"
    assert service.terms[0].taxonomy is not None


def test_terms_are_matched_to_ours_by_code_then_name(tmp_path):
    walking = make_term("walking")
    gardening = make_term("gardening")
    record = oruk_service(
        attributes=[
            {"id": new_id(), "taxonomy_term": {"id": new_id(), "name": "Walks", "description": "", "code": "walking"}},
            {"id": new_id(), "taxonomy_term": {"id": new_id(), "name": "Gardening", "description": ""}},
            {
                "id": new_id(),
                "taxonomy_term": {
                    "id": new_id(),
                    "name": "Pottery",
                    "description": "Clay.",
                    "taxonomy": "Council needs",
                },
            },
        ]
    )
    report = import_feed(read_feed(str(_write(tmp_path, record))))
    assert (report.terms_matched, report.terms_added) == (2, 1)
    service = db.session.get(Service, record["id"])
    names = {t.id: t for t in service.terms}
    assert walking.id in names and gardening.id in names
    pottery = next(t for t in service.terms if t.name == "Pottery")
    assert (pottery.code, pottery.taxonomy.name) == ("pottery", "Council needs")


def test_a_field_changed_here_is_not_overwritten_by_a_reimport(runner, tmp_path):
    record = oruk_service()
    path = _write(tmp_path, record)
    assert runner.invoke(args=["import-oruk", str(path)]).exit_code == 0
    service = db.session.get(Service, record["id"])
    service.name = "Stockport Men's Shed (Tuesdays now)"  # a coordinator's correction
    db.session.commit()
    record["name"] = "Stockport Mens Shed"
    record["description"] = "Woodwork, metalwork and a cuppa."
    path = _write(tmp_path, record)
    result = runner.invoke(args=["import-oruk", str(path)])
    assert result.exit_code == 0
    assert "kept the change made here to name" in result.output
    db.session.expire_all()
    service = db.session.get(Service, record["id"])
    assert service.name == "Stockport Men's Shed (Tuesdays now)"
    assert service.description == "Woodwork, metalwork and a cuppa."  # not changed here, so updated
    # And it stays kept on later imports.
    again = runner.invoke(args=["import-oruk", str(path)])
    assert "kept the change made here to name" in again.output
    db.session.expire_all()
    assert db.session.get(Service, record["id"]).name == "Stockport Men's Shed (Tuesdays now)"


def test_a_service_made_here_with_the_same_id_keeps_its_fields(tmp_path):
    ours = make_service(name="Our own listing")
    record = oruk_service(id=ours.id, organization_id=ours.organization_id)
    report = import_feed(read_feed(str(_write(tmp_path, record))))
    assert "kept the change made here to name" in report.outcomes[0].line()
    db.session.expire_all()
    assert db.session.get(Service, ours.id).name == "Our own listing"


def test_invalid_json_imports_nothing(runner, tmp_path):
    result = runner.invoke(args=["import-oruk", str(_write(tmp_path, '[{"id": "x",'))])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert "Nothing imported" in result.output
    assert _services() == 0


def test_records_failing_the_schema_are_skipped_with_reasons(runner, tmp_path):
    good = oruk_service()
    bad_id = oruk_service(id="not-a-uuid")
    no_name = oruk_service()
    del no_name["name"]
    bad_status = oruk_service(status="open")
    bad_schedule = oruk_service()
    bad_schedule["schedules"][0]["freq"] = "DAILY"
    result = runner.invoke(
        args=["import-oruk", str(_write(tmp_path, [good, bad_id, no_name, bad_status, bad_schedule]))]
    )
    assert result.exit_code == 1
    out = result.output
    assert "record 2: skipped not-a-uuid" in out and "'not-a-uuid' is not a 'uuid'" in out
    assert "record 3: skipped" in out and "'name' is a required property" in out
    assert "record 4: skipped" in out and "'open' is not one of" in out
    assert "record 5: skipped" in out and "schedules/0/freq" in out
    assert "1 created" in out and "4 skipped" in out
    assert _services() == 1


def test_duplicate_ids_are_both_skipped(runner, tmp_path):
    twin = oruk_service()
    other = dict(twin, name="Something else")
    result = runner.invoke(args=["import-oruk", str(_write(tmp_path, [twin, other, oruk_service()]))])
    assert result.exit_code == 1
    assert result.output.count("2 records in the feed have this id") == 2
    assert _services() == 1


def test_nested_ids_that_belong_to_another_service_are_refused(tmp_path):
    ours = make_service(sessions=[(0, time(9), time(10))])
    record = oruk_service()
    record["schedules"][0]["id"] = ours.schedules[0].id
    report = import_feed(read_feed(str(_write(tmp_path, record))))
    assert report.outcomes[0].outcome == "skipped"
    assert "belongs to another service here" in report.outcomes[0].line()


def test_a_record_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    record = oruk_service()
    real_rows = oruk_import._rows

    def fail_on_schedules(existing, rows, model, fill):
        if model.__name__ == "Schedule" and rows:
            raise oruk_import.RecordError("the disk is full (pretend)")
        return real_rows(existing, rows, model, fill)

    monkeypatch.setattr(oruk_import, "_rows", fail_on_schedules)
    report = import_feed(read_feed(str(_write(tmp_path, [record, oruk_service(schedules=[])]))))
    assert [o.outcome for o in report.outcomes] == ["skipped", "created"]
    assert db.session.get(Service, record["id"]) is None
    assert db.session.get(Organization, record["organization"]["id"]) is None
    assert db.session.get(Location, record["service_at_locations"][0]["location"]["id"]) is None


# Feeds over HTTP --------------------------------------------------------------------------------


class StubFeed:
    """A tiny ORUK API on 127.0.0.1 (port 0), serving list pages and full records from dicts."""

    def __init__(self, records: list[dict], per_page: int, missing_pages=(), missing_records=()):
        self.records = {r["id"]: r for r in records}
        self.order = [r["id"] for r in records]
        self.per_page, self.missing_pages, self.missing_records = per_page, set(missing_pages), set(missing_records)

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        if path == "/oruk/services":
            page = int(request.args.get("page", 1))
            if page in self.missing_pages:
                return Response("gone", 404)(environ, start_response)
            ids = self.order[(page - 1) * self.per_page : page * self.per_page]
            pages = -(-len(self.order) // self.per_page)
            body = {
                "total_items": len(self.order),
                "total_pages": pages,
                "page_number": page,
                "size": len(ids),
                "first_page": page == 1,
                "last_page": page >= pages,
                "empty": not ids,
                # List items carry only one-to-one fields, as the ORUK list schema has them.
                "contents": [{k: v for k, v in self.records[i].items() if not isinstance(v, list)} for i in ids],
            }
            return Response(json.dumps(body), mimetype="application/json")(environ, start_response)
        if path.startswith("/oruk/services/"):
            service_id = path.rsplit("/", 1)[1]
            if service_id in self.records and service_id not in self.missing_records:
                return Response(json.dumps(self.records[service_id]), mimetype="application/json")(
                    environ, start_response
                )
        return Response("not found", 404)(environ, start_response)


@pytest.fixture
def serve():
    servers = []

    def start(wsgi_app) -> str:
        server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_paginated_feed_is_walked_to_its_last_page(runner, serve):
    records = [oruk_service(name=f"Group {n}") for n in range(5)]
    base = serve(StubFeed(records, per_page=2))
    result = runner.invoke(args=["import-oruk", f"{base}/oruk/services"])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output
    assert "page 3, item 1: created" in result.output
    # Full records were fetched for the list items: the schedules arrived.
    assert all(db.session.get(Service, r["id"]).schedules for r in records)


def test_a_page_that_404s_imports_nothing(runner, serve):
    base = serve(StubFeed([oruk_service() for _ in range(5)], per_page=2, missing_pages={2}))
    result = runner.invoke(args=["import-oruk", f"{base}/oruk/services"])
    assert result.exit_code == 1
    assert "page 2" in result.output and "HTTP 404" in result.output and "Nothing imported" in result.output
    assert _services() == 0


def test_a_record_whose_full_version_404s_is_skipped(runner, serve):
    records = [oruk_service() for _ in range(3)]
    base = serve(StubFeed(records, per_page=10, missing_records={records[1]["id"]}))
    result = runner.invoke(args=["import-oruk", f"{base}/oruk/services"])
    assert result.exit_code == 1
    assert "page 1, item 2: skipped" in result.output and "HTTP 404" in result.output
    assert _services() == 2


def test_an_address_nobody_answers_is_a_clear_error(runner):
    result = runner.invoke(args=["import-oruk", "http://127.0.0.1:9/oruk/services", "--timeout", "2"])
    assert result.exit_code == 1
    assert "could not be reached" in result.output


def test_a_missing_file_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["import-oruk", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "could not be read" in result.output


# Round trip ------------------------------------------------------------------------------------


def _client_fetch(client):
    """Read our own API through the test client, as import-oruk would over HTTP."""

    def fetch(url: str) -> bytes:
        parts = urlsplit(url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code != 200:
            raise FeedError(f"{url} answered HTTP {response.status_code}")
        return response.get_data()

    return fetch


def _export(client) -> dict:
    """Every service, fully nested, and every taxonomy term, through the API."""
    services, page = {}, 1
    while True:
        body = client.get(f"{API}/services?page={page}&per_page=2").get_json()
        for item in body["contents"]:
            full = client.get(f"{API}/services/{item['id']}").get_json()
            assert full.pop("last_modified")  # when it changed *here*: an import is a change
            services[item["id"]] = full
        if body["last_page"]:
            break
        page += 1
    terms = client.get(f"{API}/taxonomy_terms?per_page=200").get_json()["contents"]
    return {"services": services, "terms": sorted(terms, key=lambda t: t["id"])}


def test_round_trip_through_the_api_reproduces_every_service(app, client, tmp_path):
    make_full_service()
    make_full_service(name="Second walking group", minimum_age=None, maximum_age=None)
    make_service(postcode=None, name="Phone befriending", phone="0161 496 0999", capacity_note="Full until May.")
    make_service(name="Refuge drop-in", postcode="M33 2AA", location={"address_published": False})
    make_service(name="Old listing", last_verified_at=datetime(2023, 4, 5, 10, 0))
    original = _export(client)
    assert len(original["services"]) == 5
    feed = read_feed(f"http://localhost{API}/services?per_page=2", fetch=_client_fetch(client))

    second = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'second.sqlite'}"})
    with second.app_context():
        db.create_all()
        report = import_feed(feed)
        assert report.count("created") == 5, [o.line() for o in report.outcomes]
        copy = _export(second.test_client())
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    assert copy == original


def test_a_dry_run_reports_but_writes_nothing(runner, tmp_path):
    result = runner.invoke(args=["import-oruk", str(_write(tmp_path, [oruk_service(), oruk_service()])), "--dry-run"])
    assert result.exit_code == 0
    assert "Dry run, nothing written. 2 records read: 2 created" in result.output
    assert _services() == 0


def test_a_virtual_location_and_an_address_without_a_street_are_understood(tmp_path):
    record = oruk_service()
    record["service_at_locations"].append(
        {"id": new_id(), "location": {"id": new_id(), "location_type": "virtual", "name": "Zoom"}}
    )
    private = oruk_service()
    address = private["service_at_locations"][0]["location"]["addresses"][0]
    address.update(address_1="", postal_code="M33")
    report = import_feed(read_feed(str(_write(tmp_path, [record, private]))))
    assert report.count("created") == 2
    assert len(db.session.get(Service, record["id"]).locations_at) == 1
    location = db.session.get(Service, private["id"]).locations_at[0].location
    assert (location.address_published, location.outcode, location.geo_precision.value) == (False, "M33", "district")
