"""Marks and the closing of results meet on PostgreSQL: a batch waits for the session's row
lock, so a batch that arrives while results are being closed is refused once they are, never
saved after them; two phones marking different people at once both save."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import needs_row_locks
from noturiba.training.actions.attendance import Mark, record_attendance
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.attendance_support import enrol, make_session

pytestmark = [pytest.mark.django_db(transaction=True), needs_row_locks]


def waiting_for_a_lock() -> bool:
    """Whether another connection of this database waits for a lock (asked up to 30 times)."""
    for _attempt in range(30):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
        threading.Event().wait(1)
    return False


def test_a_batch_during_the_closing_of_results_is_refused(trainer: User) -> None:
    session = make_session(trainers=[trainer])
    enrolment = enrol(session)
    outcome: list[BaseException | None] = []
    locked = threading.Event()
    release = threading.Event()

    def close_results() -> None:
        """What closing results does with the session: lock its row, then set the time."""
        try:
            with transaction.atomic():
                row = TrainingSession.objects.select_for_update().get(pk=session.pk)
                locked.set()
                release.wait(timeout=30)
                row.results_closed_at = timezone.now()
                row.save(update_fields=["results_closed_at"])
        finally:
            close_old_connections()

    def mark() -> None:
        try:
            record_attendance(trainer, session=session, marks=[Mark(enrolment.pk, "present")])
            outcome.append(None)
        except ValidationError as error:
            outcome.append(error)
        finally:
            close_old_connections()

    closer = threading.Thread(target=close_results)
    closer.start()
    assert locked.wait(timeout=30)
    marker = threading.Thread(target=mark)
    marker.start()
    assert waiting_for_a_lock()  # the batch is blocked on the session's row
    release.set()
    closer.join(timeout=30)
    marker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError)
    assert outcome[0].code == "closed"
    enrolment.refresh_from_db()
    assert enrolment.attendance == ""


def test_two_phones_marking_different_people_both_save(trainer: User, coordinator: User) -> None:
    session = make_session(trainers=[trainer])
    first = [enrol(session, name=f"A{i}") for i in range(5)]
    second = [enrol(session, name=f"B{i}") for i in range(5)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def mark(user: User, people: list[Enrolment], attendance: str) -> None:
        try:
            barrier.wait(timeout=30)
            record_attendance(user, session=session, marks=[Mark(p.pk, attendance) for p in people])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=mark, args=(trainer, first, "present")),
        threading.Thread(target=mark, args=(coordinator, second, "absent")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    values = dict(
        Enrolment.objects.filter(session=session).values_list("person__full_name", "attendance")
    )
    assert values == {
        **{f"A{i}": "present" for i in range(5)},
        **{f"B{i}": "absent" for i in range(5)},
    }
    assert Enrolment.objects.filter(session=session, hours_attended=Decimal(6)).count() == 5
