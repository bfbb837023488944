"""import_cap on any valid generated CAP 1.2 alert: stored as sent, never twice."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import choose_info, import_cap
from noturiba.alerts.models import ExternalAlert
from noturiba.lib import cap
from noturiba.lib.tests.cap_strategies import alerts

pytestmark = pytest.mark.django_db


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(alert=alerts())
def test_any_valid_alert_round_trips_and_is_stored_once(
    coordinator: User, alert: cap.Alert
) -> None:
    ExternalAlert.objects.all().delete()
    data = cap.to_xml(alert)

    first = import_cap(coordinator, data=data, source=ExternalAlert.Source.API)
    second = import_cap(coordinator, data=data, source=ExternalAlert.Source.API)

    assert first.created and not second.created
    assert second.alert.pk == first.alert.pk
    stored = ExternalAlert.objects.get()
    assert (stored.identifier, stored.sender, stored.sent) == (
        alert.identifier,
        alert.sender,
        alert.sent,
    )
    assert (stored.status, stored.msg_type, stored.scope) == (
        alert.status.value,
        alert.msg_type.value,
        alert.scope.value,
    )
    assert cap.parse(stored.xml.encode()) == alert
    info = choose_info(alert)
    if info is not None:
        assert stored.event == info.event
        assert stored.headline == (info.headline or "")
        assert stored.description == (info.description or "")
        assert stored.expires == info.expires
