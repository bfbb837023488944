"""axe-core finds no WCAG 2.1 A/AA violation on the curriculum and session pages (Chromium,
phone viewport, Latvian and English): the list (filtered, past), a session (published,
draft, cancelled), the schedule form with errors, the edit and cancel pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from noturiba.accounts.models import User
from noturiba.training.actions.sessions import cancel_session
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.sessions_support import enrol, make_session
from tests.browser.conftest import axe_violations, set_language, sign_in_as

LANGUAGES = ["lv", "en"]


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200 and "/login" not in page.url, url
    assert axe_violations(page) == [], url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_session_pages_are_accessible(
    page: Page, live_server: object, language: str, trainer: User, member_a: User
) -> None:
    base = str(live_server)
    published = make_session(
        title="Ogres mācības",
        trainers=[trainer],
        capacity=3,
        step_free_access=True,
        hearing_loop=True,
        mode=TrainingSession.Mode.HYBRID,
        online_url="https://meet.example/ogre",
    )
    enrol(published, 3)
    enrol(published, 1, Enrolment.Status.WAITLISTED)
    draft = make_session(title="Melnraksts", status="draft", trainers=[trainer])
    cancelled = make_session(title="Atcelta", trainers=[trainer])
    cancel_session(trainer, session=cancelled, reason="Lektors saslima.")
    make_session(title="Pagājusi", days=-10, trainers=[trainer])
    set_language(page, base, language)

    sign_in_as(page, base, member_a)
    _check(page, f"{base}/training/sessions/")
    _check(page, f"{base}/training/sessions/?municipality=LV-067&free_places=1")
    _check(page, f"{base}/training/sessions/?past=1")
    _check(page, f"{base}/training/curriculum/")
    _check(page, f"{base}/training/sessions/{published.pk}/")
    _check(page, f"{base}/training/sessions/{cancelled.pk}/")

    sign_in_as(page, base, trainer)
    _check(page, f"{base}/training/sessions/")
    _check(page, f"{base}/training/sessions/{draft.pk}/")
    _check(page, f"{base}/training/sessions/new/")
    page.locator("form.edit-form button[type=submit]").click()
    assert page.locator(".form-errors").count() == 1
    assert axe_violations(page) == [], "schedule form with errors"
    _check(page, f"{base}/training/sessions/{published.pk}/edit/")
    _check(page, f"{base}/training/sessions/{published.pk}/cancel/")
