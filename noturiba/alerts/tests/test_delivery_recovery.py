"""Deliveries abandoned by a dead worker go back to the queue, once; live claims are left alone."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.tasks import claim_lease, requeue_abandoned
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
State = Delivery.State


@pytest.fixture(autouse=True)
def _queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.ALERT_DELIVERY_LEASE_SECONDS = 60


def make(alert: Alert, n: int, state: str, next_attempt_at: datetime.datetime | None) -> Delivery:
    person = Person.objects.create(full_name=f"P {n}", email=f"p{n}@example.lv")
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel="email",
        address=person.email,
        idempotency_key=f"k-{n}",
        state=state,
        next_attempt_at=next_attempt_at,
    )


def queued_ids() -> list[int]:
    return sorted(
        pk for result in DBTaskResult.objects.all() for pk in result.args_kwargs["args"][0]
    )


def test_only_expired_claims_and_long_overdue_retries_are_queued_again_and_only_once() -> None:
    now = timezone.now()
    lease = claim_lease()
    assert lease == datetime.timedelta(seconds=60)
    alert = Alert.objects.create(sender="s@x.lv", event="e", headline="h", state="sending")
    cancelled = Alert.objects.create(sender="s@x.lv", event="e", headline="c", state="cancelled")
    dead_claim = make(alert, 1, State.SENDING, now - datetime.timedelta(seconds=1))
    live_claim = make(alert, 2, State.SENDING, now + lease)
    lost_retry = make(alert, 3, State.QUEUED, now - lease - datetime.timedelta(seconds=1))
    due_retry = make(alert, 4, State.QUEUED, now - datetime.timedelta(seconds=5))
    never_sent = make(alert, 5, State.QUEUED, None)
    make(cancelled, 6, State.SENDING, now - datetime.timedelta(seconds=1))

    first = requeue_abandoned(now)
    second = requeue_abandoned(now)

    assert (first, second) == (2, 0)
    assert queued_ids() == sorted([dead_claim.pk, lost_retry.pk])
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states[dead_claim.pk] == states[lost_retry.pk] == State.QUEUED
    assert states[live_claim.pk] == State.SENDING
    assert Delivery.objects.get(pk=due_retry.pk).next_attempt_at is not None
    assert Delivery.objects.get(pk=never_sent.pk).state == State.QUEUED
