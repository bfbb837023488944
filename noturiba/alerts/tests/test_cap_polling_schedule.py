"""The CAP poll scheduler: due active subscriptions get one poll task each, claimed once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_httpserver import HTTPServer

from noturiba.alerts.cap_tasks import (
    claim_poll,
    due_subscriptions,
    enqueue_due_polls,
    poll_subscription,
)
from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.alerts.tests.cap_support import storm_xml

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MINUTE = datetime.timedelta(minutes=1)


def subscription(name: str, **fields: Any) -> CapSubscription:
    return CapSubscription.objects.create(
        name=name, url=f"https://example.org/{name}.atom", poll_every=5 * MINUTE, **fields
    )


def queued_polls() -> list[list[Any]]:
    return [
        row.args_kwargs["args"]
        for row in DBTaskResult.objects.filter(task_path__endswith="poll_subscription")
    ]


def test_it_enqueues_due_active_subscriptions_once(db: None, settings: Any) -> None:
    settings.CAP_POLL_MINIMUM_SECONDS = 60
    now = timezone.now()
    never = subscription("never")
    due = subscription("due", last_polled_at=now - 6 * MINUTE)
    subscription("recent", last_polled_at=now - 2 * MINUTE)
    subscription("paused", is_active=False)

    first = enqueue_due_polls(now)
    second = enqueue_due_polls(now)

    assert sorted(first) == sorted([never.pk, due.pk])
    assert second == []
    assert sorted(queued_polls()) == sorted([[never.pk], [due.pk]])
    due.refresh_from_db()
    assert due.last_polled_at == now


def test_the_minimum_interval_setting_wins_over_a_shorter_poll_every(
    db: None, settings: Any
) -> None:
    settings.CAP_POLL_MINIMUM_SECONDS = 600
    now = timezone.now()
    subscription("eager", last_polled_at=now - 6 * MINUTE)

    assert enqueue_due_polls(now) == []
    assert enqueue_due_polls(now + 5 * MINUTE) != []


def test_a_claim_lost_to_another_worker_enqueues_nothing(db: None) -> None:
    now = timezone.now()
    subscription("never")
    subscription("due", last_polled_at=now - 6 * MINUTE)
    read_by_us = due_subscriptions(now)

    won_by_other = enqueue_due_polls(now)

    assert len(won_by_other) == 2
    assert [claim_poll(pk, last, now) for pk, last in read_by_us] == [False, False]
    assert len(queued_polls()) == 2


def test_the_poll_task_imports_the_feed(db: None, settings: Any, httpserver: HTTPServer) -> None:
    settings.TASKS = IMMEDIATE
    httpserver.expect_request("/one.xml").respond_with_data(
        storm_xml("one"), content_type="application/cap+xml"
    )
    CapSubscription.objects.create(name="one", url=httpserver.url_for("/one.xml"))

    enqueue_due_polls()

    assert ExternalAlert.objects.get().identifier == "one"


@pytest.mark.parametrize("missing", [10**6])
def test_the_poll_task_of_a_deleted_subscription_does_nothing(
    db: None, settings: Any, missing: int
) -> None:
    settings.TASKS = IMMEDIATE
    poll_subscription.enqueue(missing)
    assert not ExternalAlert.objects.exists()
