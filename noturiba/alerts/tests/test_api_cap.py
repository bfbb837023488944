"""POST /api/v1/cap/import, GET /api/v1/cap/alerts and /cap/alerts/{id}, from the outside."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from noturiba.accounts.actions import create_api_token
from noturiba.accounts.models import User
from noturiba.alerts.models import ExternalAlert
from noturiba.alerts.tests.cap_support import SENT, followup, storm, storm_xml
from noturiba.lib import cap
from noturiba.lib.tests.cap_documents import CAP_1_1, minimal

IMPORT = "/api/v1/cap/import"
LIST = "/api/v1/cap/alerts"
ENTITIES = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
HOSTILE = {
    "xxe": minimal(head="<source>&xxe;</source>").replace(
        b"<alert", b'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alert'
    ),
    "billion_laughs": minimal(head="<source>&lol9;</source>").replace(
        b"<alert", f'<!DOCTYPE alert [<!ENTITY lol0 "lol">{ENTITIES}]><alert'.encode()
    ),
    "wrong_namespace": minimal().replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:x:cap"),
    "cap_1_1": CAP_1_1,
    "not_xml": b"{}",
}
EXPECTED_CODES = {
    "xxe": "forbidden_dtd",
    "billion_laughs": "forbidden_dtd",
    "wrong_namespace": "wrong_root",
    "cap_1_1": "unsupported_version",
    "not_xml": "not_xml",
}


def token_client(user: User | None) -> tuple[Client, dict[str, str]]:
    if user is None:
        return Client(), {}
    _token, raw = create_api_token(user, name="tests")
    return Client(), {"Authorization": f"Bearer {raw}"}


def post_cap(user: User | None, data: bytes, content_type: str = "application/cap+xml") -> Any:
    client, headers = token_client(user)
    return client.post(IMPORT, data=data, content_type=content_type, headers=headers)


def test_it_stores_the_alert_and_answers_201_then_200(coordinator: User) -> None:
    response = post_cap(coordinator, storm_xml())

    assert response.status_code == 201
    body = response.json()
    stored = ExternalAlert.objects.get()
    assert body["id"] == stored.pk
    assert body["identifier"] == "lvgmc-storm-1"
    assert body["sender"] == "bridinajumi@lvgmc.example"
    assert datetime.fromisoformat(body["sent"]) == SENT
    assert (body["status"], body["msg_type"], body["cancelled"]) == ("Actual", "Alert", False)
    assert body["headline"] == "Vētra Ogres novadā"
    assert body["references"] == []
    assert body["url"].endswith(f"/alerts/cap/{stored.pk}/")
    assert stored.source == ExternalAlert.Source.API

    again = post_cap(coordinator, storm_xml(), content_type="text/xml")

    assert again.status_code == 200
    assert again.json()["id"] == stored.pk
    assert ExternalAlert.objects.count() == 1


def test_it_shows_references_known_and_not(officer: User) -> None:
    original = storm()
    post_cap(officer, cap.to_xml(original))
    other = storm("other")
    cancel = cap.Alert(
        **{
            **followup(original, "cancel-1", cap.MsgType.CANCEL).__dict__,
            "references": (original.as_reference(), other.as_reference()),
        }
    )

    body = post_cap(officer, cap.to_xml(cancel), content_type="application/xml").json()

    stored = ExternalAlert.objects.get(identifier="lvgmc-storm-1")
    assert [(r["identifier"], r["id"]) for r in body["references"]] == [
        ("lvgmc-storm-1", stored.pk),
        ("other", None),
    ]
    client, headers = token_client(officer)
    original_body = client.get(f"{LIST}/{stored.pk}", headers=headers).json()
    assert original_body["cancelled"] is True
    assert original_body["followups"] == [body["id"]]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_refused_document_is_422_with_the_reason_and_nothing_stored(
    coordinator: User, name: str
) -> None:
    response = post_cap(coordinator, HOSTILE[name])

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == EXPECTED_CODES[name]
    assert error["message"]
    assert "root:" not in response.content.decode()
    assert not ExternalAlert.objects.exists()


def test_cap_1_1_is_refused_naming_the_version(coordinator: User) -> None:
    response = post_cap(coordinator, CAP_1_1)

    assert response.json()["error"]["message"] == "CAP 1.1 is not supported; send CAP 1.2."


def test_a_50_mb_body_is_413_too_large(coordinator: User) -> None:
    response = post_cap(coordinator, b"<alert>" + b"x" * 50_000_000 + b"</alert>")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not ExternalAlert.objects.exists()


def test_a_body_over_the_cap_bound_is_413_too_large(coordinator: User) -> None:
    response = post_cap(coordinator, b"<alert>" + b"x" * 1_100_000 + b"</alert>")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_another_content_type_is_415(coordinator: User) -> None:
    response = post_cap(coordinator, storm_xml(), content_type="application/json")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not ExternalAlert.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 201),
        ("officer", 201),
        ("admin_a", 403),
        ("member_a", 403),
        ("trainer", 403),
        (None, 401),
    ],
)
def test_who_may_import(
    who: str | None, status: int, request: pytest.FixtureRequest, db: None
) -> None:
    user = request.getfixturevalue(who) if who else None

    response = post_cap(user, storm_xml())

    assert response.status_code == status
    assert ExternalAlert.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("officer", 200),
        ("admin_a", 403),
        ("member_a", 403),
        ("trainer", 403),
        (None, 401),
    ],
)
def test_who_may_read(
    who: str | None, status: int, request: pytest.FixtureRequest, coordinator: User
) -> None:
    post_cap(coordinator, storm_xml())
    stored = ExternalAlert.objects.get()
    user = request.getfixturevalue(who) if who else None
    client, headers = token_client(user)

    listing = client.get(LIST, headers=headers)
    one = client.get(f"{LIST}/{stored.pk}", headers=headers)

    assert (listing.status_code, one.status_code) == (status, status)
    if status == 200:
        assert [item["id"] for item in listing.json()["items"]] == [stored.pk]
        assert one.json()["identifier"] == "lvgmc-storm-1"
    else:
        assert "lvgmc" not in listing.content.decode() + one.content.decode()


def test_the_list_is_paginated_newest_first(coordinator: User) -> None:
    for hour in (8, 10, 9):
        post_cap(coordinator, storm_xml(f"a{hour}", sent=storm().sent.replace(hour=hour)))
    client, headers = token_client(coordinator)

    page = client.get(LIST, {"page_size": 2}, headers=headers).json()

    assert page["count"] == 3
    assert [item["identifier"] for item in page["items"]] == ["a10", "a9"]
    assert page["next"] is not None


def test_an_unknown_or_absurd_id_is_404(coordinator: User) -> None:
    client, headers = token_client(coordinator)

    assert client.get(f"{LIST}/999999", headers=headers).status_code == 404
    assert client.get(f"{LIST}/99999999999999999999", headers=headers).status_code == 404


def test_the_list_uses_a_fixed_number_of_queries(
    coordinator: User, django_assert_max_num_queries: Any
) -> None:
    for number in range(25):
        post_cap(coordinator, storm_xml(f"n{number}"))
    client, headers = token_client(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"page_size": 25}, headers=headers)

    assert len(response.json()["items"]) == 25
