"""The offering organisation's admins are told by email when a request's manager accepts their
offer (and how much of it) or declines it (and why)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Offer, RequestLine
from noturiba.assistance.tests.claims_support import Mailbox, mailbox, make_line
from noturiba.network.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]

Capture = Callable[..., Any]


def speaks(user: User, language: str) -> None:
    Person.objects.filter(user=user).update(preferred_language=language)


def pending_offer(admin: User, organisation: Organisation, officer: User, quantity: int) -> Offer:
    line = make_line(created_by=officer, offers_need_approval=True)
    return actions.offer_line_part(
        admin, line=line, organisation=organisation, quantity=Decimal(quantity)
    )


def only_message(mailbox: Mailbox) -> tuple[EmailMessage, str]:
    [message] = mailbox.messages()
    body = message.get_content()
    assert isinstance(body, str)
    return message, body


def test_an_accepted_offer_is_told_to_each_admin_of_the_organisation_only(
    admin_a: User,
    member_a: User,
    org_a: Organisation,
    admin_b: User,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    second = Person.objects.create(full_name="Otrā Admine", email="otra@org-a.example")
    Membership.objects.create(person=second, organisation=org_a, role=Membership.Role.ADMIN)
    no_address = Person.objects.create(full_name="Bez Adreses", email="")
    Membership.objects.create(person=no_address, organisation=org_a, role=Membership.Role.ADMIN)
    speaks(admin_a, "en")
    offer = pending_offer(admin_a, org_a, officer, 4)

    with django_capture_on_commit_callbacks(execute=True):
        claim = actions.accept_offer(officer, offer=offer)
        assert mailbox.messages() == []  # not before the commit

    assert mailbox.recipients() == ["admin.a@noturiba.example", "otra@org-a.example"]
    english = next(m for m in mailbox.messages() if m["To"] == "admin.a@noturiba.example")
    assert english["Subject"].strip() == "Your offer on “Ūdens piegāde ciemam” is accepted"
    body = english.get_content()
    assert (
        "The offer of Ogres Samariešu biedrība of 4 seats of Transport (seats) for "
        "“Ūdens piegāde ciemam” is accepted." in body
    )
    assert "Only" not in body
    assert "It is now your organisation's claim on 4 seats." in body
    assert f"/requests/claims/{claim.pk}/" in body


def test_accepting_fewer_than_offered_says_how_many(
    admin_a: User,
    org_a: Organisation,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    speaks(admin_a, "en")
    offer = pending_offer(admin_a, org_a, officer, 6)

    with django_capture_on_commit_callbacks(execute=True):
        claim = actions.accept_offer(officer, offer=offer, quantity=Decimal(5), note="Pietiks")

    message, body = only_message(mailbox)
    assert message["To"] == "admin.a@noturiba.example"
    assert "of 6 seats of Transport (seats)" in body
    assert "Only 5 seats of the 6 offered were accepted." in body
    assert "“Pietiks”" in body
    assert "It is now your organisation's claim on 5 seats." in body
    assert f"/requests/claims/{claim.pk}/" in body


def test_a_declined_offer_is_told_with_the_reason_and_the_request(
    admin_a: User,
    member_a: User,
    org_a: Organisation,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    speaks(admin_a, "en")
    offer = pending_offer(admin_a, org_a, officer, 3)

    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_offer(officer, offer=offer, reason=" Jau nokārtots ")

    message, body = only_message(mailbox)
    assert message["To"] == "admin.a@noturiba.example"
    assert message["Subject"].strip() == "Your offer on “Ūdens piegāde ciemam” is declined"
    assert (
        "The offer of Ogres Samariešu biedrība of 3 seats of Transport (seats) for "
        "“Ūdens piegāde ciemam” is declined." in body
    )
    assert "Reason: Jau nokārtots\r\n" in body
    line = RequestLine.objects.get(pk=offer.line_id)
    assert f"/requests/{line.request_id}/\r\n" in body


def test_each_admin_is_told_in_their_language(
    admin_a: User,
    org_a: Organisation,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    english = Person.objects.create(
        full_name="English Admin", email="english@org-a.example", preferred_language="en"
    )
    Membership.objects.create(person=english, organisation=org_a, role=Membership.Role.ADMIN)
    offer = pending_offer(admin_a, org_a, officer, 3)

    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_offer(officer, offer=offer, reason="Jau nokārtots")

    by_address = {str(m["To"]): m for m in mailbox.messages()}
    latvian = by_address["admin.a@noturiba.example"]  # Latvian, the default
    assert latvian["Content-Language"] == "lv"
    assert "Iemesls: Jau nokārtots" in latvian.get_content()
    assert by_address["english@org-a.example"]["Content-Language"] == "en"
    assert "Reason: Jau nokārtots" in by_address["english@org-a.example"].get_content()


def test_no_mail_when_accepting_or_declining_fails(
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    first = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))
    second = actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(6))
    actions.accept_offer(officer, offer=first)  # 4 remain; outside the capture: never sent

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError) as over:
            actions.accept_offer(officer, offer=second)
        with pytest.raises(ValidationError) as more_than_offered:
            actions.accept_offer(officer, offer=second, quantity=Decimal(7))
        with pytest.raises(ValidationError) as no_reason:
            actions.decline_offer(officer, offer=second, reason=" ")
        with pytest.raises(ValidationError) as not_pending:
            actions.decline_offer(officer, offer=first, reason="Par vēlu")

    assert [over.value.code, more_than_offered.value.code] == [
        actions.OVER_CLAIMED,
        actions.INVALID_QUANTITY,
    ]
    assert [no_reason.value.code, not_pending.value.code] == [
        actions.NOTE_REQUIRED,
        actions.NOT_PENDING,
    ]
    assert mailbox.messages() == []
