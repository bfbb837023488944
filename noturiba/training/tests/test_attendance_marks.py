"""Marking attendance: states are set (never toggled), a batch is saved whole or not at all,
hours and scores are checked, and marks are taken only while the session is open for them."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.training.actions.attendance import Mark, record_attendance
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.attendance_support import enrol, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    return make_session(trainers=[trainer])


def post(client: Client, session: TrainingSession, marks: list[dict[str, Any]]) -> Any:
    return client.post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps({"marks": marks}),
        content_type="application/json",
    )


def state(enrolment: Enrolment) -> tuple[str, Decimal | None, int | None]:
    enrolment.refresh_from_db()
    return enrolment.attendance, enrolment.hours_attended, enrolment.score


def test_present_defaults_to_the_course_hours_and_records_who_and_when(
    trainer: User, session: TrainingSession
) -> None:
    enrolment = enrol(session)
    response = post(
        client_for(trainer), session, [{"enrolment": enrolment.pk, "attendance": "present"}]
    )
    assert response.status_code == 200
    assert state(enrolment) == ("present", Decimal(6), None)
    assert enrolment.attendance_recorded_by == trainer
    assert enrolment.attendance_recorded_at is not None
    body = response.json()
    assert body["marked"] == 1 and body["changed"] == 1
    assert body["rows"][str(enrolment.pk)]["attendance"] == "present"


def test_a_mark_sent_twice_changes_nothing_the_second_time(
    trainer: User, session: TrainingSession
) -> None:
    enrolment = enrol(session)
    client = client_for(trainer)
    marks = [{"enrolment": enrolment.pk, "attendance": "absent"}]
    assert post(client, session, marks).json()["changed"] == 1
    enrolment.refresh_from_db()
    first_recorded = enrolment.attendance_recorded_at
    again = post(client, session, marks)
    assert again.status_code == 200
    assert again.json()["changed"] == 0
    assert state(enrolment) == ("absent", Decimal(0), None)
    assert enrolment.attendance_recorded_at == first_recorded
    assert AuditEntry.objects.filter(object_id=str(enrolment.pk)).count() == 1


def test_present_then_present_again_stays_present(trainer: User, session: TrainingSession) -> None:
    """A set state, not a toggle: two taps on Present leave the person present."""
    enrolment = enrol(session)
    for _ in range(2):
        record_attendance(
            trainer, session=session, marks=[Mark(enrolment.pk, attendance="present")]
        )
    assert state(enrolment)[0] == "present"


def test_a_batch_marks_everyone_at_once(trainer: User, session: TrainingSession) -> None:
    people = [enrol(session, name=f"P{i}") for i in range(3)]
    response = post(
        client_for(trainer),
        session,
        [
            {"enrolment": people[0].pk, "attendance": "present"},
            {"enrolment": people[1].pk, "attendance": "present", "hours": "2,5"},
            {"enrolment": people[2].pk, "attendance": "absent", "hours": "3"},
        ],
    )
    assert response.status_code == 200
    assert [state(p)[:2] for p in people] == [
        ("present", Decimal(6)),
        ("partial", Decimal("2.5")),
        ("absent", Decimal(0)),
    ]
    assert AuditEntry.objects.filter(object_type="training.enrolment").count() == 3


def test_one_bad_mark_saves_nothing_and_names_the_person(
    trainer: User, session: TrainingSession
) -> None:
    good, bad = enrol(session, name="Laba"), enrol(session, name="Slikta")
    response = post(
        client_for(trainer),
        session,
        [
            {"enrolment": good.pk, "attendance": "present"},
            {"enrolment": bad.pk, "attendance": "present", "hours": "7"},
        ],
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [str(bad.pk)]
    assert state(good)[0] == "" and state(bad)[0] == ""


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        ("7", "hours_too_many"),
        ("6.5", "hours_too_many"),
        ("-1", "hours_negative"),
        ("0", "hours_zero"),
        ("2.25", "hours_precision"),
    ],
)
def test_hours_out_of_range_are_refused(
    trainer: User, session: TrainingSession, hours: str, reason: str
) -> None:
    enrolment = enrol(session)
    with pytest.raises(ValidationError) as caught:
        record_attendance(
            trainer,
            session=session,
            marks=[Mark(enrolment.pk, attendance="present", hours=Decimal(hours))],
        )
    codes = [e.code for e in caught.value.error_dict[str(enrolment.pk)]]
    assert codes == [reason]
    assert state(enrolment) == ("", None, None)


@pytest.mark.parametrize("hours", ["abc", "NaN", "Infinity", "1e400"])
def test_hours_that_are_not_numbers_get_a_clear_error(
    trainer: User, session: TrainingSession, english: None, hours: str
) -> None:
    enrolment = enrol(session)
    response = post(
        client_for(trainer),
        session,
        [{"enrolment": enrolment.pk, "attendance": "present", "hours": hours}],
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert state(enrolment) == ("", None, None)


def test_the_full_hours_of_a_course_make_present_fewer_make_partial(
    trainer: User, session: TrainingSession
) -> None:
    enrolment = enrol(session)
    record_attendance(trainer, session=session, marks=[Mark(enrolment.pk, "partial", Decimal(6))])
    assert state(enrolment)[:2] == ("present", Decimal(6))
    record_attendance(
        trainer, session=session, marks=[Mark(enrolment.pk, "present", Decimal("5.5"))]
    )
    assert state(enrolment)[:2] == ("partial", Decimal("5.5"))


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"marks": []}',
        b'{"marks": [{"enrolment": "1"}]}',
        b'{"marks": [{"enrolment": 1, "attendance": "maybe"}]}',
        b'{"marks": [{"enrolment": 1, "score": 101.5}]}',
        b'{"marks": [1, 2]}',
    ],
)
def test_malformed_batches_are_refused_without_500(
    trainer: User, session: TrainingSession, body: bytes
) -> None:
    response = client_for(trainer).post(
        reverse("training:attendance_marks", args=[session.pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_same_person_twice_in_a_batch_is_refused(
    trainer: User, session: TrainingSession
) -> None:
    enrolment = enrol(session)
    response = post(
        client_for(trainer),
        session,
        [
            {"enrolment": enrolment.pk, "attendance": "present"},
            {"enrolment": enrolment.pk, "attendance": "absent"},
        ],
    )
    assert response.status_code == 400
    assert state(enrolment)[0] == ""


def test_waitlisted_and_cancelled_enrolments_cannot_be_marked(
    trainer: User, session: TrainingSession
) -> None:
    waiting = enrol(session, status=Enrolment.Status.WAITLISTED)
    cancelled = enrol(session, status=Enrolment.Status.CANCELLED)
    for enrolment in (waiting, cancelled):
        response = post(
            client_for(trainer), session, [{"enrolment": enrolment.pk, "attendance": "present"}]
        )
        assert response.status_code == 400
        assert state(enrolment)[0] == ""


# --- Scores ---------------------------------------------------------------------------------


def test_a_score_is_saved_and_shown_against_the_pass_mark(
    trainer: User, session: TrainingSession, english: None
) -> None:
    passed, failed = enrol(session, name="Pirmā"), enrol(session, name="Otrā")
    response = post(
        client_for(trainer),
        session,
        [
            {"enrolment": passed.pk, "attendance": "present", "score": 70},
            {"enrolment": failed.pk, "score": "69"},
        ],
    )
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert rows[str(passed.pk)]["result"] == "passed (70%)"
    assert rows[str(failed.pk)]["result"] == "not passed (69%)"
    assert state(failed) == ("", None, 69)  # a score alone leaves attendance as it was
    page = client_for(trainer).get(reverse("training:attendance", args=[session.pk]))
    assert "not passed (69%)" in page.content.decode()


def test_a_null_score_clears_it(trainer: User, session: TrainingSession) -> None:
    enrolment = enrol(session, score=80)
    post(client_for(trainer), session, [{"enrolment": enrolment.pk, "score": None}])
    assert state(enrolment)[2] is None


@pytest.mark.parametrize("score", [101, -1, "abc", "1000"])
def test_scores_out_of_range_are_refused(
    trainer: User, session: TrainingSession, score: Any
) -> None:
    enrolment = enrol(session)
    response = post(client_for(trainer), session, [{"enrolment": enrolment.pk, "score": score}])
    assert response.status_code == 400
    assert state(enrolment)[2] is None


def test_a_course_without_assessment_takes_no_score(trainer: User) -> None:
    session = make_session(trainers=[trainer], pass_mark=None, course_code="no_assessment")
    enrolment = enrol(session)
    response = post(client_for(trainer), session, [{"enrolment": enrolment.pk, "score": 90}])
    assert response.status_code == 400
    assert state(enrolment)[2] is None
    page = client_for(trainer).get(reverse("training:attendance", args=[session.pk]))
    assert f'name="score_{enrolment.pk}"' not in page.content.decode()


# --- When marks are taken -------------------------------------------------------------------


def riga(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime(year, month, day, hour, minute), timezone.get_default_timezone()
    )


def test_marks_open_at_midnight_in_riga_of_the_session_day(trainer: User) -> None:
    session = make_session(trainers=[trainer])
    session.starts_at = riga(2026, 3, 29, 10)  # the spring DST change in Riga
    session.ends_at = riga(2026, 3, 29, 16)
    session.save()
    enrolment = enrol(session)
    mark = [Mark(enrolment.pk, "present")]
    with pytest.raises(ValidationError) as caught:
        record_attendance(trainer, session=session, marks=mark, now=riga(2026, 3, 28, 23, 59))
    assert caught.value.code == "not_open"
    record_attendance(trainer, session=session, marks=mark, now=riga(2026, 3, 29, 0, 0))
    assert state(enrolment)[0] == "present"


def test_a_session_tomorrow_is_shown_read_only(trainer: User, english: None) -> None:
    session = make_session(trainers=[trainer], starts_in=datetime.timedelta(days=2))
    enrolment = enrol(session)
    client = client_for(trainer)
    page = client.get(reverse("training:attendance", args=[session.pk])).content.decode()
    assert "Attendance can be marked from the day of the session" in page
    assert 'id="attendance-form"' not in page
    response = post(client, session, [{"enrolment": enrolment.pk, "attendance": "present"}])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_open"
    assert state(enrolment)[0] == ""


def test_closed_results_make_the_page_read_only(trainer: User, english: None) -> None:
    session = make_session(trainers=[trainer], results_closed_at=timezone.now())
    enrolment = enrol(session, attendance="present", hours_attended=Decimal(6))
    client = client_for(trainer)
    page = client.get(reverse("training:attendance", args=[session.pk])).content.decode()
    assert "The results of this session are closed" in page
    assert 'id="attendance-form"' not in page
    response = post(client, session, [{"enrolment": enrolment.pk, "attendance": "absent"}])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "closed"
    form_post = client.post(
        reverse("training:attendance", args=[session.pk]), {f"mark_{enrolment.pk}": "absent"}
    )
    assert form_post.status_code == 302
    assert state(enrolment)[0] == "present"


def test_a_cancelled_session_takes_no_marks(trainer: User) -> None:
    session = make_session(trainers=[trainer], status=TrainingSession.Status.CANCELLED)
    enrolment = enrol(session)
    response = post(
        client_for(trainer), session, [{"enrolment": enrolment.pk, "attendance": "present"}]
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "cancelled"


def test_a_batch_costs_the_same_queries_for_one_person_or_ten(
    trainer: User, session: TrainingSession
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(trainer)
    one = [enrol(session, name="Viens")]
    ten = [enrol(session, name=f"Desmit {i}") for i in range(10)]
    post(client, session, [{"enrolment": one[0].pk, "attendance": "absent"}])  # warm up
    with CaptureQueriesContext(connection) as single:
        post(client, session, [{"enrolment": one[0].pk, "attendance": "present"}])
    with CaptureQueriesContext(connection) as batch:
        post(client, session, [{"enrolment": e.pk, "attendance": "present"} for e in ten])
    assert len(batch) == len(single)
