"""The training programme in Chromium, end to end across its roles (issue #4).

A leader of a civil-society organisation signs in through the real sign-in page, finds a session
in the list and enrols through the session page's enrolment box; the trainer, on a phone, marks
the leader present with one tap (saved at once by the page's script), then closes the results,
which issues the certificate; the leader downloads the PDF, and anyone, signed out, checks its
code on the public verification page — valid, and revoked once the coordinator revokes it.
axe-core checks every page of the way (Latvian, the default) and the session list and session
page once more in English, reached through the language switch.

Texts are compared with the catalogue's own translation of their source (``in_language``), so
the test holds before and after the Latvian translations are written.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pypdf import PdfReader

from noturiba.accounts.models import User
from noturiba.conftest import PASSWORD
from noturiba.network.models import Person
from noturiba.training.models import Certificate, Enrolment, TrainingSession
from noturiba.training.selectors.attendance import full_hours
from noturiba.training.tests.sessions_support import enrol, make_session
from tests.browser.conftest import PHONE, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def in_language(language: str, source: str) -> str:
    """``source`` as the page shows it in ``language`` (the source itself until translated)."""
    with translation.override(language):
        return gettext(source)


def assert_no_violations(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where} ({page.url}):\n" + "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


class Browsers:
    """New browser contexts (one per person, as separate devices), blocking anything that is not
    the live server, as the ``page`` fixture of tests/browser does."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[Any] = []

    def page(self, viewport: ViewportSize, *, touch: bool = False) -> Page:
        context = self.browser.new_context(
            viewport=viewport, has_touch=touch, is_mobile=touch, accept_downloads=True
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
def session(trainer: User) -> TrainingSession:
    """A published session of the leaders' course (the curriculum's reference data) in ten days,
    led by ``trainer``, with 2 places, one of them already taken."""
    session = make_session(trainers=[trainer], capacity=2, days=10)
    enrol(session, 1)
    return session


def test_a_leader_enrols_attends_and_holds_a_certificate_anyone_can_verify(
    live_server: Any,
    browsers: Browsers,
    settings: Any,
    session: TrainingSession,
    member_a: User,
    trainer: User,
    coordinator: User,
) -> None:
    base = str(live_server)
    # The certificate's QR code and its page point at the platform's public address.
    settings.PUBLIC_URL = base + "/"
    leader = Person.objects.get(user=member_a)
    session_url = reverse("training:session_detail", args=[session.pk])

    # --- The leader signs in, finds the session and enrols (a laptop, Latvian). -------------
    page = browsers.page(DESKTOP)
    sign_in(page, base, member_a.email, PASSWORD)
    page.goto(base + reverse("training:sessions"))
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    session_link = page.locator(f"main a[href='{session_url}']")
    expect(session_link).to_have_text(session.display_title)
    assert_no_violations(page, "session list")
    session_link.click()
    expect(page).to_have_url(base + session_url)
    box = page.locator("#enrolment-box")
    enrol_button = box.locator(
        f"form[action='{reverse('training:enrol_self', args=[session.pk])}'] button"
    )
    expect(enrol_button).to_have_text(in_language("lv", "Enrol"))
    assert_no_violations(page, "session page with the enrolment box")
    with page.expect_navigation():
        enrol_button.click()

    # Back on the session page: the confirmation message and the box's confirmed place.
    expect(page).to_have_url(base + session_url)
    expect(page.locator(".messages .message.success")).to_have_text(
        in_language("lv", "You are enrolled: your place is confirmed.")
    )
    expect(box).to_contain_text(in_language("lv", "Your place is confirmed."))
    expect(box.locator("form[action*='/cancel/'] button")).to_be_visible()
    assert_no_violations(page, "session page after enrolling")
    enrolment = Enrolment.objects.get(session=session, person=leader)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count() == 2

    # My trainings lists it; its link is the enrolment box on a page of its own.
    page.goto(base + reverse("training:my_trainings"))
    place_link = page.locator(
        f"main a[href='{reverse('training:session_place', args=[session.pk])}']"
    )
    expect(place_link).to_have_text(session.display_title)
    assert_no_violations(page, "my trainings")
    place_link.click()
    expect(page.locator("#enrolment-box")).to_contain_text(
        in_language("lv", "Your place is confirmed.")
    )
    assert_no_violations(page, "the session's enrolment box page")

    # The session takes place. Enrolment is only open before it starts, and attendance and
    # certificates only once it has begun and ended; the test cannot wait for the clock, so the
    # session is moved into the past (starting five hours ago, ended an hour ago: still today
    # in Riga for attendance's opening at the session day's midnight unless run just after
    # midnight, when the start is yesterday and marks are open all the same).
    now = timezone.now()
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(hours=5), ends_at=now - datetime.timedelta(hours=1)
    )

    # --- The trainer marks the leader present with one tap on a phone. ---------------------
    phone = browsers.page(PHONE, touch=True)
    sign_in(phone, base, trainer.email, PASSWORD)
    phone.goto(base + reverse("training:attendance", args=[session.pk]))
    form = phone.locator("#attendance-form")
    row = phone.locator(f".attendance-row[data-enrolment='{enrolment.pk}']")
    expect(row.locator(".attendance-name")).to_have_text(member_a.full_name)
    expect(row.locator("[data-role=status]")).to_have_text(in_language("lv", "not marked yet"))
    assert_no_violations(phone, "attendance page on a phone")
    status = phone.locator("#attendance-sync")
    saved = form.get_attribute("data-msg-saved")
    assert saved == in_language("lv", "All marks are saved.")

    # Nothing is said before a tap (the status line fills only when marks are sent).
    expect(status).to_have_text("")
    present = row.locator(f"#id_mark_{enrolment.pk}_0")
    expect(present).to_have_attribute("value", Enrolment.Attendance.PRESENT)
    row.locator(f"label[for=id_mark_{enrolment.pk}_0]").tap()
    # The script answers once the server has saved the mark: allow a busy machine its time.
    expect(status).to_have_text(saved, timeout=15_000)
    expect(row.locator("[data-role=pending]")).to_have_text("")
    enrolment.refresh_from_db()
    assert enrolment.attendance == Enrolment.Attendance.PRESENT
    assert enrolment.attendance_recorded_at is not None
    assert enrolment.hours_attended == full_hours(session)  # present: the course's hours
    assert_no_violations(phone, "attendance page after a mark")

    # --- The trainer closes the results, which issues the certificate. ----------------------
    results_url = reverse("training:session_results", args=[session.pk])
    phone.locator(f"main a[href='{results_url}']").click()
    expect(phone).to_have_url(base + results_url)
    close_url = reverse("training:close_results", args=[session.pk])
    phone.locator(f"main a[href='{close_url}']").click()
    expect(phone).to_have_url(base + close_url)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(base + results_url)
    expect(phone.locator(".messages .message.success")).to_be_visible()
    certificate = Certificate.objects.get(person=leader)
    assert certificate.enrolment_id == enrolment.pk
    assert Certificate.objects.filter(enrolment__session=session).count() == 1  # one completed
    expect(
        phone.locator(f"main a[href='{reverse('training:verify_code', args=[certificate.code])}']")
    ).to_have_text(certificate.code)

    # --- The leader downloads the certificate. --------------------------------------------
    page.goto(base + reverse("training:my_certificates"))
    pdf_link = page.locator(
        f"main a[href='{reverse('training:certificate_pdf', args=[certificate.code])}']"
    )
    expect(pdf_link).to_be_visible()
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert download.suggested_filename == f"sertifikats-{certificate.code}.pdf"
    pdf_path = download.path()
    assert pdf_path is not None
    with open(pdf_path, "rb") as pdf_file:
        pdf = PdfReader(io.BytesIO(pdf_file.read()))
    text = pdf.pages[0].extract_text()
    assert member_a.full_name in text
    assert certificate.code in text
    # The QR code on it leads to the public verification page of this code.
    [picture] = pdf.pages[0].images
    [qr] = zxingcpp.read_barcodes(Image.open(io.BytesIO(picture.data)))
    verify_url = base + reverse("training:verify_code", args=[certificate.code])
    assert qr.text == verify_url

    # --- Anyone, signed out, verifies the code: valid. -------------------------------------
    visitor = browsers.page(PHONE)
    visitor.goto(qr.text)
    state = visitor.locator("#verification-state")
    expect(state).to_have_text(in_language("lv", "Valid certificate"))
    expect(visitor.locator(".verification")).to_contain_text(member_a.full_name)
    expect(visitor.locator(".verification code")).to_have_text(certificate.code)
    assert_no_violations(visitor, "verification page, valid")

    # --- The coordinator revokes it from its page; the public page then says revoked. -------
    office = browsers.page(DESKTOP)
    sign_in(office, base, coordinator.email, PASSWORD)
    office.goto(base + reverse("training:certificate", args=[certificate.code]))
    revoke_form = office.locator(
        f"form[action='{reverse('training:certificate_revoke', args=[certificate.code])}']"
    )
    revoke_form.locator("textarea[name=reason]").fill("Izsniegts kļūdas pēc")
    with office.expect_navigation():
        revoke_form.locator("button[type=submit]").click()
    expect(office.locator(".messages .message.success")).to_have_text(
        in_language("lv", "The certificate is revoked.")
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None

    visitor.reload()
    expect(state).to_have_text(in_language("lv", "Revoked certificate"))
    expect(visitor.locator("main")).not_to_contain_text("Izsniegts kļūdas pēc")
    assert_no_violations(visitor, "verification page, revoked")

    # --- The session list and session page in English, through the language switch. --------
    page.goto(base + reverse("training:sessions") + "?past=1")
    page.get_by_role("banner").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Past training sessions")
    assert_no_violations(page, "past session list in English")
    page.locator(f"main a[href='{session_url}']").click()
    expect(page).to_have_url(base + session_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#enrolment-box h2")).to_have_text("Enrolment")
    assert_no_violations(page, "session page in English")
