"""Removing a line from an open request: only while no organisation has offered for or claimed
any of it; at least one line stays; the change is in the request's history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.assistance.actions.requests import update_request
from noturiba.assistance.models import AssistanceRequest, Claim, Invitation, Offer, RequestLine
from noturiba.assistance.tests.requests_data import edit_data, make_request
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(officer: User) -> AssistanceRequest:
    return make_request(
        lines=[("transport", 10, 0), ("translation", 4, 0), ("drinking_water", 500, 0)],
        created_by=officer,
    )


def line_of(request: AssistanceRequest, code: str) -> RequestLine:
    return request.lines.get(capability__code=code)


def codes(request: AssistanceRequest) -> list[str]:
    return [line.capability.code for line in request.lines.order_by("position")]


def test_a_line_nobody_answered_is_removed_with_its_invitations(
    officer: User, need: AssistanceRequest, org_a: Organisation
) -> None:
    translation = line_of(need, "translation")
    Invitation.objects.create(line=translation, organisation=org_a, rank=1, score=Decimal(50))

    update_request(officer, request=need, data={}, lines=[{"id": translation.pk, "remove": True}])

    assert codes(need) == ["transport", "drinking_water"]
    assert not Invitation.objects.filter(line_id=translation.pk).exists()
    entry = AuditEntry.objects.filter(
        object_id=str(need.pk), action=AuditEntry.Action.UPDATE
    ).latest("pk")
    before, after = entry.changes["lines"]
    assert len(before) == 3 and len(after) == 2


@pytest.mark.parametrize("state", [Claim.State.CLAIMED, Claim.State.RELEASED])
def test_a_line_with_a_claim_in_any_state_stays(
    officer: User, need: AssistanceRequest, org_a: Organisation, state: str, english: None
) -> None:
    transport = line_of(need, "transport")
    Claim.objects.create(line=transport, organisation=org_a, quantity=Decimal(2), state=state)

    with pytest.raises(ValidationError) as error:
        update_request(officer, request=need, data={}, lines=[{"id": transport.pk, "remove": True}])

    assert "cannot be removed" in " ".join(error.value.message_dict["lines.0.remove"])
    assert codes(need) == ["transport", "translation", "drinking_water"]


def test_a_line_with_an_offer_stays_and_nothing_else_changes(
    officer: User, need: AssistanceRequest, org_a: Organisation
) -> None:
    water = line_of(need, "drinking_water")
    Offer.objects.create(line=water, organisation=org_a, quantity=Decimal(100))

    with pytest.raises(ValidationError):
        update_request(
            officer,
            request=need,
            data={"title": "Changed"},
            lines=[
                {"id": line_of(need, "translation").pk, "remove": True},
                {"id": water.pk, "remove": True},
            ],
        )

    need.refresh_from_db()
    assert need.title != "Changed"
    assert codes(need) == ["transport", "translation", "drinking_water"]


def test_the_last_line_cannot_go_unless_another_is_added(
    officer: User, need: AssistanceRequest
) -> None:
    everything = [{"id": line.pk, "remove": True} for line in need.lines.all()]
    with pytest.raises(ValidationError) as error:
        update_request(officer, request=need, data={}, lines=everything)
    assert "lines" in error.value.message_dict
    assert len(codes(need)) == 3

    water = line_of(need, "transport").capability
    update_request(
        officer,
        request=need,
        data={},
        lines=[*everything, {"capability": water, "quantity": Decimal(3)}],
    )
    assert codes(need) == ["transport"]
    assert need.lines.get().quantity == 3


def test_the_edit_page_offers_removal_for_existing_lines_only(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    body = client_officer.get(reverse("assistance:edit", args=[need.pk])).content.decode()

    for index in range(3):
        assert f'name="lines-{index}-remove"' in body
    assert 'name="lines-3-remove"' not in body  # the blank row for a new line
    assert "Remove this line" in body


def test_the_edit_page_removes_a_line_or_says_why_not(
    client_officer: Client, need: AssistanceRequest, org_a: Organisation, english: None
) -> None:
    page = reverse("assistance:edit", args=[need.pk])
    Claim.objects.create(line=line_of(need, "transport"), organisation=org_a, quantity=Decimal(1))
    RequestLine.objects.filter(pk=line_of(need, "transport").pk).update(claimed=Decimal(1))

    refused = client_officer.post(page, edit_data(need, **{"lines-0-remove": "on"}))
    assert refused.status_code == 400
    assert "cannot be removed" in refused.content.decode()
    assert 'href="#id_lines-0-remove"' in refused.content.decode()

    response = client_officer.post(page, edit_data(need, **{"lines-1-remove": "on"}))
    assert response.status_code == 302
    assert codes(need) == ["transport", "drinking_water"]
