"""Two-person approval: an Actual alert waits for a second sender, who sends it by approving."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import approve_alert, create_alert, send_alert
from noturiba.alerts.models import Alert, Delivery
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for, make_user
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _approval_on(settings: Any) -> None:
    settings.ALERT_TWO_PERSON_APPROVAL = True


def draft(author: User, status: str = "Actual") -> Alert:
    return create_alert(
        author,
        data={"status": status, "event": "Plūdi", "headline": "Plūdi Ogrē"},
        municipalities=[Municipality.objects.get(code="LV-067")],
    )


def person_deliveries(alert: Alert) -> int:
    return Delivery.objects.filter(alert=alert, person__isnull=False).count()


def test_an_actual_alert_waits_for_approval_without_deliveries(
    officer: User, admin_a: User
) -> None:
    alert = draft(officer)
    assert send_alert(officer, alert=alert) == 0
    alert.refresh_from_db()
    assert alert.state == Alert.State.AWAITING_APPROVAL and alert.sent is None
    assert person_deliveries(alert) == 0
    entry = AuditEntry.objects.filter(object_id=str(alert.pk)).latest("at")
    assert entry.changes["state"] == ["draft", "approval"]


def test_an_exercise_goes_out_at_once(officer: User, admin_a: User) -> None:
    alert = draft(officer, status="Exercise")
    assert send_alert(officer, alert=alert) == 1
    assert person_deliveries(alert) == 1


def test_another_sender_approves_and_it_goes_out(
    officer: User, coordinator: User, admin_a: User, member_a: User
) -> None:
    alert = draft(officer)
    send_alert(officer, alert=alert)
    assert approve_alert(coordinator, alert=alert) == 2
    alert.refresh_from_db()
    assert alert.state == Alert.State.SENDING and alert.sent is not None
    assert alert.approved_by == coordinator and alert.approved_at is not None
    assert person_deliveries(alert) == 2
    changes = [e.changes for e in AuditEntry.objects.filter(object_id=str(alert.pk))]
    assert {"approved_by": [None, coordinator.email]} in changes
    with pytest.raises(ValidationError):
        approve_alert(coordinator, alert=alert)
    assert person_deliveries(alert) == 2


def test_the_author_cannot_approve_their_own_alert(officer: User, admin_a: User) -> None:
    alert = draft(officer)
    send_alert(officer, alert=alert)
    with pytest.raises(PermissionDenied):
        approve_alert(officer, alert=alert)
    alert.refresh_from_db()
    assert alert.state == Alert.State.AWAITING_APPROVAL and person_deliveries(alert) == 0


def test_someone_who_may_not_send_there_cannot_approve(
    coordinator: User, admin_a: User, member_a: User
) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    with pytest.raises(PermissionDenied):
        approve_alert(member_a, alert=alert)


def test_a_draft_is_not_approved(coordinator: User, officer: User) -> None:
    alert = draft(officer)
    with pytest.raises(ValidationError):
        approve_alert(coordinator, alert=alert)


# --- the pages ---------------------------------------------------------------------------


def test_the_review_page_says_it_waits_and_offers_approval_to_another(
    officer: User, coordinator: User, admin_a: User, english: None
) -> None:
    alert = draft(officer)
    response = client_for(officer).post(
        reverse("alerts:send", args=[alert.pk]), {"confirmed": "yes"}
    )
    assert response["Location"] == reverse("alerts:review", args=[alert.pk])
    approve_url = reverse("alerts:approve", args=[alert.pk])
    own = client_for(officer).get(reverse("alerts:review", args=[alert.pk])).content.decode()
    assert "waits for approval" in own and approve_url not in own
    other = client_for(coordinator).get(reverse("alerts:review", args=[alert.pk]))
    assert approve_url in other.content.decode()
    response = client_for(coordinator).post(approve_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:detail", args=[alert.pk])
    assert person_deliveries(alert) == 1


def test_approving_ones_own_alert_is_a_clear_message(
    client_coordinator: Client, coordinator: User, admin_a: User, english: None
) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    response = client_coordinator.post(reverse("alerts:approve", args=[alert.pk]), follow=True)
    assert response.status_code == 200
    assert "Another person must approve your alert." in response.content.decode()
    assert person_deliveries(alert) == 0


def test_a_second_coordinator_may_approve(coordinator: User, admin_a: User) -> None:
    second = make_user("otra@noturiba.example", full_name="Otra", is_coordinator=True)
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    response = client_for(second).post(reverse("alerts:approve", args=[alert.pk]))
    assert response.status_code == 302 and person_deliveries(alert) == 1


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer"])
def test_outsiders_get_404(who: str, coordinator: User, request: Any) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    response = client_for(request.getfixturevalue(who)).post(
        reverse("alerts:approve", args=[alert.pk])
    )
    assert response.status_code == 404
    assert person_deliveries(alert) == 0


def test_a_get_is_not_allowed(client_coordinator: Client, officer: User) -> None:
    alert = draft(officer)
    assert client_coordinator.get(reverse("alerts:approve", args=[alert.pk])).status_code == 405
