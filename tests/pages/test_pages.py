"""Public and statutory pages: they render, carry the layout, the demo banner and the attributions."""

import pytest
from flask import url_for

from prescribing.auth.models import Role
from prescribing.navigation import START_PAGES
from tests.conftest import page, sign_in
from tests.factories import make_user

PUBLIC_PAGES = ["/", "/about", "/privacy", "/accessibility", "/cookies", "/sign-in", "/forgot-password", "/services"]
FOOTER_LINKS = {"/about", "/accessibility", "/privacy", "/cookies"}
BANNER = "Demonstration service"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_with_the_layout(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = page(response)
    assert len(html.find_all("h1")) == 1
    assert html.h1.get_text(strip=True)
    assert html.title.get_text().endswith("– NHS")
    skip = html.select_one("a.nhsuk-skip-link")
    assert skip is not None and skip["href"] == "#maincontent"
    assert html.find(id="maincontent") is not None
    footer_links = {a["href"] for a in html.select(".nhsuk-footer a")}
    assert footer_links >= FOOTER_LINKS
    assert html.select_one(".nhsuk-header") is not None
    # Signed out: the header offers sign-in.
    assert any(a.get("href") == "/sign-in" for a in html.select(".nhsuk-header a"))


def start_path(app, role):
    with app.test_request_context():
        return url_for(START_PAGES[role])


@pytest.mark.parametrize("who", [*PUBLIC_PAGES, *Role])
def test_demo_banner_on_every_page(app, client, who):
    if isinstance(who, Role):
        sign_in(client, make_user(who))
        path = start_path(app, who)
    else:
        path = who
    response = client.get(path)
    assert response.status_code == 200
    banner = page(response).select_one(".app-demo-banner")
    assert banner is not None
    assert BANNER in banner.get_text()


def test_no_banner_where_the_directory_is_real(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_BANNER", False)
    assert BANNER not in client.get("/").get_data(as_text=True)


def test_about_page_carries_the_data_attributions(client):
    text = " ".join(page(client.get("/about")).get_text().split())
    # Postcodes: OS, Royal Mail and National Statistics.
    assert "Contains OS data © Crown copyright" in text
    assert "Contains Royal Mail data © Royal Mail copyright" in text
    assert "Contains National Statistics data © Crown copyright" in text
    # The demo directory: OGL, from Trafford's open data.
    assert "Open Government Licence v3.0" in text
    assert "Trafford" in text
    # Open Referral UK: CC BY-SA.
    assert "Open Referral UK" in text
    assert "CC BY-SA" in text


@pytest.mark.parametrize("role", list(Role))
def test_signed_in_header_shows_the_user_and_a_sign_out_button(client, role):
    user = make_user(role, name="Alex Example")
    sign_in(client, user)
    header = page(client.get("/about")).select_one(".nhsuk-header")
    assert f"Alex Example ({role.label})" in header.get_text()
    form = header.find("form", action="/sign-out")
    assert form is not None and form["method"] == "post"
    assert form.find("input", {"name": "csrf_token"}) is not None
