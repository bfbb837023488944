from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import municipality
from noturiba.network.models import CapabilityType, Organisation, TargetGroup
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")

CREATE = reverse("network:organisation_create")


def edit_url(organisation: Organisation) -> str:
    return reverse("network:organisation_edit", args=[organisation.pk])


def form_data(**overrides: Any) -> dict[str, Any]:
    """A complete POST of the organisation form: fields plus one line per capability."""
    data: dict[str, Any] = {
        "name": "Valmieras Krīzes komanda",
        "registration_number": "40008000077",
        "legal_form": "association",
        "scope": "local",
        "description": "Loģistika un ģeneratori.",
        "website": "https://krize.example",
        "email": "info@krize.example",
        "phone": "26 000 077",
        "address": "Rīgas iela 1, Valmiera",
        "municipality": municipality("LV-113").pk,
        "latitude": "57.54108",
        "longitude": "25.42751",
        "municipalities": [municipality("LV-113").pk],
        "target_groups": [TargetGroup.objects.get(code="seniors").pk],
        "is_public": "on",
    }
    for capability in CapabilityType.objects.all():
        prefix = f"capability-{capability.code}"
        data[f"{prefix}-quantity"] = ""
        data[f"{prefix}-startup_hours"] = ""
        data[f"{prefix}-availability"] = ""
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_coordinator_creates_an_organisation_with_capabilities(
    client_coordinator: Client, coordinator: User
) -> None:
    response = client_coordinator.post(
        CREATE,
        form_data(
            **{
                "capability-power_generators-offered": "on",
                "capability-power_generators-quantity": "15",
                "capability-power_generators-startup_hours": "4",
                "capability-power_generators-availability": "Ar degvielu 24 h",
            }
        ),
        follow=True,
    )
    organisation = Organisation.objects.get(name="Valmieras Krīzes komanda")
    assert response.redirect_chain[-1][0] == reverse("network:organisation", args=[organisation.pk])
    assert "Saved." in response.content.decode()
    assert organisation.phone == "+37126000077"
    assert list(organisation.municipalities.values_list("code", flat=True)) == ["LV-113"]
    [generators] = organisation.capabilities.all()
    assert (generators.capability.code, generators.quantity, generators.startup_hours) == (
        "power_generators",
        15,
        4,
    )
    entries = AuditEntry.objects.filter(object_type="network.organisation", actor=coordinator)
    assert entries.filter(action=AuditEntry.Action.CREATE).count() == 1
    assert entries.filter(changes__has_key="capability:power_generators").count() == 1


def test_the_form_shows_the_catalogue_and_the_current_values(
    client_admin_a: Client, org_a: Organisation
) -> None:
    body = client_admin_a.get(edit_url(org_a)).content.decode()
    assert 'value="Ogres Samariešu biedrība"' in body
    assert (
        'name="capability-first_aid-offered" id="id_capability-first_aid-offered" checked' in body
    )
    assert 'name="capability-transport-quantity"' in body
    assert 'type="checkbox" name="municipalities"' in body


def test_the_organisation_admin_edits_their_own_and_the_audit_says_what_changed(
    client_admin_a: Client, admin_a: User, org_a: Organisation
) -> None:
    data = form_data(
        name="Ogres Samarieši",
        registration_number="40008000001",
        municipality=municipality("LV-067").pk,
        municipalities=[municipality("LV-067").pk],
        **{
            "capability-first_aid-offered": "on",
            "capability-first_aid-quantity": "12",
            "capability-first_aid-startup_hours": "2",
        },
    )
    response = client_admin_a.post(edit_url(org_a), data)
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.name == "Ogres Samarieši"
    [entry] = AuditEntry.objects.filter(object_type="network.organisation", object_id=org_a.pk)
    assert entry.actor == admin_a
    assert entry.changes["name"] == ["Ogres Samariešu biedrība", "Ogres Samarieši"]
    # The unchanged first-aid line did not produce a capability change.
    assert not any(key.startswith("capability:") for key in entry.changes)


def test_unticking_a_capability_removes_it(client_admin_a: Client, org_a: Organisation) -> None:
    data = form_data(
        name=org_a.name,
        registration_number="40008000001",
        municipalities=[municipality("LV-067").pk],
    )
    assert client_admin_a.post(edit_url(org_a), data).status_code == 302
    assert not org_a.capabilities.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("registration_number", "12345", "11 digits"),
        ("registration_number", "40008000001", "already exists"),
        ("phone", "555", "Enter a phone number"),
        ("latitude", "123", "less than or equal to 90"),
        ("name", "", "This field is required"),
    ],
)
def test_it_shows_errors_next_to_the_fields(
    client_coordinator: Client,
    org_a: Organisation,
    field: str,
    value: str,
    message: str,
) -> None:
    response = client_coordinator.post(CREATE, form_data(**{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error\b', body)
    assert not Organisation.objects.filter(name="Valmieras Krīzes komanda").exists()


def test_a_capability_ticked_without_a_quantity_is_an_error(
    client_coordinator: Client, reference: None
) -> None:
    response = client_coordinator.post(CREATE, form_data(**{"capability-food-offered": "on"}))
    assert response.status_code == 200
    assert "Enter how much you can offer" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_foreign_admin_can_neither_see_nor_post_the_form(
    client_admin_b: Client, org_a: Organisation
) -> None:
    response = client_admin_b.post(edit_url(org_a), form_data(name="Pārņemta"))
    assert response.status_code == 403
    assert org_a.email not in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.name == "Ogres Samariešu biedrība"
    assert not AuditEntry.objects.exists()


def test_an_organisation_admin_may_not_create(client_admin_a: Client) -> None:
    assert client_admin_a.post(CREATE, form_data()).status_code == 403
    assert not Organisation.objects.filter(name="Valmieras Krīzes komanda").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, org_a: Organisation) -> None:
    response = client.post(edit_url(org_a), form_data(name="Pārņemta"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_coordinator_deletes_after_confirming(
    client_coordinator: Client, org_a: Organisation
) -> None:
    url = reverse("network:organisation_delete", args=[org_a.pk])
    confirm = client_coordinator.get(url)
    assert confirm.status_code == 200 and "Delete organisation" in confirm.content.decode()
    assert Organisation.objects.filter(pk=org_a.pk).exists()
    response = client_coordinator.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("network:directory")
    assert not Organisation.objects.filter(pk=org_a.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="network.organisation", action=AuditEntry.Action.DELETE
    ).exists()


def test_an_organisation_admin_may_not_delete(client_admin_a: Client, org_a: Organisation) -> None:
    url = reverse("network:organisation_delete", args=[org_a.pk])
    assert client_admin_a.post(url).status_code == 403
    assert Organisation.objects.filter(pk=org_a.pk).exists()


def test_municipalities_are_offered_in_latvian_alphabetical_order(
    client_coordinator: Client, org_a: Organisation
) -> None:
    body = client_coordinator.get(
        reverse("network:organisation_edit", args=[org_a.pk])
    ).content.decode()
    aizkraukle, adazi, balvi = (
        body.index(f"{name} Municipality") for name in ("Aizkraukle", "Ādaži", "Balvi")
    )
    assert aizkraukle < adazi < balvi
    assert body.index("Kuldīga Municipality") < body.index("Ķekava Municipality")
