"""Offering and claiming part of a line: at once without approval, waiting with approval,
never beyond what remains."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import AssistanceRequest, Claim, Offer
from noturiba.assistance.tests.claims_support import make_line, make_organisation
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Organisation
from noturiba.network.reference_data import load_reference

pytestmark = pytest.mark.django_db


def test_an_offer_becomes_a_claim_at_once_without_approval(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)

    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(4))

    assert offer.state == Offer.State.ACCEPTED
    claim = Claim.objects.get(offer=offer)
    assert (claim.organisation, claim.quantity, claim.state) == (org_a, 4, "claimed")
    line.refresh_from_db()
    assert (line.claimed, line.remaining) == (4, 6)
    assert claim.updates.get().state == "claimed"
    assert AuditEntry.objects.filter(object_type="assistance.claim", object_id=str(claim.pk))


def test_an_offer_waits_when_the_request_needs_approval(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)

    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(4))

    assert offer.state == Offer.State.PENDING
    assert not Claim.objects.exists()
    line.refresh_from_db()
    assert line.claimed == 0


@pytest.mark.usefixtures("english")
def test_more_than_remains_is_refused_naming_the_remaining_quantity(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(7))

    with pytest.raises(ValidationError) as refused:
        actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(4))

    assert refused.value.code == actions.OVER_CLAIMED
    assert "Only 3 seats remain" in refused.value.messages[0]
    line.refresh_from_db()
    assert line.claimed == 7
    assert Claim.objects.count() == 1


@pytest.mark.usefixtures("english")
def test_a_fully_claimed_line_says_nothing_remains(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(quantity=2, created_by=officer)
    actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(2))

    with pytest.raises(ValidationError, match="fully claimed"):
        actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(1))


def test_a_member_may_not_offer(member_a: User, org_a: Organisation, officer: User) -> None:
    line = make_line(created_by=officer)

    with pytest.raises(PermissionDenied):
        actions.offer_line_part(member_a, line=line, organisation=org_a, quantity=Decimal(1))


def test_an_admin_may_not_offer_for_another_organisation(
    admin_a: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)

    with pytest.raises(PermissionDenied):
        actions.offer_line_part(admin_a, line=line, organisation=org_b, quantity=Decimal(1))


def test_an_invisible_request_takes_no_offer(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offered_to_network=False)

    with pytest.raises(PermissionDenied):
        actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(1))


def test_a_closed_request_takes_no_offer(
    admin_a: User, org_a: Organisation, coordinator: User
) -> None:
    line = make_line(created_by=coordinator)
    actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(1))
    # Still visible to org A through its claim once closed.
    AssistanceRequest.objects.filter(pk=line.request_id).update(state="closed")

    with pytest.raises(ValidationError) as refused:
        actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(1))
    assert refused.value.code == actions.NOT_OPEN


@pytest.mark.parametrize("quantity", [Decimal(0), Decimal(-1), Decimal("0.001")])
def test_a_quantity_must_be_positive_with_two_decimals(
    admin_a: User, org_a: Organisation, officer: User, quantity: Decimal
) -> None:
    line = make_line(created_by=officer)

    with pytest.raises(ValidationError) as refused:
        actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=quantity)
    assert refused.value.code == actions.INVALID_QUANTITY


def test_a_manager_accepts_less_than_offered(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))

    claim = actions.accept_offer(officer, offer=offer, quantity=Decimal(5))

    assert (claim.quantity, claim.offer, claim.claimed_by) == (5, offer, admin_a)
    line.refresh_from_db()
    assert line.claimed == 5
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED


@pytest.mark.usefixtures("english")
def test_accepting_is_refused_when_the_line_filled_meanwhile(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    first = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))
    second = actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(6))
    actions.accept_offer(officer, offer=first)

    with pytest.raises(ValidationError, match="Only 4 seats remain"):
        actions.accept_offer(officer, offer=second)
    second.refresh_from_db()
    assert second.state == Offer.State.PENDING


def test_an_organisation_may_not_accept_its_own_offer(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(2))

    with pytest.raises(PermissionDenied):
        actions.accept_offer(admin_a, offer=offer)


def test_declining_needs_a_reason_and_keeps_it(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(2))

    with pytest.raises(ValidationError):
        actions.decline_offer(officer, offer=offer, reason=" ")
    actions.decline_offer(officer, offer=offer, reason="Jau nokārtots")

    offer.refresh_from_db()
    assert (offer.state, offer.decision_note, offer.decided_by) == (
        "declined",
        "Jau nokārtots",
        officer,
    )


def test_the_offering_admin_withdraws_a_pending_offer_once(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(2))

    actions.withdraw_offer(admin_a, offer=offer)

    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    with pytest.raises(ValidationError):
        actions.withdraw_offer(admin_a, offer=offer)
    with pytest.raises(ValidationError):
        actions.accept_offer(officer, offer=offer)


class ClaimsNeverExceedTheLine(TestCase):
    """Whatever sequence of offers, the line's claimed equals the sum of active claims and
    never exceeds its quantity."""

    @given(
        quantity=st.integers(min_value=1, max_value=20),
        offers=st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=8),
    )
    def test_claimed_is_the_sum_of_active_claims(self, quantity: int, offers: list[int]) -> None:
        if not Organisation.objects.exists():
            load_reference()
        organisation, admin = make_organisation("Palīgi")
        line = make_line(quantity=quantity)
        accepted = 0
        for wanted in offers:
            try:
                actions.offer_line_part(
                    admin, line=line, organisation=organisation, quantity=Decimal(wanted)
                )
            except ValidationError:
                assert accepted + wanted > quantity
            else:
                accepted += wanted
        line.refresh_from_db()
        active = sum(c.quantity for c in Claim.objects.filter(line=line, state__in=Claim.ACTIVE))
        assert line.claimed == active == accepted <= quantity
