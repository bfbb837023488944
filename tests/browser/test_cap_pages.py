"""Received CAP alerts in Chromium: axe-core finds no violation on the list, an alert's page,
the upload page (also showing a refusal) and the subscriptions page, in Latvian and English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import import_cap
from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.alerts.tests.cap_support import followup, storm
from noturiba.lib import cap
from noturiba.lib.tests.cap_documents import CAP_1_1
from tests.browser.conftest import axe_violations, set_language, sign_in_as

LANGUAGES = ["lv", "en"]


@pytest.fixture
def received(coordinator: User) -> ExternalAlert:
    subscription = CapSubscription.objects.create(
        name="LVĢMC", url="https://lvgmc.example/cap.atom", last_error="entry 2: not CAP 1.2"
    )
    original, other = storm(), storm("other")
    for alert in (original, other, followup(original, "u-1", cap.MsgType.UPDATE)):
        import_cap(
            None,
            data=cap.to_xml(alert),
            source=ExternalAlert.Source.FEED,
            subscription=subscription,
        )
    import_cap(
        coordinator,
        data=cap.to_xml(followup(other, "c-1", cap.MsgType.CANCEL)),
        source=ExternalAlert.Source.UPLOAD,
    )
    return ExternalAlert.objects.get(identifier="lvgmc-storm-1")


def assert_accessible(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_and_detail_pages_have_no_violation(
    live_server: object, page: Page, language: str, coordinator: User, received: ExternalAlert
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    sign_in_as(page, base_url, coordinator)

    page.goto(base_url + reverse("alerts:external_list"))
    expect(page.locator("tbody tr")).to_have_count(4)
    expect(page.locator(".status-updated")).to_have_count(1)
    assert_accessible(page, language)

    page.goto(base_url + reverse("alerts:external_detail", args=[received.pk]))
    page.locator("details summary").click()
    expect(page.locator("pre.cap-xml")).to_be_visible()
    assert_accessible(page, language)

    page.goto(base_url + reverse("alerts:subscriptions"))
    expect(page.locator(".subscription-error")).to_contain_text("not CAP 1.2")
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_upload_page_and_a_refusal_have_no_violation(
    live_server: object, page: Page, language: str, officer: User
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, language)
    sign_in_as(page, base_url, officer)
    page.goto(base_url + reverse("alerts:external_import"))
    assert_accessible(page, language)

    page.locator("textarea[name=xml]").fill(CAP_1_1.decode())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator("[role=alert]").first).to_contain_text(
        "CAP 1.1 is not supported; send CAP 1.2."
    )
    assert not ExternalAlert.objects.exists()
    assert_accessible(page, language)
