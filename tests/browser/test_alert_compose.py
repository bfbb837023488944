"""Writing and sending an alert in Chromium: from a template, with the live audience count,
saved, reviewed and sent; the same without JavaScript; axe-core on the compose and review pages
in Latvian and English; an officer is offered only their jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert
from noturiba.alerts.builtin_templates import BUILTIN_TEMPLATES
from noturiba.alerts.models import Alert, AlertTemplate, Delivery
from noturiba.network.models import Municipality
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in_as


@pytest.fixture
def templates(reference: None) -> None:
    """The built-in templates (a live-server test empties the tables after each test)."""
    for row in BUILTIN_TEMPLATES:
        AlertTemplate.objects.get_or_create(key=row["key"], defaults=row)


def ogre_id() -> int:
    return Municipality.objects.get(code="LV-067").pk


def assert_no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


def person_deliveries(alert: Alert) -> int:
    return Delivery.objects.filter(alert=alert, person__isnull=False).count()


def test_a_coordinator_writes_from_a_template_counts_saves_and_sends(
    live_server: Any, page: Page, templates: None, coordinator: User, admin_a: User, member_a: User
) -> None:
    base = str(live_server)
    set_language(page, base, "en")
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:compose"))
    page.get_by_role("link", name="Activate the network").click()
    expect(page.locator("#id_headline")).to_have_value("Tīkls tiek aktivizēts: pārbaudiet gatavību")
    page.locator("#id_status").select_option("Exercise")

    count = page.locator("#audience-count")
    page.locator(f"input[name=municipalities][value='{ogre_id()}']").check()
    expect(count).to_contain_text("2 people")
    expect(count).to_contain_text("Email: 2 messages")
    page.locator("input[name=roles][value=admin]").check()
    expect(count).to_contain_text("1 person")

    page.get_by_role("button", name="Save draft").click()
    alert = Alert.objects.get()
    expect(page).to_have_url(base + reverse("alerts:review", args=[alert.pk]))
    expect(page.locator("main")).to_contain_text("The network is activated")
    page.get_by_role("button", name="Send…").click()
    expect(page.locator("main")).to_contain_text("goes to 1 person")
    page.get_by_role("button", name="Send to 1 person").click()
    expect(page).to_have_url(base + reverse("alerts:detail", args=[alert.pk]))
    assert person_deliveries(alert) == 1


def test_the_same_without_javascript(
    live_server: Any,
    browser: Browser,
    templates: None,
    coordinator: User,
    admin_a: User,
    member_a: User,
) -> None:
    base = str(live_server)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    set_language(page, base, "en")
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:compose") + "?template=welfare-checks")
    page.locator("#id_status").select_option("Exercise")
    page.locator(f"input[name=municipalities][value='{ogre_id()}']").check()
    page.get_by_role("button", name="Count the audience").click()
    expect(page.locator("#audience-count")).to_contain_text("2 people")
    # The typed alert is kept across the count.
    expect(page.locator("#id_headline")).to_have_value("Pārbaudiet savus aprūpējamos …")
    page.get_by_role("button", name="Save draft").click()
    alert = Alert.objects.get()
    expect(page).to_have_url(base + reverse("alerts:review", args=[alert.pk]))
    page.get_by_role("button", name="Send…").click()
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page).to_have_url(base + reverse("alerts:detail", args=[alert.pk]))
    assert person_deliveries(alert) == 2
    context.close()


@pytest.mark.parametrize("language", ["lv", "en"])
def test_compose_and_review_pages_have_no_axe_violations(
    live_server: Any,
    page: Page,
    templates: None,
    coordinator: User,
    admin_a: User,
    language: str,
) -> None:
    base = str(live_server)
    set_language(page, base, language)
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:compose") + "?template=shelters-open")
    page.locator(f"input[name=municipalities][value='{ogre_id()}']").check()
    expect(page.locator("#audience-count")).to_contain_text("1")
    page.locator("details.english-block summary").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_no_violations(page)
    alert = create_alert(
        coordinator,
        data={
            "status": "Exercise",
            "event": "Plūdi",
            "headline": "Plūdi Ogrē",
            "description": "Daugava kāpj.",
            "headline_en": "Floods in Ogre",
        },
        municipalities=[Municipality.objects.get(code="LV-067")],
    )
    page.goto(base + reverse("alerts:review", args=[alert.pk]))
    assert_no_violations(page)
    page.get_by_role("button").filter(has_text="…").first.click()
    assert_no_violations(page)  # the confirmation step


def test_an_officer_is_offered_only_their_municipalities(
    live_server: Any, page: Page, templates: None, officer: User
) -> None:
    base = str(live_server)
    sign_in_as(page, base, officer)
    page.goto(base + reverse("alerts:compose"))
    area = page.locator("input[name=municipalities]")
    expect(area).to_have_count(1)
    assert area.get_attribute("value") == str(ogre_id())
    expect(page.locator("input[name=audience_municipalities]")).to_have_count(1)
