"""Relaying a received alert to the network in one step: a new alert, created and sent."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import import_cap, relay_external_alert
from noturiba.alerts.models import Alert, Delivery, ExternalAlert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.alerts.tests.cap_support import storm_xml
from noturiba.lib import cap
from noturiba.network.models import Municipality, Organisation, TargetGroup


def received(actor: User, **options: object) -> ExternalAlert:
    data = storm_xml(**options)  # type: ignore[arg-type]
    return import_cap(actor, data=data, source=ExternalAlert.Source.UPLOAD).alert


def test_a_coordinator_relays_to_a_municipality_and_target_group(
    client_coordinator: Client,
    coordinator: User,
    admin_a: User,
    member_a: User,
    org_a: Organisation,
) -> None:
    external = received(coordinator)
    ogre = Municipality.objects.get(code="LV-067")
    seniors = TargetGroup.objects.get(code="seniors")

    response = client_coordinator.post(
        reverse("alerts:external_relay", args=[external.pk]),
        {"municipalities": [ogre.pk], "target_groups": [seniors.pk]},
    )

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:detail", args=[alert.pk])
    assert alert.relayed_from == external
    assert alert.state in {Alert.State.SENDING, Alert.State.SENT}
    assert alert.status == "Actual" and alert.msg_type == "Alert"
    assert alert.headline == "Vētra Ogres novadā"
    assert alert.instruction == "Palieciet telpās."
    assert (alert.category, alert.urgency, alert.severity) == ("Met", "Expected", "Severe")
    assert list(alert.municipalities.all()) == [ogre]
    filters = AudienceFilters.from_json(alert.audience)
    assert filters.municipalities == {ogre.pk}
    assert filters.target_groups == {seniors.pk}
    people = set(Delivery.objects.filter(alert=alert).values_list("person__email", flat=True))
    assert people == {admin_a.email, member_a.email}


def test_an_exercise_stays_an_exercise(officer: User, org_a: Organisation) -> None:
    external = received(officer, status=cap.Status.EXERCISE)

    alert = relay_external_alert(
        officer, external=external, municipalities=[Municipality.objects.get(code="LV-067")]
    )

    assert alert.status == "Exercise"
    assert alert.created_by == officer


def test_an_officer_may_not_relay_outside_the_jurisdiction(
    client_officer: Client, officer: User
) -> None:
    external = received(officer)
    liepaja = Municipality.objects.get(code="LV-LPX")

    response = client_officer.post(
        reverse("alerts:external_relay", args=[external.pk]), {"municipalities": [liepaja.pk]}
    )

    assert response.status_code == 400
    assert not Alert.objects.exists()
    choices = response.context["form"].fields["municipalities"].queryset
    assert list(choices.values_list("code", flat=True)) == ["LV-067"]


def test_a_cancelled_alert_is_not_relayed(client_coordinator: Client, coordinator: User) -> None:
    external = received(coordinator)
    ExternalAlert.objects.filter(pk=external.pk).update(cancelled=True)

    response = client_coordinator.post(
        reverse("alerts:external_relay", args=[external.pk]),
        {"municipalities": [Municipality.objects.get(code="LV-067").pk]},
    )

    assert response.status_code == 400
    assert not Alert.objects.exists()


def test_members_and_anonymous_cannot_relay(
    client_member_a: Client, client: Client, coordinator: User
) -> None:
    external = received(coordinator)
    url = reverse("alerts:external_relay", args=[external.pk])
    data = {"municipalities": [Municipality.objects.get(code="LV-067").pk]}

    assert client_member_a.post(url, data).status_code == 403
    assert client.post(url, data).status_code == 302
    assert not Alert.objects.exists()


def test_with_two_person_approval_the_relay_waits_for_it(
    client_coordinator: Client, coordinator: User, settings: Any, english: None
) -> None:
    settings.ALERT_TWO_PERSON_APPROVAL = True
    external = received(coordinator)

    response = client_coordinator.post(
        reverse("alerts:external_relay", args=[external.pk]),
        {"municipalities": [Municipality.objects.get(code="LV-067").pk]},
        follow=True,
    )

    alert = Alert.objects.get()
    assert alert.state == Alert.State.AWAITING_APPROVAL
    assert not Delivery.objects.exists()
    assert "waits for a second person" in response.content.decode()
