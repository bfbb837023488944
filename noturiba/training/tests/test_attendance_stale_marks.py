"""Marks kept on a phone while offline carry the time they were taken: one older than the
person's last recorded change (another device marked them meanwhile) does not overwrite it."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.actions.attendance import Mark, record_attendance
from noturiba.training.tests.attendance_support import enrol, make_session

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def test_an_older_offline_mark_does_not_overwrite_a_newer_one(
    trainer: User, coordinator: User
) -> None:
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    now = timezone.now()
    offline_at = now - 30 * MINUTE  # the trainer's phone, offline, marked absent then
    record_attendance(
        coordinator, session=session, marks=[Mark(enrolment.pk, "present")], now=now - 10 * MINUTE
    )
    result = record_attendance(
        trainer,
        session=session,
        marks=[Mark(enrolment.pk, "absent", marked_at=offline_at)],
        now=now,
    )
    assert result.stale == (enrolment.pk,)
    assert result.changed == 0
    enrolment.refresh_from_db()
    assert (enrolment.attendance, enrolment.attendance_recorded_by) == ("present", coordinator)


def test_a_newer_offline_mark_is_saved(trainer: User, coordinator: User) -> None:
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    now = timezone.now()
    record_attendance(
        coordinator, session=session, marks=[Mark(enrolment.pk, "present")], now=now - 10 * MINUTE
    )
    result = record_attendance(
        trainer,
        session=session,
        marks=[Mark(enrolment.pk, "present", Decimal(3), marked_at=now - 5 * MINUTE)],
        now=now,
    )
    assert result.stale == ()
    enrolment.refresh_from_db()
    assert (enrolment.attendance, enrolment.hours_attended) == ("partial", Decimal(3))


def test_a_clock_in_the_future_does_not_win_over_later_changes(trainer: User) -> None:
    """A phone whose clock runs ahead cannot claim a time later than the server's now."""
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    now = timezone.now()
    record_attendance(
        trainer,
        session=session,
        marks=[Mark(enrolment.pk, "absent", marked_at=now + datetime.timedelta(days=1))],
        now=now - MINUTE,
    )
    record_attendance(trainer, session=session, marks=[Mark(enrolment.pk, "present")], now=now)
    result = record_attendance(
        trainer,
        session=session,
        marks=[Mark(enrolment.pk, "absent", marked_at=now - 30 * MINUTE)],
        now=now + MINUTE,
    )
    assert result.stale == (enrolment.pk,)


def test_the_endpoint_reports_stale_marks_with_the_kept_state(
    trainer: User, coordinator: User, english: None
) -> None:
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    record_attendance(coordinator, session=session, marks=[Mark(enrolment.pk, "present")])
    old = (timezone.now() - 30 * MINUTE).isoformat()
    response = client_for(trainer).post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps(
            {"marks": [{"enrolment": enrolment.pk, "attendance": "absent", "marked_at": old}]}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["stale"] == [str(enrolment.pk)]
    assert body["rows"][str(enrolment.pk)]["attendance"] == "present"


@pytest.mark.parametrize(
    "marked_at", ["yesterday", "2026-13-45T10:00:00+02:00", "2026-11-26T10:00:00", 5]
)
def test_a_bad_marked_at_is_refused(trainer: User, marked_at: object) -> None:
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    response = client_for(trainer).post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps(
            {"marks": [{"enrolment": enrolment.pk, "attendance": "absent", "marked_at": marked_at}]}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.attendance == ""
