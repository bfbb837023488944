"""Two people ask for the last place at the same moment: exactly one gets it (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from noturiba.accounts.models import User
from noturiba.conftest import needs_row_locks
from noturiba.network.models import Membership, Organisation, Person
from noturiba.training.actions.enrolment import enrol_person
from noturiba.training.models import Enrolment
from noturiba.training.tests.enrolment_support import make_session

ROUNDS = 5


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_enrolments_for_the_last_place(
    coordinator: User, org_a: Organisation
) -> None:
    people = []
    for n in range(2):
        person = Person.objects.create(full_name=f"Steidzīgais {n}")
        Membership.objects.create(person=person, organisation=org_a, role="member")
        people.append(person)
    # Several sessions with one place left each, so that the two requests meet more than once.
    sessions = []
    for _ in range(ROUNDS):
        session = make_session(capacity=2)
        enrol_person(coordinator, session=session, person=Person.objects.create(full_name="X"))
        sessions.append(session)
    errors: list[BaseException] = []

    def enrol(person: Person, barrier: threading.Barrier, session_index: int) -> None:
        try:
            barrier.wait(timeout=30)
            # A fresh user object per thread: the policy caches roles on the object.
            actor = User.objects.get(pk=coordinator.pk)
            enrol_person(actor, session=sessions[session_index], person=person)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    for index in range(ROUNDS):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=enrol, args=(person, barrier, index)) for person in people
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    for session in sessions:
        statuses = sorted(
            Enrolment.objects.filter(session=session, person__in=people).values_list(
                "status", flat=True
            )
        )
        assert statuses == [Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED]
        assert Enrolment.objects.filter(session=session, status="confirmed").count() == 2
