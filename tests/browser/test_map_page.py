"""The map pages work when the map tiles do not load (no internet, or a tile server down).

The ``page`` fixture blocks every request outside the live server, tiles included: the page
must still place its markers, say that the background is missing, and list the organisations.
"""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.network.models import Organisation
from tests.browser.conftest import set_language, sign_in_as


def test_it_shows_markers_and_the_list_when_tiles_do_not_load(
    live_server: object, page: Page, org_a: Organisation, org_b: Organisation
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    with page.expect_response(re.compile(r"/map\.geojson")) as geojson:
        page.goto(base_url + reverse("network:map"))
    features = geojson.value.json()["features"]
    assert [feature["properties"]["name"] for feature in features] == [org_a.name]

    expect(page.locator("#map-tiles-note")).to_be_visible()
    table = page.get_by_role("table", name="Organisations and their municipalities")
    expect(table.get_by_role("link", name=org_a.name)).to_be_visible()
    expect(table).not_to_contain_text(org_b.name)

    # The only marker is at the centre of the map: clicking it opens a popup with a link.
    expect(page.locator("#map .leaflet-overlay-pane canvas")).to_be_attached()
    page.locator("#map").click()
    popup = page.locator("#map .leaflet-popup-content")
    expect(popup).to_contain_text("placed at the centre of its municipality")
    popup.get_by_role("link", name=org_a.name).click()
    expect(page).to_have_url(re.compile(rf"/organisations/{org_a.pk}/$"))


def test_it_marks_the_organisation_on_its_page_when_tiles_do_not_load(
    live_server: object, page: Page, admin_a: User, org_a: Organisation
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, admin_a)
    page.goto(base_url + reverse("network:organisation", args=[org_a.pk]))

    expect(page.locator("#map-tiles-note")).to_be_visible()
    expect(page.get_by_role("button", name=org_a.name)).to_be_visible()
    expect(page.get_by_text("Coordinates: 56.81620, 24.61400")).to_be_visible()
