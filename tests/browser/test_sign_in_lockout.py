"""Wrong passwords in a row pause sign-in to the account, and the browser shows why."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.conftest import PASSWORD
from tests.browser.conftest import axe_violations, set_language, sign_in


def test_it_shows_the_lockout_page_after_repeated_wrong_passwords(
    live_server: object, page: Page, member_a: User
) -> None:
    base_url = str(live_server)
    set_language(page, base_url, "en")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(page, base_url, member_a.email, "not the password")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        expect(page.get_by_role("alert")).to_be_visible()

    sign_in(page, base_url, member_a.email, "not the password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    expect(page.get_by_role("alert")).to_contain_text("Try again in")
    assert axe_violations(page) == []

    sign_in(page, base_url, member_a.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    page.get_by_role("link", name="Back to sign-in").click()
    expect(page).to_have_url(base_url + reverse("accounts:login"))
