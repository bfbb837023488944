"""The header's language switcher: Latvian by default, English on request, same page after."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.network.models import Organisation


def test_it_switches_between_latvian_and_english_on_the_same_page(
    live_server: object, page: Page, org_a: Organisation
) -> None:
    url = str(live_server) + reverse("network:directory") + "?q=Ogre"
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "lv")

    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Network directory")
    expect(page.locator("#id_q")).to_have_value("Ogre")

    page.get_by_role("banner").get_by_role("button", name="Latviski").click()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page).to_have_url(url)


def test_it_keeps_the_chosen_language_on_other_pages(
    live_server: object, page: Page, org_a: Organisation
) -> None:
    base_url = str(live_server)
    page.goto(base_url + reverse("network:organisation", args=[org_a.pk]))
    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/organisations/{org_a.pk}/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    expect(page).to_have_url(re.compile(r"/map/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
