"""The compose page: who may open it, templates and follow-ups pre-filled, saving a draft."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert, send_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.tests.compose_support import form_data, liepaja_id, ogre_id
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db

URL = "/alerts/new/"


def test_the_url_is_named() -> None:
    assert reverse("alerts:compose") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(URL, form_data()).status_code == 302
    assert not Alert.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_people_who_do_not_write_alerts_are_refused(who: str, request: Any) -> None:
    client = client_for(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert b"Ogre" not in response.content
    assert client.post(URL, form_data()).status_code == 403
    assert not Alert.objects.exists()


def test_a_coordinator_sees_every_field_templates_and_all_municipalities(
    client_coordinator: Client, english: None
) -> None:
    response = client_coordinator.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for name in [
        "status",
        "msg_type",
        "references",
        "scope",
        "category",
        "event",
        "urgency",
        "severity",
        "certainty",
        "headline",
        "description",
        "instruction",
        "web",
        "effective",
        "expires",
        "municipalities",
        "area_polygon",
        "area_circle",
        "headline_en",
        "description_en",
        "instruction_en",
        "escalate_after_minutes",
        "audience_municipalities",
        "target_groups",
        "capabilities",
        "roles",
        "organisations",
    ]:
        assert f'name="{name}"' in page, name
    assert 'value="30"' in page  # escalation default (settings.ALERT_ESCALATE_AFTER_MINUTES)
    for key in ["activate-network", "shelters-open", "welfare-checks", "stand-down"]:
        assert f"?template={key}" in page
    assert "Liepāja" in page and "Ogre" in page


def test_an_officer_is_offered_only_the_jurisdiction(client_officer: Client) -> None:
    response = client_officer.get(URL)
    assert response.status_code == 200
    area = response.context["form"].fields["municipalities"]
    assert [pk for pk, _label in area.choices] == [ogre_id()]
    audience = response.context["audience_form"].fields["audience_municipalities"]
    assert [pk for pk, _label in audience.choices] == [ogre_id()]


def test_a_template_fills_the_form(client_coordinator: Client) -> None:
    response = client_coordinator.get(URL, {"template": "activate-network"})
    form = response.context["form"]
    assert form.initial["headline"] == "Tīkls tiek aktivizēts: pārbaudiet gatavību"
    assert form.initial["headline_en"] == "The network is activated: check your readiness"
    assert "Tīkls tiek aktivizēts" in response.content.decode()


def test_an_unknown_template_or_reference_is_ignored(client_coordinator: Client) -> None:
    response = client_coordinator.get(URL, {"template": "nope", "references": "999999"})
    assert response.status_code == 200
    assert response.context["form"].initial.get("references") is None


def test_a_follow_up_copies_the_earlier_alert(
    client_coordinator: Client, coordinator: User, admin_a: User
) -> None:
    earlier = create_alert(
        coordinator,
        data={"status": "Exercise", "event": "Plūdi", "headline": "Plūdi Ogrē"},
        municipalities=[Municipality.objects.get(code="LV-067")],
    )
    send_alert(coordinator, alert=earlier)
    response = client_coordinator.get(
        URL, {"references": str(earlier.pk), "msg_type": "Cancel", "template": "stand-down"}
    )
    form = response.context["form"]
    assert form.initial["references"] == earlier.pk
    assert form.initial["msg_type"] == "Cancel"
    assert form.initial["municipalities"] == [ogre_id()]
    assert form.initial["headline"] == "Gatavība atcelta"


def test_a_draft_is_not_offered_as_the_alert_to_update(
    client_coordinator: Client, coordinator: User
) -> None:
    draft = create_alert(
        coordinator,
        data={"status": "Exercise", "event": "Plūdi", "headline": "Melnraksts"},
        municipalities=[Municipality.objects.get(code="LV-067")],
    )
    response = client_coordinator.post(URL, form_data(msg_type="Update", references=draft.pk))
    assert response.status_code == 400
    assert "references" in response.context["form"].errors
    assert Alert.objects.count() == 1


def test_saving_a_draft_leads_to_the_review_page(
    client_coordinator: Client, coordinator: User
) -> None:
    response = client_coordinator.post(
        URL,
        form_data(
            effective="2030-06-01T12:00",
            expires="2030-06-01T18:00",
            roles=["admin"],
            area_circle="56.8162,24.614 5",
        ),
    )
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:review", args=[alert.pk])
    assert alert.state == Alert.State.DRAFT and alert.created_by == coordinator
    assert alert.escalate_after == datetime.timedelta(minutes=30)
    assert alert.area_circle == "56.8162,24.614 5"
    assert alert.audience["roles"] == ["admin"]
    # Typed as Riga time: 12:00 in summer is 09:00 UTC.
    assert alert.effective == datetime.datetime(2030, 6, 1, 9, 0, tzinfo=datetime.UTC)
    assert list(alert.municipalities.values_list("pk", flat=True)) == [ogre_id()]
    assert AuditEntry.objects.filter(object_id=str(alert.pk), action="create").exists()


def test_zero_minutes_means_never_escalate(client_coordinator: Client) -> None:
    client_coordinator.post(URL, form_data(escalate_after_minutes="0"))
    assert Alert.objects.get().escalate_after is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("area_polygon", "56,24 57,25"),
        ("area_circle", "north of Ogre"),
        ("expires", "yesterday"),
        ("status", "System"),
        ("headline", ""),
        ("escalate_after_minutes", "-5"),
        ("municipalities", ["abc"]),
        ("roles", ["king"]),
    ],
)
def test_bad_input_is_shown_not_saved(client_coordinator: Client, field: str, value: Any) -> None:
    response = client_coordinator.post(URL, form_data(**{field: value}))
    assert response.status_code == 400
    assert not Alert.objects.exists()


def test_expires_before_effective_is_refused(client_coordinator: Client) -> None:
    response = client_coordinator.post(
        URL, form_data(effective="2030-06-01T12:00", expires="2030-06-01T11:00")
    )
    assert response.status_code == 400 and not Alert.objects.exists()


def test_an_officer_cannot_save_outside_the_jurisdiction(client_officer: Client) -> None:
    response = client_officer.post(URL, form_data(municipalities=[liepaja_id()]))
    assert response.status_code == 400
    assert not Alert.objects.exists()
    response = client_officer.post(URL, form_data(audience_municipalities=[liepaja_id()]))
    assert response.status_code == 400 and not Alert.objects.exists()
    assert client_officer.post(URL, form_data()).status_code == 302


def test_counting_without_javascript_shows_the_numbers_and_keeps_the_text(
    client_coordinator: Client, admin_a: User, member_a: User, admin_b: User, english: None
) -> None:
    response = client_coordinator.post(URL, form_data(action="count", headline="Kept text"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 people" in page and "Email: 2 messages" in page
    assert "Kept text" in page
    assert not Alert.objects.exists()


def test_an_expired_effective_date_far_in_the_past_is_refused(
    client_coordinator: Client,
) -> None:
    past = (timezone.localtime() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_coordinator.post(URL, form_data(expires=past))
    assert response.status_code == 400 and not Alert.objects.exists()
