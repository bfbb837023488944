"""The acknowledgement page in Chromium: answered with one tap, without JavaScript, axe-clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.network.models import Person
from tests.browser.conftest import PHONE, axe_violations


def assert_no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


@pytest.mark.parametrize("language", ["lv", "en"])
def test_it_answers_without_javascript_and_finds_no_violation(
    live_server: object, browser: Browser, delivery: Delivery, language: str
) -> None:
    Person.objects.filter(pk=delivery.person_id).update(preferred_language=language)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    url = str(live_server) + reverse("alerts:ack", args=[delivery.ack_token])

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_role("textbox").fill("Pagrabā ir ūdens.")
    page.locator("button[name=answer][value=need_help]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    context.close()

    answer = Acknowledgement.objects.get()
    assert (answer.answer, answer.note) == ("need_help", "Pagrabā ir ūdens.")

    checked = browser.new_context(viewport=PHONE)
    page = checked.new_page()
    page.goto(url)
    assert_no_violations(page)
    checked.close()


def test_the_closed_page_finds_no_violation(
    live_server: object, page: Page, delivery: Delivery
) -> None:
    Alert.objects.filter(pk=delivery.alert_id).update(state=Alert.State.CANCELLED)
    page.goto(str(live_server) + reverse("alerts:ack", args=[delivery.ack_token]))
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_no_violations(page)
