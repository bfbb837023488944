"""Adding and editing shelters: coordinators anywhere, officers in their jurisdiction; capacities
are computed from the floor area and shown; coordinates both or neither, inside Latvia."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.audit.models import AuditEntry
from noturiba.network.models import Municipality, Organisation
from noturiba.shelters.models import Shelter

pytestmark = pytest.mark.usefixtures("english")


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Ogres 1. vidusskolas patvertne",
        "kind": "shelter",
        "address": "Zinību iela 3",
        "municipality": Municipality.objects.get(code="LV-067").pk,
        "latitude": "56.81620",
        "longitude": "24.61400",
        "contact_phone": "20 000 000",
        "floor_area": "75",
        "step_free": "on",
        "wheelchair_spaces": "2",
        "water": "on",
        "is_public": "on",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_officer_adds_a_shelter_and_sees_both_capacities(
    client_officer: Client, org_a: Organisation
) -> None:
    response = client_officer.post(
        reverse("shelters:add"), form_data(operator_organisation=org_a.pk), follow=True
    )

    assert response.status_code == 200
    shelter = Shelter.objects.get()
    assert shelter.contact_phone == "+37120000000"
    assert shelter.operator_organisation == org_a
    body = response.content.decode()
    assert "100 for a short stay, 21 for longer stays" in body
    assert AuditEntry.objects.filter(
        action="create", object_type="shelters.shelter", object_id=str(shelter.pk)
    ).exists()


def test_the_edit_page_shows_the_computed_capacities(
    client_officer: Client, ogre_shelter: Shelter
) -> None:
    body = client_officer.get(reverse("shelters:edit", args=[ogre_shelter.pk])).content.decode()
    assert "150 people (0.75 m² each)" in body
    assert "32 people (3.5 m² each)" in body
    assert 'name="short_stay_capacity"' not in body


def test_an_officer_may_not_add_outside_the_jurisdiction(client_officer: Client) -> None:
    riga = Municipality.objects.get(code="LV-RIX")
    response = client_officer.post(reverse("shelters:add"), form_data(municipality=riga.pk))
    assert response.status_code == 400
    assert not Shelter.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"longitude": ""}, "longitude", "Enter both the latitude and the longitude"),
        ({"latitude": ""}, "latitude", "Enter both the latitude and the longitude"),
        ({"latitude": "24.6", "longitude": "56.8"}, "latitude", "between 55.6 and 58.1"),
        ({"longitude": "30.1"}, "longitude", "between 20.9 and 28.3"),
        ({"contact_phone": "12"}, "contact_phone", "Enter a phone number"),
        ({"floor_area": "0"}, "floor_area", ""),
        ({"floor_area": "-5"}, "floor_area", ""),
        ({"floor_area": "abc"}, "floor_area", ""),
        ({"wheelchair_spaces": "-1"}, "wheelchair_spaces", ""),
        ({"name": ""}, "name", ""),
        ({"municipality": "999999"}, "municipality", ""),
    ],
)
def test_invalid_values_are_explained_and_nothing_is_saved(
    client_coordinator: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = client_coordinator.post(reverse("shelters:add"), form_data(**overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()  # the summary links to the field
    assert not Shelter.objects.exists()


def test_both_coordinates_may_be_left_empty(client_coordinator: Client) -> None:
    response = client_coordinator.post(
        reverse("shelters:add"), form_data(latitude="", longitude="")
    )
    assert response.status_code == 302
    assert not Shelter.objects.get().has_location


def test_an_organisation_and_an_institution_cannot_both_operate(
    client_coordinator: Client, org_a: Organisation, ogre_commission: Any
) -> None:
    response = client_coordinator.post(
        reverse("shelters:add"),
        form_data(operator_organisation=org_a.pk, operator_institution=ogre_commission.pk),
    )
    assert response.status_code == 400


def test_editing_changes_the_shelter_and_is_audited(
    client_officer: Client, ogre_shelter: Shelter
) -> None:
    response = client_officer.post(
        reverse("shelters:edit", args=[ogre_shelter.pk]),
        form_data(floor_area="30", operator_organisation=ogre_shelter.operator_organisation_id),
    )
    assert response.status_code == 302
    ogre_shelter.refresh_from_db()
    assert ogre_shelter.short_stay_capacity == 40
    entry = AuditEntry.objects.get(action="update", object_type="shelters.shelter")
    assert "floor_area" in entry.changes


@pytest.mark.parametrize("who", ["client_admin_a", "client_member_a", "client_admin_b"])
def test_organisations_may_neither_add_nor_edit(
    request: pytest.FixtureRequest, who: str, ogre_shelter: Shelter
) -> None:
    client: Client = request.getfixturevalue(who)
    assert client.get(reverse("shelters:add")).status_code == 403
    assert client.post(reverse("shelters:add"), form_data()).status_code == 403
    assert client.get(reverse("shelters:edit", args=[ogre_shelter.pk])).status_code == 403


def test_an_officer_elsewhere_cannot_edit(client_officer: Client, liepaja_hidden: Shelter) -> None:
    assert client_officer.get(reverse("shelters:edit", args=[liepaja_hidden.pk])).status_code == 404
