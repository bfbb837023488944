"""Who may send an alert where: coordinators anywhere, officers within their jurisdiction."""

from __future__ import annotations

import pytest

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db


def area(*codes: str) -> list[int]:
    return list(Municipality.objects.filter(code__in=codes).values_list("id", flat=True))


def test_a_coordinator_may_alert_anywhere_even_the_whole_network(coordinator: User) -> None:
    assert policy.can_write_alerts(coordinator)
    assert policy.can_send_alert(coordinator, area("LV-LPX"))
    assert policy.can_send_alert(coordinator, [])


def test_an_officer_may_alert_only_within_the_jurisdiction(officer: User) -> None:
    assert policy.can_write_alerts(officer)
    assert policy.can_send_alert(officer, area("LV-067"))
    assert not policy.can_send_alert(officer, area("LV-067", "LV-LPX"))
    assert not policy.can_send_alert(officer, [])


def test_members_and_admins_may_not_send_alerts(admin_a: User, member_a: User) -> None:
    for user in (admin_a, member_a):
        assert not policy.can_write_alerts(user)
        assert not policy.can_send_alert(user, area("LV-067"))
