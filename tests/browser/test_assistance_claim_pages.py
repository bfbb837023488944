"""Claims in Chromium: an organisation admin claims part of a line from the request page,
a member reports progress with a photo on a phone, the holder answers a request to take over;
axe-core finds no violations on these pages in Latvian and English."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, ClaimPhoto
from noturiba.assistance.tests.claims_support import make_line
from noturiba.network.models import Organisation
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in_as


def test_an_admin_claims_and_a_member_reports_from_a_phone(
    live_server: object,
    page: Page,
    admin_a: User,
    member_a: User,
    org_a: Organisation,
    officer: User,
    tmp_path: Path,
) -> None:
    base_url = str(live_server)
    line = make_line(created_by=officer)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, admin_a)
    assert page.viewport_size == PHONE

    page.goto(base_url + reverse("assistance:detail", args=[line.request_id]))
    page.get_by_label("Quantity").fill("4")
    with page.expect_navigation():
        page.get_by_role("button", name="Claim", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Ogres Samariešu biedrība claimed 4 seats")
    assert axe_violations(page) == []
    claim = Claim.objects.get()

    page.context.clear_cookies()
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, member_a)
    page.goto(base_url + reverse("assistance:claim", args=[claim.pk]))
    photo = tmp_path / "kannas.png"
    Image.new("RGB", (2400, 1200), (20, 90, 160)).save(photo)
    page.get_by_label("We are on our way / at work").check()
    page.get_by_role("textbox", name="Note").fill("Izbraucām ar diviem busiem")
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    page.get_by_label("What the photos show").fill("Divi busi pie skolas")
    with page.expect_navigation():
        page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_contain_text("the claim is under way")
    expect(page.get_by_role("img", name="Divi busi pie skolas")).to_be_visible()
    stored = ClaimPhoto.objects.get()
    assert (stored.width, stored.height) == (1600, 800)
    # Big buttons on a phone: the submit spans the width and is at least 44 px high.
    box = page.get_by_role("button", name="Save update").bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    assert axe_violations(page) == []


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_claim_pages_have_no_accessibility_violations(
    live_server: object,
    page: Page,
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
    language: str,
) -> None:
    base_url = str(live_server)
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(3))
    claim = actions.accept_offer(officer, offer=offer)
    actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(2))
    actions.update_claim(admin_a, claim=claim, state="under_way", note="Ceļā")
    actions.request_transfer(admin_b, claim=claim, to_organisation=org_b, note="Esam tuvāk")
    set_language(page, base_url, language)

    sign_in_as(page, base_url, admin_a)
    for url in (
        reverse("assistance:claim", args=[claim.pk]),
        reverse("assistance:my_claims"),
        reverse("assistance:detail", args=[line.request_id]),
    ):
        page.goto(base_url + url)
        assert page.locator("html").get_attribute("lang") == language
        assert axe_violations(page) == [], url

    page.context.clear_cookies()
    set_language(page, base_url, language)
    sign_in_as(page, base_url, officer)
    for url in (
        reverse("assistance:detail", args=[line.request_id]),  # pending offer to decide
        reverse("assistance:claim", args=[claim.pk]),
    ):
        page.goto(base_url + url)
        assert axe_violations(page) == [], url

    page.context.clear_cookies()
    set_language(page, base_url, language)
    sign_in_as(page, base_url, admin_b)
    page.goto(base_url + reverse("assistance:my_claims"))
    assert axe_violations(page) == []


def test_the_holder_hands_a_claim_over_from_our_claims(
    live_server: object,
    page: Page,
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
) -> None:
    base_url = str(live_server)
    line = make_line(created_by=officer)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(3))
    claim = Claim.objects.get(offer=offer)
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, admin_b)
    page.goto(base_url + reverse("assistance:claim", args=[claim.pk]))
    page.get_by_label("Why (optional)").fill("Esam tuvāk")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask to take over").click()
    expect(page.get_by_role("status")).to_contain_text("are asked to hand the claim over")

    page.context.clear_cookies()
    set_language(page, base_url, "en")
    sign_in_as(page, base_url, admin_a)
    page.goto(base_url + reverse("assistance:my_claims"))
    with page.expect_navigation():
        page.get_by_role("button", name="Hand it over").click()
    expect(page.get_by_role("status")).to_contain_text("handed over to Liepājas Jauniešu centrs")
    assert Claim.objects.get(transferred_from=claim).organisation == org_b
