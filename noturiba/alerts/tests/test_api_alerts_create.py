"""``POST /api/v1/alerts``: a draft with every CAP field and its audience, for those who may."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_saved_list, send_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.tests.api_alerts_support import (
    BODY,
    ApiClient,
    api_for,
    liepaja_officer,
    ogre_draft,
)
from noturiba.api.tests.conftest import error_of
from noturiba.audit.models import AuditEntry
from noturiba.conftest import municipality
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


def full_body(org_a: Organisation, saved_list: int) -> dict[str, Any]:
    return {
        "status": "Exercise",
        "msg_type": "Alert",
        "scope": "Public",
        "category": "Met",
        "event": "Vētra",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Observed",
        "headline": "Vētra Ogrē",
        "description": "Gaidāmas vēja brāzmas līdz 30 m/s.",
        "instruction": "Palieciet telpās.",
        "headline_en": "Storm in Ogre",
        "description_en": "Gusts up to 30 m/s expected.",
        "instruction_en": "Stay indoors.",
        "web": "https://ogre.lv/vetra",
        "effective": "2026-12-01T10:00:00+02:00",
        "expires": "2026-12-02T10:00:00+02:00",
        "municipalities": ["LV-067"],
        "area_polygon": "56.80,24.50 56.90,24.50 56.90,24.70 56.80,24.50",
        "area_circle": "56.8162,24.614 5",
        "escalate_after_minutes": 30,
        "audience": {
            "municipalities": ["LV-067"],
            "target_groups": ["seniors"],
            "capabilities": ["first_aid"],
            "organisations": [org_a.pk],
            "roles": ["admin"],
            "lists": [saved_list],
        },
    }


def test_a_coordinator_writes_a_draft_with_every_cap_field_and_its_audience(
    coordinator: User, org_a: Organisation, admin_a: User
) -> None:
    saved = create_saved_list(coordinator, name="Ogres vadītāji")
    api = api_for(coordinator)

    response = api.post("/alerts", full_body(org_a, saved.pk))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "draft" and body["created_by"] == coordinator.pk
    for key, value in full_body(org_a, saved.pk).items():
        if key not in {"effective", "expires"}:
            assert body[key] == value, key
    assert datetime.datetime.fromisoformat(body["effective"]) == datetime.datetime(
        2026, 12, 1, 8, tzinfo=datetime.UTC
    )
    assert body["progress"] == {
        "deliveries": 0,
        "by_state": {},
        "by_channel": {},
        "by_answer": {},
        "acknowledged": 0,
    }
    alert = Alert.objects.get(pk=body["id"])
    assert alert.escalate_after == datetime.timedelta(minutes=30)
    assert alert.audience["organisations"] == [org_a.pk]
    assert alert.audience["municipalities"] == [municipality("LV-067").pk]
    assert AuditEntry.objects.filter(object_id=str(alert.pk), action="create").exists()
    assert api.get(f"/alerts/{alert.pk}").json() == body


def test_an_update_names_an_earlier_alert(coordinator: User) -> None:
    earlier = ogre_draft(coordinator)
    send_alert(coordinator, alert=earlier)

    response = api_for(coordinator).post(
        "/alerts", {**BODY, "msg_type": "Update", "references": earlier.pk}
    )

    assert response.status_code == 201
    assert response.json()["references"] == earlier.pk


def test_the_pages_session_may_write_too(client_coordinator: Client) -> None:
    response = client_coordinator.post("/api/v1/alerts", BODY, content_type="application/json")

    assert response.status_code == 201
    assert Alert.objects.get().headline == "Plūdi Ogrē"


def test_a_session_write_needs_the_csrf_token(coordinator: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post("/api/v1/alerts", BODY, content_type="application/json")

    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"
    assert not Alert.objects.exists()


def test_an_officer_writes_for_their_jurisdiction(officer: User) -> None:
    response = api_for(officer).post("/alerts", BODY)

    assert response.status_code == 201
    assert Alert.objects.get().created_by == officer


@pytest.mark.parametrize(
    "body",
    [
        {**BODY, "municipalities": ["LV-LPX"]},
        {**BODY, "audience": {"municipalities": ["LV-LPX"]}},
        {**BODY, "municipalities": []},  # the whole network is the coordinators' call
    ],
)
def test_an_officer_may_not_write_outside_their_jurisdiction(
    officer: User, body: dict[str, Any]
) -> None:
    response = api_for(officer).post("/alerts", body)

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert not Alert.objects.exists()


def test_an_officer_of_another_municipality_may_not_write_for_ogre(reference: None) -> None:
    response = api_for(liepaja_officer()).post("/alerts", BODY)

    assert response.status_code == 403
    assert not Alert.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_members_and_trainers_may_not_write_alerts(
    request: pytest.FixtureRequest, who: str
) -> None:
    response = api_for(request.getfixturevalue(who)).post("/alerts", BODY)

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert not Alert.objects.exists()


@pytest.mark.parametrize("token", [None, "ntr_not-a-real-token"])
def test_anonymous_callers_and_bad_tokens_are_401(reference: None, token: str | None) -> None:
    response = ApiClient(token=token).post("/alerts", BODY)

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"
    assert not Alert.objects.exists()
