"""The import pages: upload, preview with row errors, confirmation through a task, status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for, make_user
from noturiba.network.imports import tasks
from noturiba.network.models import ImportBatch, Organisation
from noturiba.network.tests.import_files import ORGANISATION_HEADER, csv_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

IMPORT_URL = reverse("network:import")
VALID = csv_bytes(
    [
        ORGANISATION_HEADER,
        ["Valmieras Drošības biedrība", "40008077777", "Valmieras novads", "", "", "", ""],
        ["Cēsu Kopienas centrs", "40008077778", "Cēsu novads", "", "+371 26 111 111", "", ""],
    ]
)
INVALID = csv_bytes(
    [
        ORGANISATION_HEADER,
        ["Valmieras Drošības biedrība", "123", "Valmieras novads", "", "", "", ""],
    ]
)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(client: Client, content: bytes = VALID, name: str = "saraksts.csv") -> Any:
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def uploaded_batch(client: Client, content: bytes = VALID) -> ImportBatch:
    response = upload(client, content)
    assert response.status_code == 302
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.parametrize("who", ["client_admin_a", "client_member_a", "client_officer"])
def test_only_coordinators_may_import(who: str, request: pytest.FixtureRequest) -> None:
    client: Client = request.getfixturevalue(who)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_trainer_may_not_import(trainer: User) -> None:
    assert client_for(trainer).get(IMPORT_URL).status_code == 403


def test_the_upload_page_documents_the_accepted_columns(client_coordinator: Client) -> None:
    page = client_coordinator.get(IMPORT_URL).content.decode()
    assert '<label for="id_file">' in page
    for heading in (
        "Reģistrācijas numurs",
        "Kontaktpersonas e-pasts",
        "Mērķa grupas",
        "capability:CODE",
        "first_aid",
        "Organizācijas reģistrācijas numurs",
    ):
        assert heading in page


def test_a_valid_file_shows_its_counts_and_an_import_button(client_coordinator: Client) -> None:
    batch = uploaded_batch(client_coordinator)
    assert batch.status == ImportBatch.Status.PREVIEW and batch.filename == "saraksts.csv"
    page = client_coordinator.get(reverse("network:import_batch", args=[batch.pk])).content.decode()
    assert "New organisations</dt><dd>2</dd>" in page
    assert "Valmieras Drošības biedrība" in page
    assert f'action="{reverse("network:import_apply", args=[batch.pk])}"' in page
    assert not Organisation.objects.filter(registration_number="40008077777").exists()


def test_an_invalid_file_shows_row_errors_and_no_import_button(client_coordinator: Client) -> None:
    batch = uploaded_batch(client_coordinator, INVALID)
    page = client_coordinator.get(reverse("network:import_batch", args=[batch.pk])).content.decode()
    assert '<th scope="row">2</th><td>Reģistrācijas numurs</td>' in page
    assert "has 11 digits" in page
    assert reverse("network:import_apply", args=[batch.pk]) not in page


def test_a_file_error_is_shown_instead_of_rows(client_coordinator: Client) -> None:
    batch = uploaded_batch(client_coordinator, b"\x89PNG\r\n\x1a\n\x00\x00")
    page = client_coordinator.get(reverse("network:import_batch", args=[batch.pk])).content.decode()
    assert "The file is not a text (CSV) file." in page


def test_the_upload_form_requires_a_file(client_coordinator: Client) -> None:
    response = client_coordinator.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_confirming_runs_the_import_task_and_shows_the_result(
    client_coordinator: Client,
    coordinator: User,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = IMMEDIATE
    batch = uploaded_batch(client_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_coordinator.post(reverse("network:import_apply", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.organisations_created, batch.organisations_updated) == (2, 0)
    assert bytes(batch.content) == b""  # the file is not kept after the import
    cesis = Organisation.objects.get(registration_number="40008077778")
    assert cesis.municipality is not None and cesis.municipality.code == "LV-022"
    assert AuditEntry.objects.filter(action="import", actor=coordinator).count() == 2
    page = client_coordinator.get(response["Location"]).content.decode()
    assert "Organisations created</dt><dd>2</dd>" in page
    assert 'http-equiv="refresh"' not in page


def test_a_batch_is_imported_once_even_if_confirmed_twice(
    client_coordinator: Client,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = IMMEDIATE
    batch = uploaded_batch(client_coordinator)
    apply_url = reverse("network:import_apply", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_coordinator.post(apply_url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_coordinator.post(apply_url, follow=True)
    assert callbacks == []
    assert "already confirmed; nothing was done again" in response.content.decode()
    assert Organisation.objects.filter(registration_number__startswith="4000807777").count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 2


def test_a_queued_import_shows_a_refreshing_status_page(
    client_coordinator: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    batch = uploaded_batch(client_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client_coordinator.post(reverse("network:import_apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED
    assert DBTaskResult.objects.filter(task_path__endswith="import_batch_task").count() == 1
    page = client_coordinator.get(reverse("network:import_batch", args=[batch.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Queued" in page or "queued" in page


def test_the_task_fails_the_batch_and_writes_nothing_when_the_uploader_lost_the_role(
    client_coordinator: Client, coordinator: User
) -> None:
    batch = uploaded_batch(client_coordinator)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    User.objects.filter(pk=coordinator.pk).update(is_coordinator=False)
    tasks.import_batch_task.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "Nothing was imported." in batch.message
    assert not Organisation.objects.filter(registration_number="40008077777").exists()


def test_the_task_ignores_a_batch_that_is_not_queued(client_coordinator: Client) -> None:
    batch = uploaded_batch(client_coordinator)
    tasks.import_batch_task.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_another_coordinator_cannot_see_or_confirm_the_batch(
    client_coordinator: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    batch = uploaded_batch(client_coordinator)
    other = client_for(make_user("cits.koordinators@noturiba.example", is_coordinator=True))
    page = other.get(reverse("network:import_batch", args=[batch.pk]))
    assert page.status_code == 404 and b"Valmieras" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(reverse("network:import_apply", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


@pytest.mark.parametrize("who", ["client_admin_a", "client_officer"])
def test_non_coordinators_get_404_for_a_batch(
    who: str, client_coordinator: Client, request: pytest.FixtureRequest
) -> None:
    batch = uploaded_batch(client_coordinator)
    client: Client = request.getfixturevalue(who)
    response = client.get(reverse("network:import_batch", args=[batch.pk]))
    assert response.status_code == 404 and b"Valmieras" not in response.content
    assert client.post(reverse("network:import_apply", args=[batch.pk])).status_code == 404


def test_anonymous_visitors_cannot_reach_a_batch(
    client: Client, client_coordinator: Client
) -> None:
    batch = uploaded_batch(client_coordinator)
    response = client.get(reverse("network:import_batch", args=[batch.pk]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_a_new_upload_discards_the_uploaders_unconfirmed_one(client_coordinator: Client) -> None:
    first = uploaded_batch(client_coordinator)
    second = uploaded_batch(client_coordinator)
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk


def test_the_upload_page_lists_recent_imports_in_a_fixed_number_of_queries(
    client_coordinator: Client,
    coordinator: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for number in range(5):
        ImportBatch.objects.create(
            uploaded_by=coordinator, filename=f"f{number}.csv", status=ImportBatch.Status.DONE
        )
    client_coordinator.get(IMPORT_URL)
    with django_assert_num_queries(5):  # session, user, person (roles), catalogue, batches
        page = client_coordinator.get(IMPORT_URL).content.decode()
    assert page.count(".csv</a>") == 5


@pytest.mark.django_db(transaction=True)
def test_the_database_task_worker_runs_a_confirmed_import(client_coordinator: Client) -> None:
    """The deployment's own queue: committed for real, then drained by ``db_worker``."""
    batch = uploaded_batch(client_coordinator)
    client_coordinator.post(reverse("network:import_apply", args=[batch.pk]))
    call_command("db_worker", batch=True, reload=False, interval=0, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Organisation.objects.filter(registration_number__startswith="4000807777").count() == 2


def test_an_oversized_upload_is_refused_by_the_form(client_coordinator: Client) -> None:
    content = b"Nosaukums\r\n" + b"B\r\n" * (10 * 1024 * 1024 // 3 + 1)
    response = upload(client_coordinator, content)
    assert response.status_code == 200
    assert "The file is larger than 10 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()
