"""The alerts list and an alert's dashboard in Chromium: axe-clean in Latvian and English, the
dashboard updates itself when an answer arrives (HTMX polling), and works without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.models import Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tests.dashboard_support import Scene, make_scene
from noturiba.network.models import Organisation
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in_as


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def assert_no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


def answer_by_link(scene: Scene, name: str, answer: Answer, note: str = "") -> None:
    """What the acknowledgement page does when the person answers."""
    delivery = Delivery.objects.filter(alert=scene.alert, person=scene.people[name]).first()
    assert delivery is not None
    actions.acknowledge_alert(None, delivery=delivery, answer=answer, note=note)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_list_and_the_dashboard_have_no_axe_violations(
    live_server: Any, page: Page, scene: Scene, coordinator: User, language: str
) -> None:
    base = str(live_server)
    set_language(page, base, language)
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:list"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("link", name=scene.alert.headline)).to_be_visible()
    assert_no_violations(page)

    page.get_by_role("link", name=scene.alert.headline).click()
    expect(page.locator("#alert-live")).to_be_visible()
    expect(page.locator("#map-tiles-note")).to_be_visible()  # no tiles here: markers only
    assert_no_violations(page)


def test_the_dashboard_updates_itself_when_an_answer_arrives(
    live_server: Any, page: Page, scene: Scene, coordinator: User, settings: Any
) -> None:
    settings.ALERT_DASHBOARD_POLL_SECONDS = 1
    base = str(live_server)
    set_language(page, base, "en")
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:detail", args=[scene.alert.pk]))
    summary = page.locator("#live-summary")
    expect(summary).to_have_text("2 of 6 people answered; 1 need help; messages to 2 failed.")
    page.evaluate("window.notReloaded = true")
    page.evaluate("document.getElementById('live-summary').dataset.mark = 'before'")

    answer_by_link(scene, "cilda", Answer.NEED_HELP, "Esmu ielenkta, ūdens ceļas")

    expect(summary).to_have_text("3 of 6 people answered; 2 need help; messages to 1 failed.")
    help_table = page.get_by_role("table", name="People who answered that they need help")
    expect(help_table).to_contain_text("Esmu ielenkta, ūdens ceļas")
    expect(page.get_by_role("heading", name="Not reached yet (3)")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    # The summary line is the same element, its text replaced: a screen reader hears the change.
    assert page.evaluate("document.getElementById('live-summary').dataset.mark") == "before"
    expect(page.locator("#live-summary")).to_have_count(1)


def test_the_dashboard_works_without_javascript(
    live_server: Any, browser: Browser, scene: Scene, coordinator: User
) -> None:
    base = str(live_server)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    set_language(page, base, "en")
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:detail", args=[scene.alert.pk]))
    table = page.get_by_role("table", name="People reached and answers by municipality")
    expect(table.get_by_role("row", name="Liepāja")).to_contain_text("3")
    unreached = page.get_by_role("table", name="People who have not answered")
    expect(unreached.get_by_role("link", name="+37121000003")).to_have_attribute(
        "href", "tel:+37121000003"
    )

    answer_by_link(scene, "dace", Answer.SAFE)
    page.get_by_role("link", name="Refresh").click()
    expect(page.locator("#live-summary")).to_contain_text("3 of 6 people answered")

    # Cancelling asks first, then stops the queued messages.
    page.get_by_role("link", name="Cancel alert").click()
    page.get_by_role("button", name="Yes, cancel the alert").click()
    expect(page.locator(".messages")).to_contain_text("The alert is cancelled")
    expect(page.get_by_role("link", name="Cancel alert")).to_have_count(0)
    context.close()
