"""``POST /api/v1/alerts/{id}/send``, ``/approve``, ``/cancel``: state changes, by who may."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.alerts.actions import cancel_alert, create_alert, send_alert
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.selectors import AudienceFilters
from noturiba.alerts.tests.api_alerts_support import ApiClient, api_for, liepaja_officer, ogre_draft
from noturiba.api.tests.conftest import error_of
from noturiba.conftest import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def ogre(coordinator: User, admin_a: User, member_a: User) -> Alert:
    """A draft to the people of Ogre (organisation A's admin and member)."""
    return ogre_draft(coordinator)


def test_sending_queues_the_deliveries_and_answers_202(coordinator: User, ogre: Alert) -> None:
    response = api_for(coordinator).post(f"/alerts/{ogre.pk}/send")

    assert response.status_code == 202
    body = response.json()
    assert body["queued"] == 2
    assert body["alert"]["state"] == "sending" and body["alert"]["sent"]
    assert body["alert"]["progress"]["by_state"] == {"queued": 2}
    assert Delivery.objects.filter(alert=ogre, state="queued").count() == 2


def test_an_alert_to_nobody_is_sent_at_once(coordinator: User) -> None:
    alert = ogre_draft(coordinator)  # no one in Ogre yet

    response = api_for(coordinator).post(f"/alerts/{alert.pk}/send")

    assert response.status_code == 202
    assert response.json()["queued"] == 0 and response.json()["alert"]["state"] == "sent"


def test_sending_twice_is_a_409_and_writes_nothing_more(coordinator: User, ogre: Alert) -> None:
    api = api_for(coordinator)
    api.post(f"/alerts/{ogre.pk}/send")

    response = api.post(f"/alerts/{ogre.pk}/send")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert Delivery.objects.filter(alert=ogre).count() == 2


def test_the_pages_session_sends_too(client_officer: Client, ogre: Alert) -> None:
    response = client_officer.post(f"/api/v1/alerts/{ogre.pk}/send")

    assert response.status_code == 202
    assert Alert.objects.get(pk=ogre.pk).state == Alert.State.SENDING


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
@pytest.mark.parametrize("step", ["send", "cancel", "approve"])
def test_those_who_may_not_follow_the_alert_get_a_404(
    request: pytest.FixtureRequest, ogre: Alert, who: str, step: str
) -> None:
    response = api_for(request.getfixturevalue(who)).post(f"/alerts/{ogre.pk}/{step}")

    assert response.status_code == 404
    assert b"Ogre" not in response.content
    assert Alert.objects.get(pk=ogre.pk).state == Alert.State.DRAFT
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("step", ["send", "cancel", "approve"])
def test_an_officer_of_another_municipality_gets_a_404(ogre: Alert, step: str) -> None:
    response = api_for(liepaja_officer()).post(f"/alerts/{ogre.pk}/{step}")

    assert response.status_code == 404
    assert Alert.objects.get(pk=ogre.pk).state == Alert.State.DRAFT


@pytest.mark.parametrize("step", ["send", "cancel", "approve"])
def test_anonymous_callers_and_other_tokens_are_refused(ogre: Alert, step: str) -> None:
    for api in (ApiClient(), ApiClient(token="ntr_someone-elses")):
        response = api.post(f"/alerts/{ogre.pk}/{step}")
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthenticated"
    assert Alert.objects.get(pk=ogre.pk).state == Alert.State.DRAFT


def test_an_officer_cannot_send_an_alert_whose_audience_leaves_the_jurisdiction(
    coordinator: User, officer: User, admin_b: User
) -> None:
    # Area Ogre (so the officer may follow it) but written by the coordinator for Liepāja's
    # people too: sending it is the coordinator's call.
    alert = create_alert(
        coordinator,
        data={"event": "Plūdi", "headline": "Plūdi"},
        municipalities=[municipality("LV-067")],
        audience=AudienceFilters(municipalities=frozenset({municipality("LV-LPX").pk})),
    )

    response = api_for(officer).post(f"/alerts/{alert.pk}/send")

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.DRAFT


# --- Two-person approval ------------------------------------------------------------------------


@pytest.fixture
def approval(settings: Any) -> None:
    settings.ALERT_TWO_PERSON_APPROVAL = True


def actual_draft(author: User) -> Alert:
    return ogre_draft(author, status="Actual")


def test_with_approval_on_sending_waits_for_a_second_person(
    approval: None, coordinator: User, officer: User, admin_a: User
) -> None:
    alert = actual_draft(officer)

    sent = api_for(officer).post(f"/alerts/{alert.pk}/send")

    assert sent.status_code == 202
    assert sent.json()["alert"]["state"] == "approval" and sent.json()["queued"] == 0
    assert not Delivery.objects.exists()

    approved = api_for(coordinator).post(f"/alerts/{alert.pk}/approve")

    assert approved.status_code == 202
    body = approved.json()
    assert body["alert"]["state"] == "sending" and body["queued"] == 1
    assert body["alert"]["approved_by"] == coordinator.pk and body["alert"]["approved_at"]


def test_the_pages_session_approves_too(
    approval: None, client_coordinator: Client, officer: User, admin_a: User
) -> None:
    alert = actual_draft(officer)
    api_for(officer).post(f"/alerts/{alert.pk}/send")

    response = client_coordinator.post(f"/api/v1/alerts/{alert.pk}/approve")

    assert response.status_code == 202
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.SENDING


def test_the_author_may_not_approve_their_own_alert(
    approval: None, officer: User, admin_a: User
) -> None:
    alert = actual_draft(officer)
    api = api_for(officer)
    api.post(f"/alerts/{alert.pk}/send")

    response = api.post(f"/alerts/{alert.pk}/approve")

    assert response.status_code == 403
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.AWAITING_APPROVAL


def test_approving_an_alert_not_awaiting_approval_is_a_409(
    coordinator: User, officer: User
) -> None:
    alert = actual_draft(officer)

    response = api_for(coordinator).post(f"/alerts/{alert.pk}/approve")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert Alert.objects.get(pk=alert.pk).approved_by is None


# --- Cancelling ---------------------------------------------------------------------------------


def test_cancelling_stops_the_queued_deliveries(coordinator: User, ogre: Alert) -> None:
    send_alert(coordinator, alert=ogre)

    response = api_for(coordinator).post(f"/alerts/{ogre.pk}/cancel")

    assert response.status_code == 200
    body = response.json()
    assert body["stopped"] == 2 and body["alert"]["state"] == "cancelled"
    assert body["alert"]["progress"]["by_state"] == {"failed": 2}


def test_an_officer_cancels_an_alert_of_their_jurisdiction(
    client_officer: Client, ogre: Alert
) -> None:
    response = client_officer.post(f"/api/v1/alerts/{ogre.pk}/cancel")

    assert response.status_code == 200
    assert Alert.objects.get(pk=ogre.pk).state == Alert.State.CANCELLED


def test_cancelling_twice_is_a_409(coordinator: User, ogre: Alert) -> None:
    cancel_alert(coordinator, alert=ogre)

    response = api_for(coordinator).post(f"/alerts/{ogre.pk}/cancel")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_a_cancelled_alert_cannot_be_sent(coordinator: User, ogre: Alert) -> None:
    cancel_alert(coordinator, alert=ogre)

    response = api_for(coordinator).post(f"/alerts/{ogre.pk}/send")

    assert response.status_code == 409
    assert not Delivery.objects.exists()


def test_a_get_on_a_step_is_a_405_in_the_error_shape(coordinator: User, ogre: Alert) -> None:
    response = api_for(coordinator).get(f"/alerts/{ogre.pk}/send")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
