"""``noturiba demo_assistance``: demo requests in a few municipalities, claims that add up."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine

pytestmark = pytest.mark.django_db


def test_it_adds_demo_requests_with_claims_that_add_up(reference: None) -> None:
    call_command("demo", orgs=300, people=0, seed=2026, stdout=StringIO())
    out = StringIO()
    call_command("demo_assistance", seed=2026, stdout=out)
    assert "Demo assistance" in out.getvalue()
    requests = AssistanceRequest.objects.all()
    assert requests.count() >= 5
    assert all(request.is_demo for request in requests)
    assert requests.values("municipality").distinct().count() >= 4
    assert Claim.objects.exists()
    for line in RequestLine.objects.all():
        claimed = Claim.objects.filter(line=line, state__in=Claim.ACTIVE).aggregate(
            total=Sum("quantity")
        )["total"]
        assert (claimed or 0) == line.claimed <= line.quantity


def test_it_adds_nothing_to_a_database_with_requests(reference: None) -> None:
    call_command("demo_assistance", stdout=StringIO())
    count = AssistanceRequest.objects.count()
    out = StringIO()
    call_command("demo_assistance", stdout=out)
    assert "already present" in out.getvalue()
    assert AssistanceRequest.objects.count() == count
