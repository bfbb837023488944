"""Following the response in Chromium: the map of needs shows its markers (tiles blocked, as
offline), the tables carry the same data, and axe-core finds no WCAG 2.1 A/AA violation on the
map and the situation report, in Latvian and English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.assistance.tests.follow_data import LIEPAJA_TITLE, Situation, make_situation
from noturiba.network.models import Organisation
from tests.browser.conftest import axe_violations, set_language, sign_in_as


@pytest.fixture
def situation(org_a: Organisation, org_b: Organisation) -> Situation:
    return make_situation(org_a, org_b)


def test_the_map_shows_requests_and_responders_as_markers(
    live_server: object, page: Page, coordinator: User, situation: Situation, org_a: Organisation
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, coordinator)
    with page.expect_response(re.compile(r"/requests/map\.geojson")) as geojson:
        page.goto(base_url + reverse("assistance:map"))
    features = geojson.value.json()["features"]
    kinds = [feature["properties"]["kind"] for feature in features]
    assert kinds.count("request") == 4
    assert kinds.count("organisation") == 2

    expect(page.locator("#map .leaflet-overlay-pane canvas")).to_be_attached()
    expect(page.locator("#map-tiles-note")).to_be_visible()
    requests = page.get_by_role(
        "table", name="Open requests, most urgent and nearest deadline first, with their coverage"
    )
    expect(requests.get_by_role("link", name=situation.ogre_water.title)).to_be_visible()
    expect(requests).to_contain_text("7 of 10 seats, 3 missing")
    responders = page.get_by_role(
        "table", name="Organisations with active claims on these requests, and what they are doing"
    )
    expect(responders.get_by_role("link", name=org_a.name)).to_be_visible()


def test_an_officer_s_map_has_no_other_municipality(
    live_server: object, page: Page, officer: User, situation: Situation
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, officer)
    with page.expect_response(re.compile(r"/requests/map\.geojson")) as geojson:
        page.goto(base_url + reverse("assistance:map"))

    assert LIEPAJA_TITLE not in geojson.value.text()
    expect(page.locator("main")).not_to_contain_text(LIEPAJA_TITLE)


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("name", ["assistance:map", "assistance:sitrep"])
def test_the_follow_pages_have_no_accessibility_violations(
    live_server: object,
    page: Page,
    coordinator: User,
    situation: Situation,
    language: str,
    name: str,
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    sign_in_as(page, base_url, coordinator)
    page.goto(base_url + reverse(name))
    if name == "assistance:map":
        expect(page.locator("#map .leaflet-overlay-pane canvas")).to_be_attached()
    expect(page.locator("html")).to_have_attribute("lang", language)

    assert axe_violations(page) == []
