"""The upload page: a CAP file or pasted XML is imported; a refused one says why, stores nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from noturiba.alerts.models import ExternalAlert
from noturiba.alerts.tests.cap_support import storm_xml
from noturiba.alerts.tests.test_api_cap import HOSTILE
from noturiba.lib.tests.cap_documents import CAP_1_1

URL = "/alerts/cap/import/"


def upload(client: Client, data: bytes) -> object:
    return client.post(URL, {"file": SimpleUploadedFile("alert.xml", data, "text/xml")})


def test_an_uploaded_file_is_imported_and_shown(client_coordinator: Client) -> None:
    response = upload(client_coordinator, storm_xml())

    stored = ExternalAlert.objects.get()
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("alerts:external_detail", args=[stored.pk])  # type: ignore[index]
    assert stored.source == ExternalAlert.Source.UPLOAD


def test_pasted_xml_is_imported_once(client_officer: Client) -> None:
    client_officer.post(URL, {"xml": storm_xml().decode()})
    again = client_officer.post(URL, {"xml": storm_xml().decode()}, follow=True)

    assert ExternalAlert.objects.count() == 1
    assert again.status_code == 200


def test_cap_1_1_is_refused_with_the_reason(client_coordinator: Client, english: None) -> None:
    response = upload(client_coordinator, CAP_1_1)

    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "CAP 1.1 is not supported; send CAP 1.2." in page
    assert "nothing was stored" in page
    assert not ExternalAlert.objects.exists()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_refused_with_the_reason(
    client_coordinator: Client, name: str
) -> None:
    response = upload(client_coordinator, HOSTILE[name])

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert 'role="alert"' in response.content.decode()  # type: ignore[attr-defined]
    assert "root:" not in response.content.decode()  # type: ignore[attr-defined]
    assert not ExternalAlert.objects.exists()


def test_a_50_mb_file_is_refused_by_its_size(client_coordinator: Client, english: None) -> None:
    response = upload(client_coordinator, b"<alert>" + b"x" * 50_000_000 + b"</alert>")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "at most 1000000 are accepted" in response.content.decode()  # type: ignore[attr-defined]
    assert not ExternalAlert.objects.exists()


def test_an_empty_form_asks_for_a_file(client_coordinator: Client, english: None) -> None:
    response = client_coordinator.post(URL, {})

    assert "Choose a file or paste the CAP XML." in response.content.decode()
