"""A claim moves claimed → under way → done, or to "could not" with a note; a release gives
the quantity back."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, RequestLine
from noturiba.assistance.tests.claims_support import (
    Mailbox,
    mailbox,
    make_line,
    make_organisation,
)
from noturiba.network.models import Municipality, Organisation
from noturiba.network.reference_data import load_reference

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]


def claim_of(admin: User, organisation: Organisation, line: RequestLine, quantity: int) -> Claim:
    offer = actions.offer_line_part(
        admin, line=line, organisation=organisation, quantity=Decimal(quantity)
    )
    return Claim.objects.get(offer=offer)


def test_a_member_moves_the_claim_on_until_done(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 4)
    before = claim.last_activity_at

    actions.update_claim(member_a, claim=claim, state="under_way", note="Izbraucam")
    actions.update_claim(member_a, claim=claim, state="done")

    claim.refresh_from_db()
    line.refresh_from_db()
    assert claim.state == "done"
    assert claim.last_activity_at > before
    assert (line.claimed, line.done) == (4, 4)
    assert [u.state for u in claim.updates.all()] == ["claimed", "under_way", "done"]


@pytest.mark.usefixtures("english")
def test_could_not_needs_a_note_and_gives_the_quantity_back(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 4)

    with pytest.raises(ValidationError, match="why it could not be done"):
        actions.update_claim(member_a, claim=claim, state="could_not")
    actions.update_claim(member_a, claim=claim, state="could_not", note="Auto salūza")

    line.refresh_from_db()
    assert (line.claimed, line.remaining) == (0, 10)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("path", "target"),
    [
        (["done"], "under_way"),
        (["under_way"], "claimed"),
        (["done"], "could_not"),
        ([], "released"),
        ([], "transferred"),
        ([], "nonsense"),
    ],
)
def test_invalid_transitions_are_refused(
    admin_a: User, org_a: Organisation, officer: User, path: list[str], target: str
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 2)
    for state in path:
        actions.update_claim(admin_a, claim=claim, state=state)

    with pytest.raises(ValidationError, match="cannot become") as refused:
        actions.update_claim(admin_a, claim=claim, state=target, note="x")
    assert refused.value.code == actions.INVALID_TRANSITION


def test_a_note_alone_keeps_the_state_and_counts_as_activity(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 2)

    actions.update_claim(admin_a, claim=claim, state="claimed", note="Gatavojamies")

    claim.refresh_from_db()
    assert claim.state == "claimed"
    assert claim.updates.filter(note="Gatavojamies").exists()
    with pytest.raises(ValidationError):
        actions.update_claim(admin_a, claim=claim, state="claimed")


def test_another_organisation_and_the_officer_may_not_report(
    admin_a: User, org_a: Organisation, admin_b: User, officer: User
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 2)

    for outsider in (admin_b, officer):
        with pytest.raises(PermissionDenied):
            actions.update_claim(outsider, claim=claim, state="under_way")


def test_a_coordinator_may_report(admin_a: User, org_a: Organisation, coordinator: User) -> None:
    line = make_line(created_by=coordinator)
    claim = claim_of(admin_a, org_a, line, 2)

    actions.update_claim(coordinator, claim=claim, state="under_way")

    assert Claim.objects.get(pk=claim.pk).state == "under_way"


def test_releasing_gives_the_quantity_back_and_tells_the_contact(
    admin_a: User,
    org_a: Organisation,
    officer: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    mailbox: Mailbox,
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 3)

    with django_capture_on_commit_callbacks(execute=True):
        actions.release_claim(admin_a, claim=claim, reason="Nav šoferu")

    line.refresh_from_db()
    claim.refresh_from_db()
    assert (claim.state, line.claimed) == ("released", 0)
    assert claim.updates.get(state="released").note == "Nav šoferu"
    recipients = sorted(str(message["To"]) for message in mailbox.messages())
    assert recipients == ["admin.a@noturiba.example", "kontakts@ogre.example"]
    assert all("Nav šoferu" in message.get_content() for message in mailbox.messages())


def test_the_manager_may_release_but_a_member_may_not(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 3)

    with pytest.raises(PermissionDenied):
        actions.release_claim(member_a, claim=claim, reason="x")
    with pytest.raises(ValidationError):
        actions.release_claim(officer, claim=claim, reason="")
    actions.release_claim(officer, claim=claim, reason="Vairs nav vajadzīgs")

    assert Claim.objects.get(pk=claim.pk).state == "released"


def test_a_done_claim_cannot_be_released(admin_a: User, org_a: Organisation, officer: User) -> None:
    line = make_line(created_by=officer)
    claim = claim_of(admin_a, org_a, line, 3)
    actions.update_claim(admin_a, claim=claim, state="done")

    with pytest.raises(ValidationError):
        actions.release_claim(admin_a, claim=claim, reason="x")
    line.refresh_from_db()
    assert (line.claimed, line.done) == (3, 3)


class LineFiguresFollowTheClaims(TestCase):
    """Whatever mix of claims, progress and releases, the line's ``claimed`` is the sum of its
    active claims, ``done`` the sum of its done claims, and neither goes past the quantity."""

    @given(
        steps=st.lists(
            st.tuples(
                st.sampled_from(["claim", "under_way", "done", "could_not", "release"]),
                st.integers(min_value=1, max_value=5),
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_claimed_and_done_match_the_claims(self, steps: list[tuple[str, int]]) -> None:
        if not Municipality.objects.exists():
            load_reference()
        organisation, admin = make_organisation("Palīgi")
        line = make_line(quantity=8)
        for step, number in steps:
            claims = list(Claim.objects.filter(line=line).order_by("id"))
            try:
                if step == "claim":
                    actions.offer_line_part(
                        admin, line=line, organisation=organisation, quantity=Decimal(number)
                    )
                elif claims:
                    claim = claims[number % len(claims)]
                    if step == "release":
                        actions.release_claim(admin, claim=claim, reason="x")
                    else:
                        actions.update_claim(admin, claim=claim, state=step, note="x")
            except ValidationError:
                pass
        line.refresh_from_db()
        active = Claim.objects.filter(line=line, state__in=Claim.ACTIVE)
        done = Claim.objects.filter(line=line, state=Claim.State.DONE)
        assert line.claimed == sum((c.quantity for c in active), Decimal(0))
        assert line.done == sum((c.quantity for c in done), Decimal(0))
        assert 0 <= line.done <= line.claimed <= line.quantity
