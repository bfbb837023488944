"""The attendance page in Chromium on a phone-sized screen: each tap is saved at once; with the
network away the marks stay on the phone, the status line says so, and they are sent when the
network is back; the page and the feedback survey find no axe-core violation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from noturiba.accounts.models import User
from noturiba.training.actions.attendance import Mark, record_attendance
from noturiba.training.models import Enrolment
from noturiba.training.tests.attendance_support import enrol, make_session
from tests.browser.conftest import axe_violations, set_language, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True)


def assert_no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


def state(enrolment: Enrolment) -> tuple[str, Decimal | None]:
    enrolment.refresh_from_db()
    return enrolment.attendance, enrolment.hours_attended


def test_taps_are_saved_kept_offline_and_sent_when_back(
    live_server: object, page: Page, trainer: User
) -> None:
    session = make_session(trainers=[trainer])
    anna = enrol(session, name="Anna Ābele")
    berta = enrol(session, name="Berta Bērziņa")
    base = str(live_server)
    sign_in_as(page, base, trainer)
    set_language(page, base, "en")  # the texts below are the English ones
    page.goto(base + reverse("training:attendance", args=[session.pk]))
    status = page.locator("#attendance-sync")
    expect(status).to_have_attribute("role", "status")

    page.locator(f"label[for=id_mark_{anna.pk}_0]").click()  # Present
    expect(status).to_have_text("All marks are saved.")
    assert state(anna) == ("present", Decimal(6))
    expect(page.locator(f"[data-enrolment='{anna.pk}'] [data-role=status]")).to_contain_text(
        "present"
    )

    page.context.set_offline(True)
    page.locator(f"label[for=id_mark_{berta.pk}_0]").click()
    page.locator(f"#id_hours_{berta.pk}").fill("2,5")
    page.locator(f"#id_hours_{berta.pk}").press("Tab")
    expect(status).to_have_text("Marks not yet saved: 1. Will retry.")
    assert state(berta) == ("", None)
    kept = page.evaluate(f"localStorage.getItem('noturiba.attendance.{session.pk}')")
    assert '"hours":"2,5"' in kept

    # The phone is closed and opened again while still offline: the mark survives the reload.
    page.route("**/attendance/marks/", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    expect(page.locator(f"#id_hours_{berta.pk}")).to_have_value("2,5")
    expect(status).to_contain_text("Marks not yet saved: 1.")
    page.unroute("**/attendance/marks/")
    page.context.set_offline(True)
    page.context.set_offline(False)  # the browser says "online": the script sends at once
    expect(status).to_have_text("All marks are saved.")
    assert state(berta) == ("partial", Decimal("2.5"))
    assert page.evaluate(f"localStorage.getItem('noturiba.attendance.{session.pk}')") is None


def test_a_refused_mark_is_shown_by_the_name_and_not_retried(
    live_server: object, page: Page, trainer: User
) -> None:
    session = make_session(trainers=[trainer])
    anna = enrol(session, name="Anna Ābele")
    sign_in_as(page, str(live_server), trainer)
    set_language(page, str(live_server), "en")  # the texts below are the English ones
    page.goto(str(live_server) + reverse("training:attendance", args=[session.pk]))
    page.locator(f"#id_hours_{anna.pk}").fill("9")
    page.locator(f"label[for=id_mark_{anna.pk}_0]").click()
    error = page.locator(f"[data-enrolment='{anna.pk}'] [data-role=error]")
    expect(error).to_contain_text("At most 6 hours")
    expect(page.locator("#attendance-sync")).to_contain_text("Some marks were refused")
    assert state(anna) == ("", None)
    assert page.evaluate(f"localStorage.getItem('noturiba.attendance.{session.pk}')") is None


def test_the_pages_find_no_violation(
    live_server: object, page: Page, trainer: User, member_a: User
) -> None:
    session = make_session(trainers=[trainer])
    enrol(session, name="Anna Ābele")
    enrol(session, name="Berta Bērziņa", attendance="partial", hours_attended=Decimal(2), score=50)
    sign_in_as(page, str(live_server), trainer)
    set_language(page, str(live_server), "en")  # the texts below are the English ones
    for name in ("training:attendance", "training:sign_in_sheet", "training:feedback_summary"):
        page.goto(str(live_server) + reverse(name, args=[session.pk]))
        assert_no_violations(page)

    ended = make_session(trainers=[trainer], starts_in=datetime.timedelta(days=-1))
    enrol(ended, person=member_a.person, attendance="present", hours_attended=Decimal(6))
    page.context.clear_cookies()
    sign_in_as(page, str(live_server), member_a)
    set_language(page, str(live_server), "en")  # the texts below are the English ones
    page.goto(str(live_server) + reverse("training:feedback", args=[ended.pk]))
    assert_no_violations(page)
    page.get_by_role("group", name="Overall, how good was the training?").get_by_label("4").check()
    for question in (
        "How useful and clear was the content?",
        "How good was the trainer?",
        "How useful is it for your work in a crisis?",
    ):
        page.get_by_role("group", name=question).get_by_label("5").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".messages")).to_contain_text("Thank you")


def test_a_mark_older_than_another_devices_change_is_not_saved(
    live_server: object, page: Page, trainer: User, coordinator: User
) -> None:
    session = make_session(trainers=[trainer])
    anna = enrol(session, name="Anna Ābele")
    sign_in_as(page, str(live_server), trainer)
    set_language(page, str(live_server), "en")  # the texts below are the English ones
    page.goto(str(live_server) + reverse("training:attendance", args=[session.pk]))
    page.route("**/attendance/marks/", lambda route: route.abort())
    page.locator(f"label[for=id_mark_{anna.pk}_1]").click()  # Absent, not sent
    expect(page.locator("#attendance-sync")).to_contain_text("Marks not yet saved: 1.")
    # Meanwhile the coordinator marks her present on another device.
    record_attendance(coordinator, session=session, marks=[Mark(anna.pk, "present")])
    page.unroute("**/attendance/marks/")
    page.context.set_offline(True)
    page.context.set_offline(False)
    row = page.locator(f"[data-enrolment='{anna.pk}']")
    expect(row.locator("[data-role=error]")).to_contain_text("Changed on another device")
    expect(page.locator(f"#id_mark_{anna.pk}_0")).to_be_checked()
    expect(page.locator("#attendance-sync")).to_contain_text("Some marks were refused")
    assert state(anna) == ("present", Decimal(6))
    assert page.evaluate(f"localStorage.getItem('noturiba.attendance.{session.pk}')") is None
