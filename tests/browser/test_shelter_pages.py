"""Shelters in Chromium: an operator updates occupancy from a phone and the public page shows
it; axe-core finds no violations on the shelter pages in Latvian and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from noturiba.accounts.models import User
from noturiba.network.models import Organisation
from noturiba.shelters.models import Shelter
from noturiba.shelters.tests.conftest import make_shelter
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in_as


@pytest.fixture
def shelter(org_a: Organisation) -> Shelter:
    """Public, open, 112.5 m² (150 short-stay places), 10 inside, run by organisation A."""
    return make_shelter(
        name="Ogres kultūras centra patvertne",
        latitude=Decimal("56.81750"),
        longitude=Decimal("24.60520"),
        operator_organisation=org_a,
        step_free=True,
        accessible_toilet=True,
        wheelchair_spaces=2,
        water=True,
        heating=True,
        occupancy=10,
        is_public=True,
    )


@pytest.fixture
def public_page(browser: Browser) -> Iterator[Page]:
    """A second, signed-out phone-sized browser context (same session browser)."""
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.abort()
        ),
    )
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    yield visitor
    context.close()


def test_an_operator_updates_occupancy_on_a_phone_and_the_public_map_shows_it(
    live_server: object, page: Page, public_page: Page, member_a: User, shelter: Shelter
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, member_a)
    assert page.viewport_size == PHONE

    page.goto(base_url + reverse("shelters:update", args=[shelter.pk]))
    number = page.get_by_label("People inside now")
    number.fill("30")
    # The +1 button is a plain submit: it works without JavaScript and saves nothing.
    for _ in range(4):
        with page.expect_navigation():
            page.get_by_role("button", name="1 more").click()
    expect(number).to_have_value("34")
    page.get_by_label("open", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Saved: open, 34 people inside, 116 free places"
    )
    # Enter in the number field saves too (it does not press the first −/+ button).
    number.fill("35")
    with page.expect_navigation():
        number.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved: open, 35 people inside")
    number.fill("34")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    set_language(public_page, base_url, "en")
    with public_page.expect_response(re.compile(r"/shelters\.geojson")) as geojson:
        public_page.goto(base_url + reverse("shelters:public"))
    [feature] = geojson.value.json()["features"]
    assert feature["properties"]["free_places"] == 116
    assert feature["properties"]["occupancy"] == 34
    row = public_page.locator(".shelter-row", has_text=shelter.name)
    expect(row.locator(".free-places")).to_have_text("116")
    expect(row).to_contain_text("step-free entrance")
    expect(public_page.locator("#map .leaflet-overlay-pane canvas")).to_be_attached()


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_shelter_pages_have_no_axe_violations(
    live_server: object, page: Page, coordinator: User, shelter: Shelter, language: str
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    make_shelter(name="Pilnā patvertne", status=Shelter.Status.FULL, occupancy=150, is_public=True)
    make_shelter(name="Atveramā patvertne", status=Shelter.Status.OPENING, is_public=True)
    public = [
        reverse("shelters:public"),
        reverse("shelters:public") + "?need=step_free&free=1",
        reverse("shelters:detail", args=[shelter.pk]),
    ]
    for path in public:
        page.goto(base_url + path)
        assert axe_violations(page) == [], (language, path)

    sign_in_as(page, base_url, coordinator)
    signed_in = [
        reverse("shelters:manage"),
        reverse("shelters:update", args=[shelter.pk]),
        reverse("shelters:edit", args=[shelter.pk]),
        reverse("shelters:add"),
    ]
    for path in signed_in:
        page.goto(base_url + path)
        assert axe_violations(page) == [], (language, path)

    # The add form shows both capacities while the floor area is typed.
    page.goto(base_url + reverse("shelters:add"))
    page.locator("#id_floor_area").fill("75")
    expect(page.locator("#capacity-preview")).to_contain_text("100")
    expect(page.locator("#capacity-preview")).to_contain_text("21")
    assert axe_violations(page) == [], (language, "add with a floor area")

    # Pages showing errors: the update refused (too many for "open"), the form with errors.
    page.goto(base_url + reverse("shelters:update", args=[shelter.pk]))
    page.locator("input[name=occupancy]").fill("500")
    page.locator("input[name=status][value=open]").check()
    with page.expect_navigation():
        page.locator("button.big-save").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert axe_violations(page) == [], (language, "update with errors")
    page.goto(base_url + reverse("shelters:add"))
    with page.expect_navigation():
        page.locator("form.edit-form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert axe_violations(page) == [], (language, "add with errors")
