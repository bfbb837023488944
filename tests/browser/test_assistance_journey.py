"""Assistance requests and shelters in Chromium, end to end across their roles (issue #5).

An officer of Ogre's civil protection commission signs in through the real sign-in page and
posts a request through the form (one line: transport, 10 seats); two organisation admins, each
in their own browser, claim parts of the line from the request page (A 6, then B the 4 that
remain); the officer sees the line covered, finds the request under "Covered" on the board and
downloads the situation report as a PDF naming the request and both organisations. A shelter
operator then updates occupancy from a phone, and a signed-out visitor sees the new free places
on the public list and in the map's GeoJSON. axe-core checks every page of the way in English,
and the key pages once more in Latvian.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pypdf import PdfReader

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest, Claim
from noturiba.conftest import PASSWORD
from noturiba.network.models import Membership, Municipality, Organisation
from noturiba.shelters.models import Shelter
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
TITLE = "Evakuācija no Ciemupes skolas"


def assert_no_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where} ({page.url}):\n" + "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


class Browsers:
    """New browser contexts of the session browser (one per person, as separate devices),
    blocking anything that is not the live server, as the ``page`` fixture does."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[Any] = []

    def page(self, viewport: ViewportSize, *, phone: bool = False) -> Page:
        context = self.browser.new_context(
            viewport=viewport,
            has_touch=phone,
            is_mobile=phone,
            locale="en-GB",
            accept_downloads=True,
        )
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
                else route.abort()
            ),
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsers(browser: Browser) -> Iterator[Browsers]:
    opened = Browsers(browser)
    yield opened
    opened.close()


@pytest.fixture
def shelter(org_a: Organisation) -> Shelter:
    """A public, open shelter of 112.5 m² (150 short-stay places), 10 people inside, run by
    organisation A."""
    return Shelter.objects.create(
        name="Ogres kultūras centra patvertne",
        address="Brīvības iela 15, Ogre",
        municipality=Municipality.objects.get(code="LV-067"),
        latitude=Decimal("56.81750"),
        longitude=Decimal("24.60520"),
        operator_organisation=org_a,
        floor_area=Decimal("112.5"),
        status=Shelter.Status.OPEN,
        occupancy=10,
        step_free=True,
        accessible_toilet=True,
        wheelchair_spaces=2,
        water=True,
        heating=True,
        is_public=True,
    )


def figure(page: Page, term: str) -> Any:
    """The value of ``term`` in the request line's figures."""
    return page.locator(f"dl.line-figures dt:text-is('{term}') + dd")


def claim_part(page: Page, quantity: str) -> None:
    page.get_by_label("Quantity").fill(quantity)
    with page.expect_navigation():
        page.get_by_role("button", name="Claim", exact=True).click()


def pdf_text(path: Any) -> str:
    with open(path, "rb") as pdf_file:
        pdf = PdfReader(io.BytesIO(pdf_file.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_an_officer_asks_two_organisations_cover_it_and_a_shelter_s_free_places_go_public(
    live_server: Any,
    browsers: Browsers,
    officer: User,
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    member_a: User,
    shelter: Shelter,
) -> None:
    base = str(live_server)
    # Organisation B offers transport (the fixture's capability); both organisations may see
    # the request because it is offered to the whole network, the form's default.
    assert org_b.capabilities.filter(capability__code="transport").exists()
    assert Membership.objects.filter(person__user=member_a, organisation=org_a).exists()

    # --- 1. The officer signs in and posts the request through the form. ----------------------
    office = browsers.page(DESKTOP)
    set_language(office, base, "en")
    office.goto(base + "/accounts/login/")
    assert_no_violations(office, "sign-in page")
    sign_in(office, base, officer.email, PASSWORD)
    office.goto(base + reverse("assistance:new"))
    expect(office.locator("html")).to_have_attribute("lang", "en")
    assert_no_violations(office, "new request form")
    office.get_by_label("Title").fill(TITLE)
    office.get_by_label("What is needed, and for whom").fill(
        "Ten pupils with reduced mobility to the Ogre shelter."
    )
    office.locator("#id_urgency").select_option(label="immediate")
    office.locator("#id_lines-0-capability").select_option(label="Transport (seats)")
    office.locator("#id_lines-0-quantity").fill("10")
    office.locator("#id_municipality").select_option(label="Ogre Municipality")
    office.get_by_label("Address").fill("Skolas iela 2, Ciemupe")
    deadline = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    office.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    office.get_by_label("Contact person").fill(officer.full_name)
    office.get_by_label("Contact phone").fill("+371 26 000 000")
    expect(office.get_by_label("Offer to the whole network")).to_be_checked()
    with office.expect_navigation():
        office.locator("form.request-form button[type=submit]:not([name])").click()

    posted = AssistanceRequest.objects.get()
    line = posted.lines.get()
    request_url = base + reverse("assistance:detail", args=[posted.pk])
    assert office.url == request_url
    assert (posted.title, posted.municipality.code, posted.offered_to_network) == (
        TITLE,
        "LV-067",
        True,
    )
    assert (line.capability.code, line.quantity, line.unit) == ("transport", 10, "seats")
    expect(office.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(figure(office, "Still missing")).to_have_text("10 seats")
    assert_no_violations(office, "request page, just posted")

    # --- 2. Two organisation admins claim parts, each in their own browser. -------------------
    first = browsers.page(DESKTOP)
    set_language(first, base, "en")
    sign_in(first, base, admin_a.email, PASSWORD)
    first.goto(request_url)
    expect(first.get_by_label("Quantity")).to_be_visible()
    assert_no_violations(first, "request page, organisation A before claiming")
    claim_part(first, "6")
    assert first.url == request_url
    expect(first.get_by_role("status")).to_contain_text(f"{org_a.name} claimed 6 seats")
    expect(figure(first, "Still missing")).to_have_text("4 seats")
    assert_no_violations(first, "request page, organisation A after claiming")

    second = browsers.page(PHONE, phone=True)
    set_language(second, base, "en")
    sign_in(second, base, admin_b.email, PASSWORD)
    second.goto(request_url)
    # B sees what A left: at most 4.
    expect(figure(second, "Still missing")).to_have_text("4 seats")
    expect(second.get_by_label("Quantity")).to_be_visible()
    label = second.locator("form.claim-offer label[for^=offer-quantity]")
    expect(label).to_contain_text("at most 4")
    assert_no_violations(second, "request page, organisation B before claiming")
    claim_part(second, "4")
    expect(second.get_by_role("status")).to_contain_text(f"{org_b.name} claimed 4 seats")
    expect(figure(second, "Still missing")).to_have_text("0 seats")
    # Nothing is left to claim: the form is gone.
    expect(second.locator("form.claim-offer")).to_have_count(0)
    assert_no_violations(second, "request page, organisation B after claiming")
    claims = {c.organisation_id: c.quantity for c in Claim.objects.filter(line=line)}
    assert claims == {org_a.pk: Decimal(6), org_b.pk: Decimal(4)}

    # --- 3. The officer sees the line covered, on the board too, and downloads the sitrep. ---
    office.reload()
    section = office.locator(f"#line-{line.pk}")
    expect(section.locator(".line-progress label")).to_have_text("Covered:")
    expect(figure(office, "Claimed")).to_have_text("10 seats")
    expect(figure(office, "Still missing")).to_have_text("0 seats")
    claimed = section.locator("ul.claims li")
    expect(claimed).to_have_count(2)
    expect(claimed.filter(has_text=org_a.name)).to_contain_text("6 seats")
    expect(claimed.filter(has_text=org_b.name)).to_contain_text("4 seats")
    expect(office.locator(".lead")).to_contain_text("Covered")
    assert_no_violations(office, "request page, covered")

    office.goto(base + reverse("assistance:board"))
    assert_no_violations(office, "request board")
    tabs = office.get_by_role("navigation", name="Requests by status")
    tabs.get_by_role("link", name=re.compile(r"^Covered")).click()
    expect(office.get_by_role("table")).to_have_accessible_name(re.compile(r"^Covered"))
    row = office.get_by_role("row").filter(has_text=TITLE)
    expect(row.get_by_role("link", name=TITLE)).to_be_visible()
    expect(row).to_contain_text("Covered")
    assert_no_violations(office, "request board, covered tab")

    office.goto(request_url)
    with office.expect_navigation():
        office.get_by_role("link", name="Situation report").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Situation report")
    expect(office.locator("main")).to_contain_text(TITLE)
    assert_no_violations(office, "situation report")
    with office.expect_download() as download_info:
        office.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("noturiba-sitrep-")
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert path is not None
    text = pdf_text(path)
    assert TITLE in text
    assert org_a.name in text
    assert org_b.name in text

    # --- 4. A shelter operator updates occupancy from a phone; the public sees it. ------------
    operator = browsers.page(PHONE, phone=True)
    set_language(operator, base, "en")
    sign_in(operator, base, member_a.email, PASSWORD)
    update_url = base + reverse("shelters:update", args=[shelter.pk])
    operator.goto(update_url)
    assert operator.viewport_size == PHONE
    assert_no_violations(operator, "shelter update on a phone")
    operator.get_by_label("People inside now").fill("40")
    operator.get_by_label("open", exact=True).check()
    with operator.expect_navigation():
        operator.get_by_role("button", name="Save", exact=True).click()
    expect(operator.get_by_role("status")).to_contain_text(
        "Saved: open, 40 people inside, 110 free places"
    )
    assert_no_violations(operator, "shelter update on a phone, saved")
    shelter.refresh_from_db()
    assert shelter.occupancy == 40

    visitor = browsers.page(PHONE)
    set_language(visitor, base, "en")
    with visitor.expect_response(re.compile(r"/shelters\.geojson")) as geojson:
        visitor.goto(base + reverse("shelters:public"))
    [feature] = geojson.value.json()["features"]
    assert feature["properties"]["occupancy"] == 40
    assert feature["properties"]["free_places"] == 110
    shelter_row = visitor.locator(".shelter-row", has_text=shelter.name)
    expect(shelter_row.locator(".free-places")).to_have_text("110")
    expect(visitor.locator("#map .leaflet-overlay-pane canvas")).to_be_attached()
    assert_no_violations(visitor, "public shelter list and map")

    # The visitor opens the shelter's page from the list.
    with visitor.expect_navigation():
        shelter_row.get_by_role("link", name=shelter.name).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(shelter.name)
    expect(visitor.locator("main")).to_contain_text("110")
    assert_no_violations(visitor, "public shelter page")
    shelter_url = visitor.url

    # --- The key pages once more, in Latvian. -------------------------------------------------
    found: dict[str, list[dict[str, Any]]] = {}
    for person, url in (
        (office, request_url),
        (office, base + reverse("assistance:board") + "?status=covered"),
        (office, base + reverse("assistance:sitrep") + "?municipality=LV-067"),
        (first, request_url),
        (visitor, base + reverse("shelters:public")),
        (visitor, shelter_url),
        (operator, update_url),
    ):
        set_language(person, base, "lv")
        person.goto(url)
        expect(person.locator("html")).to_have_attribute("lang", "lv")
        found[url] = axe_violations(person)
    assert found == {url: [] for url in found}, found
