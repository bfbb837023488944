"""Assistance requests in the admin site: coordinators look, nobody edits (actions write)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.assistance.models import Claim
from noturiba.assistance.tests.requests_data import make_request
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db

MODELS = [
    "assistancerequest",
    "requestline",
    "offer",
    "claim",
    "claimupdate",
    "claimphoto",
    "transferrequest",
    "invitation",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_coordinator_sees_every_list_and_adds_nothing(
    client_coordinator: Client, org_a: Organisation, model: str
) -> None:
    need = make_request(lines=[("transport", 10, 3)])
    Claim.objects.create(line=need.lines.get(), organisation=org_a, quantity=Decimal(3))
    assert (
        client_coordinator.get(reverse(f"admin:assistance_{model}_changelist")).status_code == 200
    )
    assert client_coordinator.get(reverse(f"admin:assistance_{model}_add")).status_code == 403


def test_a_request_opens_read_only_with_its_lines(
    client_coordinator: Client, reference: None
) -> None:
    need = make_request(title="Sandbags for Ogre")
    response = client_coordinator.get(
        reverse("admin:assistance_assistancerequest_change", args=[need.pk])
    )
    assert response.status_code == 200
    assert "Sandbags for Ogre" in response.content.decode()
    response = client_coordinator.post(
        reverse("admin:assistance_assistancerequest_change", args=[need.pk]), {"title": "x"}
    )
    assert response.status_code == 403
