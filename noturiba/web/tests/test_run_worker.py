"""``noturiba run_worker``: runs queued tasks and keeps a heartbeat row while it lives."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus, task

from noturiba.web.models import WorkerHeartbeat

# The worker reads tasks and writes its heartbeat on other connections: real commits needed.
pytestmark = pytest.mark.django_db(transaction=True)


@task()
def count_live_workers(label: str) -> dict[str, object]:
    """A tiny task: reports what the worker looked like while it ran."""
    return {"label": label, "heartbeats": WorkerHeartbeat.objects.count()}


def run_batch() -> None:
    call_command("run_worker", batch=True, interval=0.0, verbosity=0)


def test_it_processes_an_enqueued_task() -> None:
    result = count_live_workers.enqueue("first")

    run_batch()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is not None
    assert result.return_value["label"] == "first"


def test_it_keeps_a_heartbeat_row_while_running() -> None:
    result = count_live_workers.enqueue("beat")

    run_batch()

    result.refresh()
    assert result.return_value is not None
    assert result.return_value["heartbeats"] == 1


def test_it_removes_its_heartbeat_row_on_exit() -> None:
    count_live_workers.enqueue("exit")

    run_batch()

    assert not WorkerHeartbeat.objects.exists()


def test_it_exits_on_an_empty_queue_without_leaving_a_heartbeat() -> None:
    run_batch()

    assert not WorkerHeartbeat.objects.exists()
