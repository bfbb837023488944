"""The SMS gateway's delivery reports move a sent delivery to delivered or failed, once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.actions import record_delivery_report
from noturiba.alerts.channels.sms import ReportState, parse_delivery_report
from noturiba.alerts.models import Alert, Delivery
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(member_a: User) -> Delivery:
    alert = Alert.objects.create(
        sender="s", event="Plūdi", headline="Plūdi", state="sending", sent=timezone.now()
    )
    person = Person.objects.get(user=member_a)
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel="sms",
        address=person.phone,
        idempotency_key="k",
        state=Delivery.State.SENT,
        provider_id="gw-77",
    )


def state_of(delivery: Delivery) -> str:
    delivery.refresh_from_db()
    return delivery.state


def test_a_delivered_report_marks_it_delivered_and_a_late_failure_is_ignored(
    delivery: Delivery,
) -> None:
    provider_id, report = parse_delivery_report({"id": "gw-77", "status": "DELIVRD"})
    assert record_delivery_report(None, provider_id=provider_id, report=report) == 1
    assert state_of(delivery) == Delivery.State.DELIVERED

    assert record_delivery_report(None, provider_id="gw-77", report=ReportState.FAILED) == 0
    assert state_of(delivery) == Delivery.State.DELIVERED


def test_a_failed_report_marks_it_failed_with_the_reason(delivery: Delivery) -> None:
    record_delivery_report(None, provider_id="gw-77", report=ReportState.FAILED, detail="UNDELIV")
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED and "UNDELIV" in delivery.last_error


def test_pending_and_unknown_reports_change_nothing(delivery: Delivery) -> None:
    assert record_delivery_report(None, provider_id="gw-77", report=ReportState.PENDING) == 0
    assert record_delivery_report(None, provider_id="other", report=ReportState.DELIVERED) == 0
    assert record_delivery_report(None, provider_id="", report=ReportState.DELIVERED) == 0
    assert state_of(delivery) == Delivery.State.SENT
