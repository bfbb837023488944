"""``GET /healthz``: the state of the database and of the task workers."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from noturiba.web.heartbeat import beat, forget
from noturiba.web.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_it_answers_200_with_the_database_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}


def test_it_reports_no_worker_without_a_heartbeat(client: Client) -> None:
    body = client.get("/healthz").json()

    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "alive": 0, "last_seen": None}


def test_it_reports_a_live_worker_after_a_heartbeat(client: Client) -> None:
    beat("worker-one")

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert body["worker"]["alive"] == 1
    assert body["worker"]["last_seen"] is not None


def test_it_does_not_count_a_stale_heartbeat(client: Client) -> None:
    beat("worker-gone")
    stale = timezone.now() - datetime.timedelta(seconds=3600)
    WorkerHeartbeat.objects.filter(worker_id="worker-gone").update(seen_at=stale)

    body = client.get("/healthz").json()

    assert body["worker"]["ok"] is False
    assert body["worker"]["alive"] == 0
    assert body["worker"]["last_seen"] == stale.isoformat()


def test_it_forgets_a_worker_that_stopped(client: Client) -> None:
    beat("worker-stopping")
    forget("worker-stopping")

    body = client.get("/healthz").json()

    assert body["worker"]["ok"] is False


def test_it_needs_no_sign_in_and_reveals_no_directory_data(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert set(response.json()) == {"status", "database", "worker"}


def test_it_asks_the_database_once(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    beat("worker-a")
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.json()["worker"]["alive"] == 1
