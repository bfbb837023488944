"""An organisation's admin finds their organisation in the directory and edits it, in Chromium.

The directory's filters swap the results with HTMX (and push the filters to the address bar);
without JavaScript the same form submits as a plain GET and the page comes back filtered.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, expect

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import PASSWORD, municipality
from noturiba.network.models import Organisation
from tests.browser.conftest import PHONE, set_language, sign_in


@pytest.fixture
def riga_samaritans(org_a: Organisation) -> Organisation:
    """Matches the same search words as org A, in another municipality."""
    organisation = Organisation.objects.create(
        name="Rīgas Samariešu biedrība",
        registration_number="40008000003",
        description="Pirmā palīdzība Rīgā.",
        municipality=municipality("LV-RIX"),
        is_public=True,
    )
    organisation.municipalities.set([municipality("LV-RIX")])
    organisation.search_text = organisation.build_search_text()
    organisation.save(update_fields=["search_text"])
    return organisation


def _results(page: Page) -> Locator:
    """The names of the organisations listed, in order."""
    return page.locator("#directory-results .org-name a")


def test_it_lets_an_admin_find_and_edit_their_organisation(
    live_server: object,
    page: Page,
    admin_a: User,
    org_a: Organisation,
    org_b: Organisation,
    riga_samaritans: Organisation,
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    sign_in(page, base_url, admin_a.email, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    expect(page).to_have_url(re.compile(r"/directory/$"))
    page.wait_for_load_state()  # HTMX (a deferred script) is in place once the page has loaded
    expect(_results(page)).to_have_text([org_b.name, org_a.name, riga_samaritans.name])
    # Set on this document: a full page load would forget it.
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#id_q").fill("Samariešu")
    expect(page).to_have_url(re.compile(r"[?&]q=Samarie"))
    expect(_results(page)).to_have_text([org_a.name, riga_samaritans.name])
    page.get_by_text("Filters and sorting").click()
    page.locator("#id_municipality").select_option("LV-067")
    expect(page).to_have_url(re.compile(r"[?&]municipality=LV-067"))
    expect(_results(page)).to_have_text([org_a.name])
    expect(page.locator("#result-count")).to_contain_text("1 organisation found")
    assert page.evaluate("window.stillTheSamePage") is True

    page.locator("#directory-results").get_by_role("link", name=org_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(org_a.name)
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {org_a.name}")
    page.locator("#id_description").fill("Pirmā palīdzība, senioru atbalsts un silta telpa Ogrē.")
    page.locator("#id_capability-first_aid-quantity").fill("15")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/organisations/{org_a.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(page.locator(".lead")).to_have_text(
        "Pirmā palīdzība, senioru atbalsts un silta telpa Ogrē."
    )
    capabilities = page.get_by_role("region", name="What it can offer in a crisis")
    expect(capabilities.get_by_role("cell").first).to_have_text(re.compile(r"^15 "))

    org_a.refresh_from_db()
    assert org_a.description == "Pirmā palīdzība, senioru atbalsts un silta telpa Ogrē."
    assert org_a.capabilities.get(capability__code="first_aid").quantity == Decimal(15)
    entries = AuditEntry.objects.filter(
        actor=admin_a, object_type="network.organisation", object_id=str(org_a.pk)
    )
    changed = {name for entry in entries for name in entry.changes}
    assert {"description", "capability:first_aid"} <= changed


def test_it_filters_the_directory_without_javascript(
    live_server: object,
    browser: Browser,
    admin_a: User,
    org_a: Organisation,
    org_b: Organisation,
    riga_samaritans: Organisation,
) -> None:
    base_url = str(live_server)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        set_language(page, base_url, "en")
        sign_in(page, base_url, admin_a.email, PASSWORD)
        page.goto(base_url + reverse("network:directory"))
        expect(_results(page)).to_have_text([org_b.name, org_a.name, riga_samaritans.name])

        page.locator("#id_q").fill("Samariešu")
        page.get_by_text("Filters and sorting").click()
        page.locator("#id_municipality").select_option("LV-067")
        page.get_by_role("search").get_by_role("button", name="Search").click()

        expect(page).to_have_url(re.compile(r"[?&]municipality=LV-067"))
        assert "q=Samarie" in page.url
        expect(_results(page)).to_have_text([org_a.name])
        expect(page.locator("#result-count")).to_contain_text("1 organisation found")
    finally:
        context.close()
