"""The "who can help" page of a request line in Chromium (phone viewport, Latvian and English):
axe-core finds no WCAG 2.1 A/AA violation on the ranking, on the form with an error, and after
inviting; an officer invites the top two in one click and sees it said."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from noturiba.accounts.models import User
from noturiba.assistance.models import Invitation
from noturiba.assistance.tests.matching_support import (
    LIEPAJA,
    OGRE,
    RIGA,
    add_people,
    make_line,
    make_organisation,
    make_request,
)
from noturiba.network.models import Membership
from tests.browser.conftest import axe_violations, set_language, sign_in_as

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_matches_page_is_accessible_and_invites_the_top_two(
    page: Page, live_server: object, language: str, officer: User, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    base = str(live_server)
    line = make_line(make_request(created_by=officer), quantity=10, claimed=2)
    for n, at in enumerate((OGRE, RIGA, LIEPAJA)):
        organisation = make_organisation(
            f"Organizācija {n}", at=at, seat="LV-067", startup_hours=n * 6
        )
        add_people(organisation, 1, role=Membership.Role.ADMIN, prefix=f"admin{n}")
    url = f"{base}/requests/{line.request_id}/lines/{line.pk}/matches/"
    set_language(page, base, language)
    sign_in_as(page, base, officer)

    response = page.goto(url)
    assert response is not None and response.status == 200
    assert page.locator("table.matches tbody tr").count() == 3
    assert axe_violations(page) == [], "the ranking"

    page.locator("#id_count").fill("0")
    page.locator("form.invite-form button[type=submit]").click()
    assert page.locator(".form-errors a[href='#id_count']").count() == 1
    assert axe_violations(page) == [], "the form with an error"

    page.locator("#id_count").fill("2")
    page.locator("form.invite-form button[type=submit]").click()
    page.wait_for_url(url)
    assert page.locator(".messages .message").count() == 1
    assert page.locator("table.matches .tag").count() == 2
    assert axe_violations(page) == [], "after inviting"
    assert Invitation.objects.filter(line=line).count() == 2
