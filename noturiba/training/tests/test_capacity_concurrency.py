"""Places cut while someone enrols for the last one: never more confirmed than places
(PostgreSQL: both writes lock the session row)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from noturiba.accounts.models import User
from noturiba.conftest import needs_row_locks
from noturiba.network.models import Person
from noturiba.training.actions.enrolment import enrol_person
from noturiba.training.actions.sessions import SESSION_FIELDS, update_session
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.sessions_support import make_session

ROUNDS = 5


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_cutting_places_and_enrolling_at_once(coordinator: User) -> None:
    sessions = []
    for number in range(ROUNDS):
        session = make_session(capacity=2)
        first = Person.objects.create(full_name=f"Pirmais {number}")
        Enrolment.objects.create(session=session, person=first, status="confirmed")
        sessions.append(session)
    latecomers = [Person.objects.create(full_name=f"Vēlākais {n}") for n in range(ROUNDS)]
    errors: list[BaseException] = []
    refused: list[int] = []

    def cut(index: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=30)
            actor = User.objects.get(pk=coordinator.pk)
            session = TrainingSession.objects.get(pk=sessions[index].pk)
            data = {name: getattr(session, name) for name in SESSION_FIELDS}
            data["capacity"] = 1
            try:
                update_session(actor, session=session, data=data, trainers=[])
            except ValidationError:
                refused.append(index)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    def enrol(index: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(timeout=30)
            actor = User.objects.get(pk=coordinator.pk)
            enrol_person(actor, session=sessions[index], person=latecomers[index])
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    for index in range(ROUNDS):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=cut, args=(index, barrier)),
            threading.Thread(target=enrol, args=(index, barrier)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    for index, stored in enumerate(sessions):
        session = TrainingSession.objects.get(pk=stored.pk)
        confirmed = session.enrolments.filter(status="confirmed").count()
        assert confirmed <= session.capacity
        latecomer = Enrolment.objects.get(session=session, person=latecomers[index])
        if index in refused:  # the enrolment came first: the cut was refused
            assert session.capacity == 2 and latecomer.status == "confirmed"
        else:  # the cut came first: the latecomer waits
            assert session.capacity == 1 and latecomer.status == "waitlisted"
