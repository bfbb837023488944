"""axe-core finds no WCAG 2.1 A/AA violation on the request pages (Chromium, phone viewport,
Latvian and English): the new-request form (empty, with a row added, with errors), the board
(default tab, a filtered tab, the closed tab), a request's page (partly covered, with claims;
cancelled, with its reason), its edit, close and cancel pages; and an officer posts a request
through the form without JavaScript-only steps."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest, Claim
from noturiba.assistance.tests.requests_data import make_request
from noturiba.network.models import Organisation
from tests.browser.conftest import axe_violations, set_language, sign_in_as

LANGUAGES = ["lv", "en"]


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200 and "/login" not in page.url, url
    assert axe_violations(page) == [], url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_request_pages_are_accessible(
    page: Page, live_server: object, language: str, officer: User, org_a: Organisation
) -> None:
    base = str(live_server)
    partly = make_request(
        title="Evakuācija no Ciemupes",
        lines=[("transport", 10, 7), ("translation", 4, 0)],
        created_by=officer,
        description="40 cilvēki ar kustību traucējumiem.",
        address="Ciemupe",
        latitude=Decimal("56.81620"),
        longitude=Decimal("24.61400"),
    )
    Claim.objects.create(
        line=partly.lines.get(capability__code="transport"), organisation=org_a, quantity=7
    )
    make_request(title="Nokavēts", deadline=timezone.now() - datetime.timedelta(hours=2))
    make_request(title="Slēgts", state=AssistanceRequest.State.CLOSED)
    cancelled = make_request(
        title="Atcelts",
        created_by=officer,
        state=AssistanceRequest.State.CANCELLED,
        cancel_reason="Ūdens līmenis krities.",
    )
    set_language(page, base, language)
    sign_in_as(page, base, officer)

    _check(page, f"{base}/requests/")
    _check(page, f"{base}/requests/?status=overdue&capability=transport")
    _check(page, f"{base}/requests/?status=closed")
    _check(page, f"{base}/requests/{partly.pk}/")
    _check(page, f"{base}/requests/{partly.pk}/edit/")
    _check(page, f"{base}/requests/{partly.pk}/close/")
    _check(page, f"{base}/requests/{partly.pk}/cancel/")
    _check(page, f"{base}/requests/{cancelled.pk}/")
    _check(page, f"{base}/requests/new/")
    page.locator("button[name=add_line]").click()
    assert page.locator("fieldset.request-line").count() == 4
    assert axe_violations(page) == [], "new-request form with a row added"
    page.locator("form.request-form button[type=submit]:not([name])").click()
    assert page.locator("#error-summary").count() == 1
    assert axe_violations(page) == [], "new-request form with errors"


@pytest.mark.django_db(transaction=True)
def test_an_officer_posts_a_request_through_the_form(
    page: Page, live_server: object, officer: User
) -> None:
    base = str(live_server)
    set_language(page, base, "en")
    sign_in_as(page, base, officer)
    page.goto(f"{base}/requests/new/")
    page.get_by_label("Title").fill("Warm room for three days")
    page.locator("#id_lines-0-capability").select_option(label="Premises")
    page.locator("#id_lines-0-quantity").fill("120")
    page.locator("#id_deadline").fill("2030-01-15T18:00")
    page.get_by_label("Contact person").fill("Jānis Liepa")
    with page.expect_navigation():
        page.locator("form.request-form button[type=submit]:not([name])").click()
    posted = AssistanceRequest.objects.get()
    assert page.url.endswith(f"/requests/{posted.pk}/")
    assert "Premises: 0 of 120 m²" in page.content()
    assert axe_violations(page) == []
