from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for, municipality
from noturiba.network.models import Institution
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")

LIST = reverse("network:institutions")


@pytest.fixture
def client_trainer(trainer: User) -> Client:
    return client_for(trainer)


def institution_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "VUGD Kurzemes reģiona pārvalde",
        "kind": "fire_rescue",
        "municipalities": [municipality("LV-LPX").pk, municipality("LV-112").pk],
        "email": "kurzeme@vugd.example",
        "phone": "+371 63 400 000",
        "website": "",
        "address": "",
        **overrides,
    }


def test_signed_in_users_see_the_list_with_jurisdictions(
    client_trainer: Client, ogre_commission: Institution
) -> None:
    response = client_trainer.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert ogre_commission.name in body and "Ogre" in body
    assert reverse("network:institution_create") not in body


def test_the_list_is_for_signed_in_users_only(client: Client, ogre_commission: Institution) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert ogre_commission.name not in response.content.decode()


def test_the_list_costs_the_same_for_any_number_of_institutions(
    client_coordinator: Client, reference: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            institution = Institution.objects.create(name=f"Iestāde {number:02d}", kind="other")
            institution.municipalities.set([municipality("LV-RIX")])

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        client_coordinator.get(LIST)
    add(20, 2)
    with django_assert_num_queries(len(few)):
        client_coordinator.get(LIST)


def test_the_detail_page_shows_officers_to_those_allowed(
    client_coordinator: Client, client_trainer: Client, officer: User, ogre_commission: Institution
) -> None:
    url = reverse("network:institution", args=[ogre_commission.pk])
    assert officer.full_name in client_coordinator.get(url).content.decode()
    body = client_trainer.get(url).content.decode()
    assert ogre_commission.name in body and officer.full_name not in body


def test_the_coordinator_creates_an_institution(
    client_coordinator: Client, coordinator: User, reference: None
) -> None:
    response = client_coordinator.post(reverse("network:institution_create"), institution_data())
    institution = Institution.objects.get(name="VUGD Kurzemes reģiona pārvalde")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:institution", args=[institution.pk])
    assert institution.phone == "+37163400000"
    assert set(institution.municipalities.values_list("code", flat=True)) == {"LV-LPX", "LV-112"}
    assert AuditEntry.objects.get(object_type="network.institution").actor == coordinator


def test_the_coordinator_edits_an_institution(
    client_coordinator: Client, ogre_commission: Institution
) -> None:
    url = reverse("network:institution_edit", args=[ogre_commission.pk])
    assert ogre_commission.name in client_coordinator.get(url).content.decode()
    response = client_coordinator.post(
        url,
        institution_data(
            name=ogre_commission.name,
            kind="municipality",
            is_national="",
            municipalities=[municipality("LV-067").pk, municipality("LV-007").pk],
        ),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="network.institution", object_id=ogre_commission.pk)
    assert entry.changes["municipalities"] == [["LV-067"], ["LV-007", "LV-067"]]


def test_an_invalid_phone_is_shown_next_to_the_field(
    client_coordinator: Client, reference: None
) -> None:
    response = client_coordinator.post(
        reverse("network:institution_create"), institution_data(phone="000")
    )
    assert response.status_code == 200
    assert 'id="id_phone_error"' in response.content.decode()
    assert not Institution.objects.exists()


@pytest.mark.parametrize("client_name", ["client_admin_a", "client_officer"])
def test_others_may_not_create_or_edit(
    request: pytest.FixtureRequest, ogre_commission: Institution, client_name: str
) -> None:
    client: Client = request.getfixturevalue(client_name)
    create = client.post(reverse("network:institution_create"), institution_data())
    assert create.status_code == 403
    edit = client.post(
        reverse("network:institution_edit", args=[ogre_commission.pk]),
        institution_data(name="Pārdēvēta"),
    )
    assert edit.status_code == 403
    assert list(Institution.objects.values_list("name", flat=True)) == [ogre_commission.name]
