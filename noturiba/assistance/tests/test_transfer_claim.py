"""Handing a claim over: another organisation's admin asks, the holder's admins approve or
decline; the line's claimed quantity does not change."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, TransferRequest
from noturiba.assistance.tests.claims_support import Mailbox, mailbox, make_line
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]


def claim_of_a(admin_a: User, org_a: Organisation, officer: User) -> Claim:
    line = make_line(created_by=officer)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(4))
    return Claim.objects.get(offer=offer)


def test_an_approved_transfer_moves_the_claim(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    transfer = actions.request_transfer(
        admin_b, claim=claim, to_organisation=org_b, note="Esam tuvāk"
    )

    new = actions.approve_transfer(admin_a, transfer=transfer)

    claim.refresh_from_db()
    transfer.refresh_from_db()
    assert (claim.state, transfer.state, transfer.decided_by) == (
        "transferred",
        "approved",
        admin_a,
    )
    assert (new.organisation, new.quantity, new.state, new.transferred_from) == (
        org_b,
        4,
        "claimed",
        claim,
    )
    assert new.claimed_by == admin_b
    claim.line.refresh_from_db()
    assert claim.line.claimed == 4


def test_the_holders_admins_are_told_of_a_request(
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)

    with django_capture_on_commit_callbacks(execute=True):
        actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    [message] = mailbox.messages()
    assert message["To"] == "admin.a@noturiba.example"
    assert org_b.name in message["Subject"]
    assert f"/requests/claims/{claim.pk}/" in message.get_content()


def test_one_pending_request_per_claim(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    with pytest.raises(ValidationError) as refused:
        actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)
    assert refused.value.code == actions.TRANSFER_PENDING


def test_a_declined_request_leaves_the_claim(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    transfer = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    actions.decline_transfer(admin_a, transfer=transfer, reason="Jau braucam")

    claim.refresh_from_db()
    assert (claim.state, claim.organisation) == ("claimed", org_a)
    assert TransferRequest.objects.get().state == "declined"
    with pytest.raises(ValidationError):
        actions.approve_transfer(admin_a, transfer=transfer)
    # A new request may follow once the first is answered.
    actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)


def test_the_asker_withdraws_and_only_the_holder_answers(
    admin_a: User,
    member_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    transfer = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    for outsider in (admin_b, member_a, officer):
        with pytest.raises(PermissionDenied):
            actions.approve_transfer(outsider, transfer=transfer)
    with pytest.raises(PermissionDenied):
        actions.withdraw_transfer(admin_a, transfer=transfer)
    actions.withdraw_transfer(admin_b, transfer=transfer)

    assert TransferRequest.objects.get().state == "withdrawn"


def test_one_cannot_ask_for_ones_own_claim_nor_for_a_finished_one(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    with pytest.raises(ValidationError):
        actions.request_transfer(admin_a, claim=claim, to_organisation=org_a)
    with pytest.raises(PermissionDenied):
        actions.request_transfer(admin_b, claim=claim, to_organisation=org_a)
    actions.update_claim(admin_a, claim=claim, state="done")
    with pytest.raises(ValidationError):
        actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)


def test_finishing_a_claim_closes_its_pending_request(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    transfer = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    actions.release_claim(admin_a, claim=claim, reason="Atsaucam")

    transfer.refresh_from_db()
    assert transfer.state == "declined"
