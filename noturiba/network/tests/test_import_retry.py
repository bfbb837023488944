"""An import whose worker died can be started again; one still running cannot."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.network.models import ImportBatch, Organisation
from noturiba.network.tests.import_files import ORGANISATION_HEADER, csv_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FILE = csv_bytes(
    [ORGANISATION_HEADER, ["Tukuma Kopiena", "40008066666", "Tukuma novads", "", "", "", ""]]
)


def running_batch(client: Client, *, started_minutes_ago: int) -> ImportBatch:
    response = client.post(reverse("network:import"), {"file": SimpleUploadedFile("a.csv", FILE)})
    batch = ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    # As the task leaves it when its worker is killed: claimed, never finished.
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    batch.save(update_fields=["status", "started_at"])
    return batch


def test_a_stalled_import_says_so_and_can_be_tried_again(
    client_coordinator: Client,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = IMMEDIATE
    batch = running_batch(client_coordinator, started_minutes_ago=30)
    page = client_coordinator.get(reverse("network:import_batch", args=[batch.pk]))
    body = page.content.decode()
    assert "stopped without finishing" in body
    assert 'http-equiv="refresh"' not in body

    with django_capture_on_commit_callbacks(execute=True):
        client_coordinator.post(reverse("network:import_retry", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Organisation.objects.filter(registration_number="40008066666").count() == 1


def test_an_import_still_running_is_not_started_twice(
    client_coordinator: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    batch = running_batch(client_coordinator, started_minutes_ago=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_coordinator.post(
            reverse("network:import_retry", args=[batch.pk]), follow=True
        )
    assert callbacks == []
    assert "not stalled" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING


@pytest.mark.parametrize("who", ["client_admin_a", "client_admin_b", "client_officer"])
def test_others_cannot_retry_an_import(
    who: str, client_coordinator: Client, request: pytest.FixtureRequest
) -> None:
    batch = running_batch(client_coordinator, started_minutes_ago=30)
    client: Client = request.getfixturevalue(who)
    response = client.post(reverse("network:import_retry", args=[batch.pk]))
    assert response.status_code in (403, 404)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING
