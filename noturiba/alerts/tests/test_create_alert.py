"""Writing a draft alert: the area and audience, the policy, the CAP rules and the audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.audit.models import AuditEntry
from noturiba.lib.cap import parse, to_xml
from noturiba.network.models import Membership, Municipality

pytestmark = pytest.mark.django_db

DATA: dict[str, Any] = {
    "status": "Exercise",
    "event": "Plūdi",
    "headline": "Plūdi Ogrē",
    "instruction": "Dodieties uz augstāku vietu.",
    "headline_en": "Floods in Ogre",
}


def ogre() -> list[Municipality]:
    return [Municipality.objects.get(code="LV-067")]


def test_a_coordinator_writes_a_draft_that_is_a_valid_cap_document(
    coordinator: User, settings: Any
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Noturība <brideni@noturiba.example.lv>"
    audience = AudienceFilters(roles=frozenset({Membership.Role.ADMIN}))

    alert = create_alert(coordinator, data=DATA, municipalities=ogre(), audience=audience)

    assert alert.state == Alert.State.DRAFT and alert.created_by == coordinator
    assert alert.sender == "brideni@noturiba.example.lv"
    assert alert.audience["roles"] == ["admin"]
    document = parse(to_xml(alert.to_cap()))
    assert document.status == "Exercise" and len(document.infos) == 2
    entry = AuditEntry.objects.get(object_id=str(alert.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.changes["area"] == [None, ["LV-067"]]


def test_an_officer_writes_only_for_the_jurisdiction(officer: User) -> None:
    assert create_alert(officer, data=DATA, municipalities=ogre()).pk
    liepaja = [Municipality.objects.get(code="LV-LPX")]
    with pytest.raises(PermissionDenied):
        create_alert(officer, data=DATA, municipalities=liepaja)
    with pytest.raises(PermissionDenied):
        create_alert(
            officer,
            data=DATA,
            municipalities=ogre(),
            audience=AudienceFilters(municipalities=frozenset({liepaja[0].pk})),
        )
    assert Alert.objects.count() == 1


def test_members_may_not_write_alerts(admin_a: User) -> None:
    with pytest.raises(PermissionDenied):
        create_alert(admin_a, data=DATA, municipalities=ogre())
    assert not Alert.objects.exists()


def test_an_update_needs_the_alert_it_updates(coordinator: User) -> None:
    with pytest.raises(ValidationError):
        create_alert(coordinator, data={**DATA, "msg_type": "Update"}, municipalities=ogre())
    original = create_alert(coordinator, data=DATA, municipalities=ogre())
    update = create_alert(coordinator, data={**DATA, "msg_type": "Update", "references": original})
    assert parse(to_xml(update.to_cap())).references[0].identifier == original.identifier


def test_an_alert_that_has_already_expired_is_refused(coordinator: User) -> None:
    past = timezone.now() - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError):
        create_alert(coordinator, data={**DATA, "expires": past}, municipalities=ogre())
    assert not Alert.objects.exists()
