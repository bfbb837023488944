"""Cancelling an alert stops what is not yet sent, closes answers, and is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.alerts.actions import acknowledge_alert, cancel_alert, send_alert
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tasks import send_deliveries
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(coordinator: User, admin_a: User, member_a: User) -> Alert:
    alert = Alert.objects.create(sender="s", event="Plūdi", headline="Plūdi Ogrē")
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    send_alert(coordinator, alert=alert)  # the tasks do not run: the deliveries stay queued
    return alert


def test_it_stops_queued_deliveries_and_closes_answers(coordinator: User, sent: Alert) -> None:
    stopped = cancel_alert(coordinator, alert=sent)

    assert stopped == 2
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.FAILED}
    send_deliveries(list(Delivery.objects.values_list("pk", flat=True)))
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {0}
    sent.refresh_from_db()
    assert sent.state == Alert.State.CANCELLED and not sent.accepts_answers
    with pytest.raises(ValidationError):
        acknowledge_alert(None, delivery=Delivery.objects.earliest("pk"), answer=Answer.SAFE)
    entry = AuditEntry.objects.filter(object_id=str(sent.pk)).latest("at")
    assert entry.changes["state"] == ["sending", "cancelled"]


def test_it_refuses_to_cancel_twice(coordinator: User, sent: Alert) -> None:
    cancel_alert(coordinator, alert=sent)
    with pytest.raises(ValidationError):
        cancel_alert(coordinator, alert=sent)


def test_only_those_who_may_send_there_may_cancel(
    admin_a: User, officer: User, sent: Alert
) -> None:
    with pytest.raises(PermissionDenied):
        cancel_alert(admin_a, alert=sent)
    sent.refresh_from_db()
    assert sent.state == Alert.State.SENDING
    assert cancel_alert(officer, alert=sent) == 2
