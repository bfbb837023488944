"""Helpers of the claims tests: a request with one line, organisations, a mailbox."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.tests.conftest import Mailbox, running_mailbox
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.network.models import CapabilityType, Membership, Municipality, Organisation, Person

__all__ = ["Mailbox", "mailbox", "make_line", "make_organisation"]


def make_line(
    *,
    quantity: int | Decimal = 10,
    created_by: User | None = None,
    municipality: str = "LV-067",
    **request_fields: Any,
) -> RequestLine:
    request = AssistanceRequest.objects.create(
        title=request_fields.pop("title", "Ūdens piegāde ciemam"),
        municipality=Municipality.objects.get(code=municipality),
        deadline=timezone.now() + datetime.timedelta(days=1),
        contact_name="Jānis Liepa",
        contact_email=request_fields.pop("contact_email", "kontakts@ogre.example"),
        created_by=created_by,
        **request_fields,
    )
    return RequestLine.objects.create(
        request=request,
        capability=CapabilityType.objects.get(code="transport"),
        quantity=Decimal(quantity),
        unit="seats",
    )


def make_organisation(name: str, admin_email: str | None = None) -> tuple[Organisation, User]:
    organisation = Organisation.objects.create(
        name=name, municipality=Municipality.objects.get(code="LV-067")
    )
    user = User.objects.create_user(admin_email or f"{name.lower()}@org.example", "x-password-1")
    person = Person.objects.create(full_name=name, email=user.email, user=user)
    Membership.objects.create(person=person, organisation=organisation, role="admin")
    return organisation, user


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A running SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    with running_mailbox(settings, from_email="Noturība <palidziba@noturiba.example.lv>") as box:
        yield box
