"""visible_alerts: the alerts list's rule is policy.can_view_alert, as a query."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import visible_alerts
from noturiba.network.models import Institution, Municipality

pytestmark = pytest.mark.django_db


def alert_in(*codes: str, created_by: User | None = None) -> Alert:
    alert = Alert.objects.create(sender="s", event="e", headline="h", created_by=created_by)
    alert.municipalities.set(Municipality.objects.filter(code__in=codes))
    return alert


@pytest.fixture
def alerts(officer: User, admin_b: User) -> dict[str, Alert]:
    return {
        "ogre": alert_in("LV-067"),
        "ogre_and_riga": alert_in("LV-067", "LV-RIX"),
        "liepaja": alert_in("LV-LPX"),
        "whole_network": alert_in(),
        "by_the_officer_in_riga": alert_in("LV-RIX", created_by=officer),
        "by_admin_b": alert_in("LV-LPX", created_by=admin_b),
    }


def names(alerts: dict[str, Alert], actor: Any) -> set[str]:
    visible = set(visible_alerts(actor).values_list("pk", flat=True))
    return {name for name, alert in alerts.items() if alert.pk in visible}


def test_an_officer_sees_alerts_wholly_in_their_jurisdiction_and_their_own(
    alerts: dict[str, Alert], officer: User
) -> None:
    assert names(alerts, officer) == {"ogre", "by_the_officer_in_riga"}


def test_coordinators_see_every_alert(alerts: dict[str, Alert], coordinator: User) -> None:
    assert names(alerts, coordinator) == set(alerts)


def test_a_national_officer_sees_every_alert(
    alerts: dict[str, Alert], officer: User, ogre_commission: Institution
) -> None:
    ogre_commission.is_national = True
    ogre_commission.save(update_fields=["is_national"])
    policy.forget_roles(officer)
    assert names(alerts, officer) == set(alerts)


def test_others_see_only_the_alerts_they_wrote(
    alerts: dict[str, Alert], admin_b: User, member_a: User, trainer: User
) -> None:
    assert names(alerts, admin_b) == {"by_admin_b"}
    assert names(alerts, member_a) == set()
    assert names(alerts, trainer) == set()


def test_anonymous_and_inactive_users_see_none(alerts: dict[str, Alert], admin_b: User) -> None:
    assert names(alerts, AnonymousUser()) == set()
    admin_b.is_active = False
    policy.forget_roles(admin_b)
    assert names(alerts, admin_b) == set()


def test_it_agrees_with_can_view_alert_for_everyone(
    alerts: dict[str, Alert],
    coordinator: User,
    officer: User,
    admin_a: User,
    member_a: User,
    admin_b: User,
    trainer: User,
) -> None:
    for actor in [coordinator, officer, admin_a, member_a, admin_b, trainer]:
        expected = {
            name
            for name, alert in alerts.items()
            if policy.can_view_alert(
                actor,
                created_by_id=alert.created_by_id,
                municipalities=alert.municipalities.values_list("id", flat=True),
            )
        }
        assert names(alerts, actor) == expected, actor
