"""Every listings page renders for the role it is for (the NHS macros hide template typos)."""

import pytest
from flask import render_template_string
from sqlalchemy import select

from prescribing.listings.models import ListingRequest, ProblemReport
from tests.conftest import page, post_form, sign_in
from tests.factories import make_service

EDITOR_PAGES = {
    "/listings/my-organisation": "Sale Walkers",
    "/listings/services/{service}": "Walk and talk",
    "/listings/services/{service}/edit": "Change Walk and talk",
    "/listings/services/{service}/sessions": "When it runs",
    "/listings/services/{service}/venues/new": "Add a venue",
    "/listings/services/{service}/venues/{location}": "Change venue:",
    "/listings/services/{service}/history": "History of Walk and talk",
    "/listings/organisations/{org}/edit": "Change Sale Walkers",
    "/listings/organisations/{org}/services/new": "Add a listing",
}
COORDINATOR_PAGES = {
    "/listings/moderation": "Listings to moderate",
    "/listings/stale": "Out of date listings",
    "/listings/services/{service}/archive": "Archive Walk and talk?",
    "/listings/requests/{request}": "Timperley Knitters",
    "/listings/services/{service}": "Walk and talk",
}
PUBLIC_PAGES = {
    "/listings/ask-to-be-listed": "Ask for your organisation to be listed",
    "/listings/ask-to-be-listed/sent": "Request sent",
    "/listings/services/{service}/report": "Report a problem with this listing",
    "/listings/services/{service}/report/sent": "Report sent",
}


@pytest.fixture
def ids(client, org, service):
    post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed", "details": "Gone."})
    post_form(
        client,
        "/listings/ask-to-be-listed",
        {
            "organisation_name": "Timperley Knitters",
            "contact_name": "Kim",
            "email": "kim@example.org",
            "offers": "Knitting.",
            "area": "Timperley",
        },
    )
    from prescribing.extensions import db

    assert db.session.scalars(select(ProblemReport)).one()
    return {
        "service": service.id,
        "location": service.locations_at[0].location_id,
        "org": org.id,
        "request": db.session.scalars(select(ListingRequest)).one().id,
    }


def _check(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200, path
    assert heading in page(response).h1.get_text(" ", strip=True) or heading in page(response).get_text()
    assert "Error:" not in page(response).title.get_text()


@pytest.mark.parametrize(("path", "heading"), EDITOR_PAGES.items())
def test_editor_pages_render(client, editor, ids, path, heading):
    sign_in(client, editor)
    _check(client, path.format(**ids), heading)


@pytest.mark.parametrize(("path", "heading"), COORDINATOR_PAGES.items())
def test_coordinator_pages_render(client, coordinator, ids, path, heading):
    sign_in(client, coordinator)
    _check(client, path.format(**ids), heading)


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES.items())
def test_public_pages_render_signed_out(client, ids, path, heading):
    _check(client, path.format(**ids), heading)


def test_service_actions_partial_links_to_the_report_form(app, editor):
    listed = make_service()
    with app.test_request_context():
        html = render_template_string('{% include "listings/_service_actions.html" %}', service=listed)
    assert f'href="/listings/services/{listed.id}/report"' in html
    assert "Report a problem with this listing" in html


def test_public_service_page_offers_report_a_problem(client, service):
    html = page(client.get(f"/services/{service.id}"))
    link = html.find("a", string="Report a problem with this listing")
    assert link is not None, "directory/service.html should include listings/_service_actions.html"
    assert link["href"] == f"/listings/services/{service.id}/report"
