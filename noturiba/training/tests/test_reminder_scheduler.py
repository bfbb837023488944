"""The worker's reminder thread sends the due session reminders on its own connection."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.tests.conftest import Mailbox
from noturiba.training.actions.enrolment import enrol_person
from noturiba.training.models import Enrolment
from noturiba.training.tasks import ReminderScheduler
from noturiba.training.tests.enrolment_support import mailbox, make_session, person_of

__all__ = ["mailbox"]


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_reminds_once(member_a: User, mailbox: Mailbox) -> None:
    session = make_session(starts_at=timezone.now() + datetime.timedelta(hours=3))
    enrol_person(member_a, session=session, person=person_of(member_a))  # committed: mail sent
    mailbox.received.clear()
    scheduler = ReminderScheduler(interval=0.05)

    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        while not mailbox.received and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # a few more rounds: none may send it again
    finally:
        scheduler.stopped.set()
        scheduler.join()

    assert len(mailbox.received) == 1
    assert Enrolment.objects.get().reminder_sent_at is not None
