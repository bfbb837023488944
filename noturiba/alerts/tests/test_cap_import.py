"""import_cap: a received CAP alert is stored once, with the info shown chosen, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import import_cap
from noturiba.alerts.models import ExternalAlert
from noturiba.alerts.tests.cap_support import SENT, storm, storm_xml
from noturiba.audit.models import AuditEntry
from noturiba.lib import cap
from noturiba.lib.cap import CapError, ErrorCode
from noturiba.lib.tests.cap_documents import CAP_1_1

UPLOAD = ExternalAlert.Source.UPLOAD


def test_it_stores_the_latvian_info_and_the_raw_document(coordinator: User) -> None:
    data = storm_xml()

    result = import_cap(coordinator, data=data, source=UPLOAD)

    stored = ExternalAlert.objects.get()
    assert result.created and result.alert == stored
    assert (stored.identifier, stored.sender, stored.sent) == (
        "lvgmc-storm-1",
        "bridinajumi@lvgmc.example",
        SENT,
    )
    assert stored.language == "lv-LV"
    assert stored.headline == "Vētra Ogres novadā"
    assert stored.event == "Vētra"
    assert stored.category == "Met"
    assert (stored.urgency, stored.severity, stored.certainty) == ("Expected", "Severe", "Likely")
    assert stored.area_desc == "Ogres novads; Ķekavas novads"
    assert stored.web == "https://lvgmc.example/bridinajumi"
    assert stored.xml == data.decode()
    assert stored.imported_by == coordinator
    assert stored.source == UPLOAD


def test_it_chooses_english_without_latvian_and_else_the_first(coordinator: User) -> None:
    alert = storm()
    english_only = cap.Alert(**{**alert.__dict__, "infos": alert.infos[:1]})
    russian = cap.Info(**{**alert.infos[0].__dict__, "language": "ru", "headline": "Шторм"})
    german = cap.Info(**{**alert.infos[0].__dict__, "language": "de", "headline": "Sturm"})
    others = cap.Alert(**{**alert.__dict__, "identifier": "other", "infos": (russian, german)})

    first = import_cap(coordinator, data=cap.to_xml(english_only), source=UPLOAD).alert
    second = import_cap(coordinator, data=cap.to_xml(others), source=UPLOAD).alert

    assert (first.language, first.headline) == ("en-US", "Storm in Ogre municipality")
    assert (second.language, second.headline) == ("ru", "Шторм")


def test_a_second_import_returns_the_stored_alert(coordinator: User, officer: User) -> None:
    first = import_cap(coordinator, data=storm_xml(), source=UPLOAD)

    again = import_cap(officer, data=storm_xml(), source=ExternalAlert.Source.API)

    assert not again.created
    assert again.alert.pk == first.alert.pk
    assert ExternalAlert.objects.count() == 1
    assert ExternalAlert.objects.get().imported_by == coordinator


def test_the_same_identifier_sent_at_another_time_is_another_alert(coordinator: User) -> None:
    import_cap(coordinator, data=storm_xml(), source=UPLOAD)

    later = storm_xml(sent=SENT.replace(hour=11))
    result = import_cap(coordinator, data=later, source=UPLOAD)

    assert result.created
    assert ExternalAlert.objects.count() == 2


def test_it_audits_the_import(coordinator: User) -> None:
    stored = import_cap(coordinator, data=storm_xml(), source=UPLOAD).alert

    entry = AuditEntry.objects.get(object_type="alerts.externalalert", object_id=str(stored.pk))
    assert entry.action == AuditEntry.Action.IMPORT
    assert entry.actor == coordinator
    assert entry.changes["identifier"] == [None, "lvgmc-storm-1"]


def test_a_refused_document_stores_nothing(coordinator: User) -> None:
    with pytest.raises(CapError) as refused:
        import_cap(coordinator, data=CAP_1_1, source=UPLOAD)

    assert refused.value.code == ErrorCode.UNSUPPORTED_VERSION
    assert not ExternalAlert.objects.exists()
    assert not AuditEntry.objects.filter(object_type="alerts.externalalert").exists()


def test_an_over_long_identifier_is_refused_with_the_reason(coordinator: User) -> None:
    with pytest.raises(CapError) as refused:
        import_cap(coordinator, data=storm_xml("x" * 501), source=UPLOAD)

    assert refused.value.code == ErrorCode.RULE_BROKEN
    assert "501 characters" in refused.value.reason
    assert not ExternalAlert.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer", "admin_b"])
def test_people_who_do_not_write_alerts_may_not_import(
    who: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        import_cap(request.getfixturevalue(who), data=storm_xml(), source=UPLOAD)

    assert not ExternalAlert.objects.exists()


def test_the_system_imports_only_for_subscriptions(db: None) -> None:
    with pytest.raises(PermissionDenied):
        import_cap(None, data=storm_xml(), source=UPLOAD)

    result = import_cap(None, data=storm_xml(), source=ExternalAlert.Source.FEED)

    assert result.created and result.alert.imported_by is None
