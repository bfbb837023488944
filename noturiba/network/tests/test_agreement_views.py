from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Agreement, Institution, Organisation
from noturiba.network.tests.page_helpers import english  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def agreement(org_a: Organisation, ogre_commission: Institution) -> Agreement:
    return Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Senioru apzināšana krīzē",
        signed_on=datetime.date(2024, 5, 1),
    )


def test_the_coordinator_creates_an_agreement(
    client_coordinator: Client,
    coordinator: User,
    org_a: Organisation,
    ogre_commission: Institution,
) -> None:
    url = reverse("network:agreement_create", args=[org_a.pk])
    assert ogre_commission.name in client_coordinator.get(url).content.decode()
    response = client_coordinator.post(
        url,
        {
            "institution": ogre_commission.pk,
            "scope": "Pirmā palīdzība plūdu laikā",
            "signed_on": "2025-02-01",
            "valid_until": "2027-01-31",
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.organisation, agreement.institution) == (org_a, ogre_commission)
    assert agreement.valid_until == datetime.date(2027, 1, 31)
    entry = AuditEntry.objects.get(object_type="network.agreement")
    assert entry.actor == coordinator and entry.action == AuditEntry.Action.CREATE


def test_an_agreement_cannot_end_before_it_was_signed(
    client_coordinator: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    response = client_coordinator.post(
        reverse("network:agreement_create", args=[org_a.pk]),
        {
            "institution": ogre_commission.pk,
            "scope": "Atpakaļ laikā",
            "signed_on": "2025-02-01",
            "valid_until": "2025-01-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_valid_until_error"' in body and "cannot end before" in body
    assert not Agreement.objects.exists()


def test_the_coordinator_edits_an_agreement_and_the_audit_says_what_changed(
    client_coordinator: Client, agreement: Agreement
) -> None:
    url = reverse("network:agreement_edit", args=[agreement.pk])
    form = client_coordinator.get(url).content.decode()
    assert 'value="2024-05-01"' in form and 'name="institution"' not in form
    response = client_coordinator.post(
        url, {"scope": agreement.scope, "signed_on": "2024-05-01", "valid_until": "2024-12-31"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="network.agreement", object_id=agreement.pk)
    assert entry.changes == {"valid_until": [None, "2024-12-31"]}


def test_the_edited_agreement_shows_as_expired(
    client_coordinator: Client, agreement: Agreement
) -> None:
    agreement.valid_until = datetime.date(2024, 12, 31)
    agreement.save()
    body = client_coordinator.get(
        reverse("network:organisation", args=[agreement.organisation_id])
    ).content.decode()
    assert ">expired</span>" in body


def test_the_coordinator_deletes_an_agreement_after_confirming(
    client_coordinator: Client, agreement: Agreement
) -> None:
    url = reverse("network:agreement_delete", args=[agreement.pk])
    assert "Delete agreement" in client_coordinator.get(url).content.decode()
    assert client_coordinator.post(url).status_code == 302
    assert not Agreement.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="network.agreement", action=AuditEntry.Action.DELETE
    ).exists()


def test_the_institutions_officer_sees_it_but_may_not_change_it(
    client_officer: Client, agreement: Agreement
) -> None:
    page = client_officer.get(reverse("network:institution", args=[agreement.institution_id]))
    assert agreement.scope in page.content.decode()
    for name in ("network:agreement_edit", "network:agreement_delete"):
        response = client_officer.post(
            reverse(name, args=[agreement.pk]),
            {"scope": "Mainīts", "signed_on": "2024-05-01"},
        )
        assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.scope == "Senioru apzināšana krīzē"


def test_an_outsider_gets_404_and_no_scope(client_admin_b: Client, agreement: Agreement) -> None:
    response = client_admin_b.get(reverse("network:agreement_edit", args=[agreement.pk]))
    assert response.status_code == 404
    assert agreement.scope not in response.content.decode()


def test_an_organisation_admin_may_not_create_agreements(
    client_admin_a: Client, org_a: Organisation, ogre_commission: Institution
) -> None:
    response = client_admin_a.post(
        reverse("network:agreement_create", args=[org_a.pk]),
        {"institution": ogre_commission.pk, "scope": "Pašu", "signed_on": "2025-01-01"},
    )
    assert response.status_code == 403
    assert not Agreement.objects.exists()
