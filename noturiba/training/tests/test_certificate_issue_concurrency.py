"""Two people close the same session's results at the same moment: every completed enrolment
gets exactly one certificate and one set of grants, and neither request fails (PostgreSQL: the
session row is locked)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from noturiba.accounts.models import User
from noturiba.conftest import needs_row_locks
from noturiba.training.actions.certificates import close_results
from noturiba.training.models import Certificate, CompetencyGrant, TrainingSession
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

PEOPLE = 12


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_closing_twice_at_once_issues_once(coordinator: User, trainer: User) -> None:
    session = make_session(make_course(), trainers=(trainer,))
    for number in range(PEOPLE):
        enrol(session, make_person(f"Dalībnieks {number}"))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    issued: list[int] = []

    def close(user_id: int) -> None:
        try:
            actor = User.objects.get(pk=user_id)
            target = TrainingSession.objects.get(pk=session.pk)
            barrier.wait(timeout=30)
            issued.append(len(close_results(actor, session=target)))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=close, args=(coordinator.pk,)),
        threading.Thread(target=close, args=(trainer.pk,)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(issued) == [0, PEOPLE]
    assert Certificate.objects.count() == PEOPLE
    assert CompetencyGrant.objects.count() == 2 * PEOPLE
