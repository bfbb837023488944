"""``GET /verify/<code>`` with ``Accept: application/json``: the same answer for programs — the
certificate's snapshot and state, or an error in the API's shape."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.models import Certificate
from noturiba.training.selectors.certificates import riga_today
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture
def certificate(trainer: User) -> Certificate:
    session = make_session(
        make_course(),
        trainers=(trainer,),
        ends_at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC),
    )
    person = make_person("Jānis Bērziņš")
    person.email = "janis.private@example.lv"
    person.save(update_fields=["email"])
    enrol(session, person, hours="9.5", score=71)
    [issued] = close_results(trainer, session=session)
    return issued


def test_a_valid_certificate(client: Client, certificate: Certificate) -> None:
    response = client.get(f"/verify/{certificate.code}", headers=JSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    assert response.json() == {
        "code": certificate.code,
        "state": "valid",
        "holder_name": "Jānis Bērziņš",
        "course": {
            "lv": "Civilā aizsardzība kopienā",
            "en": "Civil protection in the community",
        },
        "modules": [
            {
                "name_lv": "Modulis 0: trauksmes celšana un patvertnes",
                "name_en": "Module 0: public alerting and shelters",
                "hours": "6.0",
            },
            {
                "name_lv": "Modulis 1: trauksmes celšana un patvertnes",
                "name_en": "Module 1: public alerting and shelters",
                "hours": "4.0",
            },
        ],
        "hours": "9.5",
        "completed_on": "2026-04-01",
        "valid_until": "2028-04-01",
        "trainers": "Laura Trenere",
        "issuer": "Noturība",
        "revoked_on": None,
    }
    assert "janis.private" not in response.content.decode()


def test_expired(client: Client, certificate: Certificate) -> None:
    yesterday = riga_today() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=yesterday)

    assert client.get(f"/verify/{certificate.code}", headers=JSON).json()["state"] == "expired"


def test_revoked_without_the_reason(
    client: Client, certificate: Certificate, coordinator: User
) -> None:
    revoke_certificate(coordinator, certificate=certificate, reason="Falsified sheet")

    response = client.get(f"/verify/{certificate.code}", headers=JSON)

    body = response.json()
    assert body["state"] == "revoked"
    assert body["revoked_on"] == riga_today().isoformat()
    assert "Falsified" not in response.content.decode()


def test_unknown(client: Client, certificate: Certificate, english: None) -> None:
    unknown = "000000000000" if certificate.code != "000000000000" else "111111111111"

    response = client.get(f"/verify/{unknown}", headers=JSON)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_malformed(client: Client, english: None) -> None:
    response = client.get("/verify/ABC", headers=JSON)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed"
    assert "12 characters" in error["message"]


def test_a_browser_gets_the_page(client: Client, certificate: Certificate) -> None:
    response = client.get(
        f"/verify/{certificate.code}",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )

    assert response["Content-Type"].startswith("text/html")


def test_head_is_answered(client: Client, certificate: Certificate) -> None:
    assert client.head(f"/verify/{certificate.code}").status_code == 200
