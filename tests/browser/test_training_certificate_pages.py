"""axe-core finds no WCAG 2.1 A/AA violation on the certificate pages (Chromium, phone
viewport, Latvian and English): the public verification page in each of its states, and the
certificate, my-certificates, results and closing pages as the people who use them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from noturiba.accounts.models import User
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
    person_of,
)
from tests.browser.conftest import (
    axe_violations,
    set_language,
    sign_in_as,
)

LANGUAGES = ["lv", "en"]


def _check(page: Page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_certificate_pages_are_accessible(
    page: Page,
    live_server: object,
    language: str,
    coordinator: User,
    trainer: User,
    member_a: User,
) -> None:
    base = str(live_server)
    page = page
    session = make_session(make_course(), trainers=(trainer,))
    enrol(session, person_of(member_a))
    enrol(session, make_person("Pēteris Neapmeklēja"), hours="2", score=30)
    enrol(session, make_person("Rūta Atsaukta"))
    enrol(session, make_person("Kārlis Neatzīmēts"), hours=None, score=None)
    issued = {c.holder_name: c for c in close_results(trainer, session=session)}
    mine = issued["Mārtiņš Bērziņš"]
    revoked = issued["Rūta Atsaukta"]
    revoke_certificate(coordinator, certificate=revoked, reason="Kļūda")
    set_language(page, base, language)

    for path in (
        "/verify/",
        f"/verify/{mine.code}",
        f"/verify/{revoked.code}",
        "/verify/000000000000",
        "/verify/not-a-code!",
        "/verify/?code=ABC",
    ):
        _check(page, base + path)

    sign_in_as(page, base, member_a)
    _check(page, f"{base}/training/certificates/")
    _check(page, f"{base}/training/certificates/{mine.code}/")

    sign_in_as(page, base, coordinator)
    _check(page, f"{base}/training/certificates/{mine.code}/")  # with the revocation form
    _check(page, f"{base}/training/certificates/{revoked.code}/")
    _check(page, f"{base}/training/sessions/{session.pk}/results/")
    _check(page, f"{base}/training/sessions/{session.pk}/results/close/")
