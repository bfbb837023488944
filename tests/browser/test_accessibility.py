"""axe-core finds no WCAG 2.1 A/AA violation on the platform's pages, in Latvian and English.

Public pages are checked as an anonymous visitor and signed in; pages behind sign-in as the
coordinator, who sees every control (add, edit, delete, import). Each page is opened on the
phone viewport with requests outside the live server blocked, so pages with a map are checked
as they look when the tiles do not load: markers, the "no background" note and the list.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.network.models import Agreement, Institution, Organisation, Person
from tests.browser.conftest import axe_violations, set_language, sign_in_as


@dataclass(frozen=True)
class Network:
    """What the checked pages show: org A with its admin, and its agreement with Ogre."""

    organisation: Organisation
    person: Person
    institution: Institution
    agreement: Agreement


PUBLIC_PAGES: dict[str, Callable[[Network], str]] = {
    "directory": lambda n: reverse("network:directory"),
    "organisation": lambda n: reverse("network:organisation", args=[n.organisation.pk]),
    "map": lambda n: reverse("network:map"),
}
SIGNED_IN_PAGES: dict[str, Callable[[Network], str]] = {
    **PUBLIC_PAGES,
    "filtered directory": lambda n: (
        reverse("network:directory") + "?q=Ogre&municipality=LV-067&capability=first_aid"
    ),
    "organisation edit": lambda n: reverse("network:organisation_edit", args=[n.organisation.pk]),
    "organisation people": lambda n: reverse(
        "network:organisation_people", args=[n.organisation.pk]
    ),
    "person": lambda n: reverse("network:person", args=[n.person.pk]),
    "person edit": lambda n: reverse("network:person_edit", args=[n.person.pk]),
    "institutions": lambda n: reverse("network:institutions"),
    "institution": lambda n: reverse("network:institution", args=[n.institution.pk]),
    "agreement edit": lambda n: reverse("network:agreement_edit", args=[n.agreement.pk]),
    "import": lambda n: reverse("network:import"),
    "API tokens": lambda n: reverse("accounts:tokens"),
}
LANGUAGES = ["lv", "en"]


@pytest.fixture
def network(admin_a: User, org_a: Organisation, ogre_commission: Institution) -> Network:
    agreement = Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Pirmā palīdzība evakuācijas punktos.",
        signed_on=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2034, 3, 1),
    )
    return Network(org_a, admin_a.person, ogre_commission, agreement)


def assert_accessible(page: Page, url: str, language: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    if page.locator("#map").count():
        # Check the map as a person meets it: drawn, its markers placed, its tiles failed.
        expect(page.locator("#map.leaflet-container")).to_be_visible()
        markers = page.locator("#map .leaflet-overlay-pane canvas, #map .leaflet-marker-icon")
        expect(markers.first).to_be_attached()
        expect(page.locator("#map-tiles-note")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_the_sign_in_page(
    live_server: object, page: Page, language: str, reference: None
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    assert_accessible(page, base_url + reverse("accounts:login"), language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_it_finds_no_violation_on_public_pages_for_a_visitor(
    live_server: object,
    page: Page,
    name: str,
    language: str,
    network: Network,
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    assert_accessible(page, base_url + PUBLIC_PAGES[name](network), language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_it_finds_no_violation_on_pages_for_a_signed_in_coordinator(
    live_server: object,
    page: Page,
    name: str,
    language: str,
    coordinator: User,
    network: Network,
    org_b: Organisation,
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    sign_in_as(page, base_url, coordinator)
    assert_accessible(page, base_url + SIGNED_IN_PAGES[name](network), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_the_organisation_page_for_its_admin(
    live_server: object, page: Page, language: str, admin_a: User, network: Network
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    sign_in_as(page, base_url, admin_a)
    assert_accessible(page, base_url + PUBLIC_PAGES["organisation"](network), language)
