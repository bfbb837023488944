"""One request's page (``/requests/<id>/``) and its edit, close and cancel pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.assistance.tests.requests_data import edit_data, make_request
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for, make_user
from noturiba.network.models import CapabilityType, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(officer: User) -> AssistanceRequest:
    return make_request(
        title="Evacuate Ciemupe",
        lines=[("transport", 10, 7), ("translation", 4, 0)],
        created_by=officer,
        description="Forty people with reduced mobility.",
    )


def url(name: str, request: AssistanceRequest) -> str:
    return reverse(f"assistance:{name}", args=[request.pk])


def test_the_page_shows_each_line_in_words_and_numbers(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    response = client_officer.get(url("detail", need))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Evacuate Ciemupe" in body and "Forty people with reduced mobility." in body
    assert "Transport (seats): 7 of 10 seats" in body
    assert "Still missing" in body and "3 seats" in body
    assert "Partly covered" in body
    assert "<progress" in body and 'max="10"' in body and 'value="7"' in body


def test_managers_see_edit_close_and_cancel(
    client_officer: Client, client_coordinator: Client, need: AssistanceRequest
) -> None:
    for client in (client_officer, client_coordinator):
        body = client.get(url("detail", need)).content.decode()
        for name in ("edit", "close", "cancel"):
            assert url(name, need) in body


def test_organisation_people_see_the_request_but_not_the_manage_links(
    client_admin_a: Client, need: AssistanceRequest
) -> None:
    response = client_admin_a.get(url("detail", need))
    assert response.status_code == 200
    assert url("edit", need) not in response.content.decode()
    assert client_admin_a.get(url("edit", need)).status_code == 403
    assert client_admin_a.post(url("close", need)).status_code == 403
    assert client_admin_a.post(url("cancel", need), {"reason": "x"}).status_code == 403
    need.refresh_from_db()
    assert need.state == AssistanceRequest.State.OPEN


def test_claims_of_each_line_are_listed(
    client_officer: Client, need: AssistanceRequest, org_a: Organisation
) -> None:
    line = need.lines.get(capability__code="transport")
    Claim.objects.create(line=line, organisation=org_a, quantity=Decimal(7))
    assert org_a.name in client_officer.get(url("detail", need)).content.decode()


def test_a_request_that_does_not_exist_is_a_404(client_coordinator: Client) -> None:
    assert client_coordinator.get(reverse("assistance:detail", args=[999_999])).status_code == 404


def test_editing_adds_a_line_and_changes_quantities(
    client_officer: Client, need: AssistanceRequest
) -> None:
    water = CapabilityType.objects.get(code="drinking_water")
    data = edit_data(
        need,
        title="Evacuate Ciemupe and Jaunogre",
        **{
            "lines-0-quantity": "12",
            "lines-2-capability": str(water.pk),
            "lines-2-quantity": "500",
        },
    )
    response = client_officer.post(url("edit", need), data)
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "Evacuate Ciemupe and Jaunogre"
    assert [(line.capability.code, line.quantity, line.unit) for line in need.lines.all()] == [
        ("transport", 12, "seats"),
        ("translation", 4, "hours"),
        ("drinking_water", 500, "litres"),
    ]
    assert AuditEntry.objects.filter(
        object_id=str(need.pk), action=AuditEntry.Action.UPDATE
    ).exists()


def test_editing_refuses_a_quantity_below_what_is_claimed(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    response = client_officer.post(url("edit", need), edit_data(need, **{"lines-0-quantity": "5"}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "already claimed" in body
    assert 'href="#id_lines-0-quantity"' in body
    assert RequestLine.objects.get(request=need, capability__code="transport").quantity == 10


def test_the_edit_form_adds_a_row_on_request(
    client_officer: Client, need: AssistanceRequest
) -> None:
    response = client_officer.post(url("edit", need), edit_data(need, add_line="1"))
    assert response.status_code == 200
    assert 'name="lines-3-capability"' in response.content.decode()


def test_closing_asks_for_confirmation_then_closes(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    page = client_officer.get(url("close", need))
    assert page.status_code == 200 and "Not every line is covered yet." in page.content.decode()
    need.refresh_from_db()
    assert need.state == AssistanceRequest.State.OPEN
    response = client_officer.post(url("close", need))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.state == AssistanceRequest.State.CLOSED
    # a closed request offers no more changes
    body = client_officer.get(url("detail", need)).content.decode()
    assert url("edit", need) not in body
    assert client_officer.get(url("edit", need)).status_code == 302


def test_cancelling_needs_a_reason(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    response = client_officer.post(url("cancel", need), {"reason": ""})
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.state == AssistanceRequest.State.OPEN
    response = client_officer.post(url("cancel", need), {"reason": "  No longer\n needed "})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.state == AssistanceRequest.State.CANCELLED
    assert need.cancel_reason == "No longer needed"


def test_the_cancellation_reason_is_shown_on_the_request_and_in_the_api(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    client_officer.post(url("cancel", need), {"reason": "The river went down <b>early</b>"})

    body = client_officer.get(url("detail", need)).content.decode()
    assert "Why it was cancelled" in body
    assert "The river went down &lt;b&gt;early&lt;/b&gt;" in body
    data = client_officer.get(f"/api/v1/requests/{need.pk}").json()
    assert data["cancel_reason"] == "The river went down <b>early</b>"


def test_a_closed_request_shows_no_cancellation_reason(
    client_officer: Client, need: AssistanceRequest, english: None
) -> None:
    client_officer.post(url("close", need))

    assert "Why it was cancelled" not in client_officer.get(url("detail", need)).content.decode()
    assert client_officer.get(f"/api/v1/requests/{need.pk}").json()["cancel_reason"] == ""


@pytest.mark.parametrize("name", ["edit", "close", "cancel"])
def test_a_signed_in_outsider_gets_404_on_manage_pages(name: str, need: AssistanceRequest) -> None:
    outsider = make_user("someone@example.lv")
    assert client_for(outsider).get(url(name, need)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    client_officer: Client, officer: User, org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    need = make_request(
        lines=[("transport", 10, 2), ("food", 30, 3), ("translation", 8, 1), ("premises", 50, 0)],
        created_by=officer,
    )
    for line in need.lines.exclude(claimed=0):
        Claim.objects.create(line=line, organisation=org_a, quantity=line.claimed)
    client_officer.get(url("detail", need))
    with django_assert_max_num_queries(12):
        response = client_officer.get(url("detail", need))
    assert response.status_code == 200
