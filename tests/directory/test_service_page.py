"""The public service page: everything a person needs to go."""

from datetime import time, timedelta

import pytest

from prescribing.clock import utcnow
from prescribing.directory.models import (
    Accepting,
    Contact,
    CostOption,
    ListingStatus,
    Schedule,
    ServiceArea,
    ServiceLanguage,
)
from tests.conftest import page
from tests.factories import make_organization, make_service, make_term


def section(soup, heading_id: str) -> str:
    """The text from a section heading up to the next one."""
    heading = soup.find(id=heading_id)
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


@pytest.fixture
def full_service(db):
    service = make_service(
        name="Sale walking group",
        organization=make_organization(name="Trafford Strollers"),
        postcode="M33 7ZF",
        description="Short sociable walks.\n\nEveryone welcome, whatever your pace.",
        terms=[make_term("walking")],
        location={"step_free": True, "hearing_loop": True, "city": "Sale"},
        phone="0161 496 0000",
        email="walks@example.org",
        url="https://example.org/walks",
        self_referral=True,
        link_worker_referral=True,
        gp_referral=True,
        accepting=Accepting.WAITING_LIST,
        capacity_note="About 4 weeks' wait.",
        how_to_join="Ring Sue before your first walk.",
        minimum_age=18,
        maximum_age=65,
        eligibility_description="Adults with a long-term condition.",
        source="Trafford Council directory, 2024",
        last_verified_at=utcnow() - timedelta(days=21),
        languages=[ServiceLanguage(name="English"), ServiceLanguage(name="Polish")],
        areas=[ServiceArea(outcode="M33")],
        contacts=[Contact(name="Walk leader", phone="07700 900000")],
    )
    service.is_free = False
    service.cost_options = [CostOption(amount=3.5, option="per walk; free for carers")]
    service.schedules = [
        Schedule(byday_index=1, opens_at=time(10), closes_at=time(12), note="Not on bank holidays."),
        Schedule(byday_index=3, opens_at=time(18, 30), closes_at=time(20), week_of_month=1),
        Schedule(byday_index=4, opens_at=time(14), closes_at=time(15), week_of_month=-1),
    ]
    db.session.commit()
    return service


def test_the_service_page_shows_everything_a_person_needs(client, full_service):
    response = client.get(f"/services/{full_service.id}")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Sale walking group"
    assert soup.select_one(".nhsuk-caption-l").get_text(strip=True) == "Trafford Strollers"
    assert [p.get_text() for p in soup.select(".app-description p")] == [
        "Short sociable walks.",
        "Everyone welcome, whatever your pace.",
    ]
    where = section(soup, "where")
    location = full_service.locations_at[0].location
    assert location.address_1 in where and "Sale" in where and "M33 7ZF" in where
    assert "Step-free access" in where and "Hearing loop" in where
    assert "Only for people who live in the M33 postcode area" in where
    when = section(soup, "when")
    assert "Every Tuesday, 10:00 to 12:00" in when
    assert "First Thursday of the month, 18:30 to 20:00" in when
    assert "Last Friday of the month, 14:00 to 15:00" in when
    assert "Not on bank holidays." in when
    assert section(soup, "cost") == "£3.50 – per walk; free for carers"
    join = section(soup, "how-to-join")
    assert join.startswith("Waiting list") and "About 4 weeks' wait." in join
    assert "Contact the group yourself" in join and "link worker" in join and "GP" in join
    assert "Ring Sue before your first walk." in join
    who = section(soup, "who")
    assert "Ages 18 to 65" in who and "Adults with a long-term condition." in who
    assert section(soup, "languages") == "English, Polish"
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".app-contacts a")}
    assert links == {
        "0161 496 0000": "tel:01614960000",
        "walks@example.org": "mailto:walks@example.org",
        "https://example.org/walks": "https://example.org/walks",
        "07700 900000": "tel:07700900000",
    }
    assert soup.select_one(".app-confirmed").get_text(strip=True).startswith("Confirmed accurate 3 weeks ago")
    assert soup.select_one(".app-source").get_text(strip=True) == "Source: Trafford Council directory, 2024"
    assert soup.select_one(".nhsuk-card--warning") is None


def test_a_stale_listing_warns_before_you_go(client):
    service = make_service(last_verified_at=utcnow() - timedelta(days=220))
    soup = page(client.get(f"/services/{service.id}"))
    callout = soup.select_one(".nhsuk-card--warning")
    assert "This listing may be out of date" in callout.get_text()
    assert "7 months ago" in callout.get_text()


def test_an_unpublished_address_shows_only_the_area(client):
    service = make_service(postcode="M33 7ZF", location={"address_published": False})
    body = client.get(f"/services/{service.id}").get_data(as_text=True)
    location = service.locations_at[0].location
    assert location.address_1 not in body
    assert location.name not in body
    assert "M33 7ZF" not in body and "M337ZF" not in body
    soup = page(client.get(f"/services/{service.id}"))
    where = section(soup, "where")
    assert "Venue in the M33 area" in where
    assert "Address given when you contact the group" in where


def test_a_remote_service_says_how_it_is_delivered(client):
    service = make_service(postcode=None, online=True, by_phone=True)
    soup = page(client.get(f"/services/{service.id}"))
    assert section(soup, "where").startswith("Online and by phone.")


def test_free_and_no_sessions(client):
    service = make_service()
    soup = page(client.get(f"/services/{service.id}"))
    assert section(soup, "cost") == "Free"
    assert section(soup, "when") == "Contact the group for times."
    assert section(soup, "who") == "Everyone is welcome."


def test_html_in_a_description_is_shown_as_text(client):
    service = make_service(
        name="<b>Bold</b> group",
        description='<script>alert("x")</script><img src=x onerror=alert(1)>',
        capacity_note="<i>full</i>",
    )
    response = client.get(f"/services/{service.id}")
    body = response.get_data(as_text=True)
    soup = page(response)
    assert "&lt;script&gt;" in body
    assert soup.select(".app-description script, .app-description img") == []
    assert soup.h1.find("b") is None and soup.h1.get_text() == "<b>Bold</b> group"
    assert soup.find("i", string="full") is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "JaVaScRiPt:alert(1)"])
def test_only_web_addresses_become_links(client, url):
    service = make_service(url=url)
    soup = page(client.get(f"/services/{service.id}"))
    assert [a["href"] for a in soup.select(".app-contacts a")] == []
    assert "javascript:" not in str(soup.select_one(".app-contacts") or "").lower().replace("javascript:alert", "")


@pytest.mark.parametrize("service_id", ["no-such-id", "00000000-0000-0000-0000-000000000000", "'; DROP TABLE service"])
def test_an_unknown_service_is_a_styled_404(client, service_id):
    response = client.get(f"/services/{service_id}")
    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "Page not found"


def test_an_archived_service_is_a_404(client):
    service = make_service(status=ListingStatus.ARCHIVED)
    assert client.get(f"/services/{service.id}").status_code == 404


def test_a_service_of_an_archived_organisation_is_a_404(client):
    service = make_service(organization=make_organization(status=ListingStatus.ARCHIVED))
    assert client.get(f"/services/{service.id}").status_code == 404


def test_an_inactive_service_says_it_is_not_running(client):
    service = make_service(status=ListingStatus.INACTIVE)
    response = client.get(f"/services/{service.id}")
    assert response.status_code == 200
    assert "This group is not running at the moment." in page(response).get_text()


def test_the_page_leaves_room_for_listing_actions(client):
    service = make_service()
    soup = page(client.get(f"/services/{service.id}"))
    assert "Report a problem with this listing" in soup.get_text()
