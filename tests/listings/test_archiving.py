"""Listings are archived, never deleted; archived listings leave search but keep their history."""

import pytest
from sqlalchemy import select

from prescribing.auth.models import Role
from prescribing.directory.models import ListingRevision, ListingStatus, Service
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import make_user


def test_coordinator_archives_a_listing_and_it_is_kept(client, coordinator, service, now):
    sign_in(client, coordinator)
    assert "Archive Walk and talk?" in page(client.get(f"/listings/services/{service.id}/archive")).h1.get_text()
    response = post_form(client, f"/listings/services/{service.id}/archive", {"reason": "The group has closed."})
    assert response.status_code == 302
    db.session.expire_all()
    archived = db.session.get(Service, service.id)
    assert (archived.status, archived.archived_at) == (ListingStatus.ARCHIVED, now.at())
    revision = db.session.scalars(select(ListingRevision)).one()
    assert revision.action == "archived"
    assert revision.changes["archive_reason"] == [None, "The group has closed."]


def test_archived_listing_leaves_the_public_pages_but_stays_in_history(client, coordinator, editor, service):
    sign_in(client, coordinator)
    post_form(client, f"/listings/services/{service.id}/archive", {})
    anonymous = client.application.test_client()
    assert anonymous.get(f"/services/{service.id}").status_code == 404
    assert "Walk and talk" not in anonymous.get("/services").get_data(as_text=True)
    sign_in(client, editor)
    history = page(client.get(f"/listings/services/{service.id}/history"))
    assert "Archived by Cara Coordinator" in history.get_text(" ", strip=True)


@pytest.mark.parametrize("role", [Role.ORG_EDITOR, Role.LINK_WORKER])
def test_only_coordinators_archive(client, org, service, role):
    user = make_user(role, organization=org) if role == Role.ORG_EDITOR else make_user(role)
    sign_in(client, user)
    assert post_form(client, f"/listings/services/{service.id}/archive", {}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == ListingStatus.ACTIVE


def test_no_route_accepts_delete(app):
    deleting = [rule.rule for rule in app.url_map.iter_rules() if "DELETE" in rule.methods]
    assert deleting == []


@pytest.mark.parametrize(
    "path", ["/listings/services/{id}", "/listings/services/{id}/edit", "/services/{id}", "/api/v1/services/{id}"]
)
def test_delete_requests_are_refused(client, coordinator, service, path):
    sign_in(client, coordinator)
    assert client.delete(path.format(id=service.id)).status_code == 405
    assert db.session.get(Service, service.id) is not None
