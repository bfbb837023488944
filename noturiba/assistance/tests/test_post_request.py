"""Posting an assistance request: the action's rules and the page (``/requests/new/``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.assistance.actions.requests import (
    cancel_request,
    close_request,
    post_request,
    update_request,
)
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.audit.models import AuditEntry
from noturiba.network.models import CapabilityType, Institution, Municipality

pytestmark = pytest.mark.django_db

URL = reverse("assistance:new")


def ogre() -> Municipality:
    return Municipality.objects.get(code="LV-067")


def capability(code: str = "transport") -> CapabilityType:
    return CapabilityType.objects.get(code=code)


def facts(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Evacuate 40 people with reduced mobility",
        "description": "From the Ciemupe district.",
        "municipality": ogre(),
        "urgency": "Immediate",
        "deadline": timezone.now() + datetime.timedelta(hours=4),
        "contact_name": "Jānis Liepa",
        "contact_phone": "20 000 000",
        **extra,
    }


def seats(quantity: str | int = 40, **extra: Any) -> dict[str, Any]:
    return {"capability": capability(), "quantity": Decimal(quantity), **extra}


def form_data(**extra: str) -> dict[str, str]:
    data = {
        "title": "Warm room for three days",
        "municipality": str(ogre().pk),
        "urgency": "Expected",
        "deadline": "2030-01-15T18:00",
        "contact_name": "Jānis Liepa",
        "contact_phone": "+371 20 000 000",
        "offered_to_network": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-capability": str(capability("premises").pk),
        "lines-0-quantity": "120",
        "lines-0-unit": "",
        "lines-0-notes": "Heated",
    }
    data.update(extra)
    return data


# --- The action -----------------------------------------------------------------------------


def test_an_officer_posts_in_their_jurisdiction_with_their_institution(
    officer: User, ogre_commission: Institution
) -> None:
    request = post_request(officer, data=facts(), lines=[seats(40, notes="Wheelchair places")])
    assert request.state == AssistanceRequest.State.OPEN
    assert request.institution == ogre_commission
    assert request.created_by == officer
    assert request.contact_phone == "+37120000000"
    line = request.lines.get()
    assert (line.quantity, line.unit, line.notes) == (Decimal(40), "seats", "Wheelchair places")
    entry = AuditEntry.objects.get(object_type="assistance.assistancerequest")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["lines"][1] == ["transport 40 seats (Wheelchair places)"]


def test_an_officer_may_not_post_outside_their_jurisdiction(officer: User) -> None:
    riga = Municipality.objects.get(code="LV-RIX")
    with pytest.raises(ValidationError) as error:
        post_request(officer, data=facts(municipality=riga), lines=[seats()])
    assert "municipality" in error.value.message_dict
    assert not AssistanceRequest.objects.exists()


def test_a_coordinator_posts_anywhere_without_an_institution(coordinator: User) -> None:
    riga = Municipality.objects.get(code="LV-RIX")
    request = post_request(coordinator, data=facts(municipality=riga), lines=[seats()])
    assert request.institution is None


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer"])
def test_organisation_people_and_trainers_may_not_post(who: str, request: Any) -> None:
    with pytest.raises(PermissionDenied):
        post_request(request.getfixturevalue(who), data=facts(), lines=[seats()])


def test_the_unit_defaults_to_the_capabilitys_unit(coordinator: User) -> None:
    posted = post_request(
        coordinator,
        data=facts(),
        lines=[seats(3), {"capability": capability("translation"), "quantity": Decimal(8)}],
    )
    assert [line.unit for line in posted.lines.order_by("position")] == ["seats", "hours"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"latitude": Decimal("56.8"), "longitude": None}, "longitude"),
        ({"latitude": None, "longitude": Decimal("24.6")}, "latitude"),
        ({"latitude": Decimal("52.5"), "longitude": Decimal("13.4")}, "latitude"),
        ({"latitude": Decimal("56.8"), "longitude": Decimal("30.0")}, "longitude"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"title": "  "}, "title"),
        ({"deadline": None}, "deadline"),
    ],
)
def test_it_refuses_facts_that_do_not_fit(
    coordinator: User, extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        post_request(coordinator, data=facts(**extra), lines=[seats()])
    assert field in error.value.message_dict


def test_the_window_must_end_after_it_starts(coordinator: User) -> None:
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        post_request(
            coordinator,
            data=facts(starts_at=start, ends_at=start - datetime.timedelta(hours=1)),
            lines=[seats()],
        )
    assert "ends_at" in error.value.message_dict


def test_coordinates_in_latvia_are_kept(coordinator: User) -> None:
    posted = post_request(
        coordinator,
        data=facts(latitude=Decimal("56.81620"), longitude=Decimal("24.61400")),
        lines=[seats()],
    )
    assert posted.has_location


def test_it_needs_a_line_with_a_positive_quantity(coordinator: User) -> None:
    with pytest.raises(ValidationError) as error:
        post_request(coordinator, data=facts(), lines=[])
    assert "lines" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        post_request(coordinator, data=facts(), lines=[seats(0)])
    assert "lines.0.quantity" in error.value.message_dict


def test_an_alert_the_poster_cannot_see_is_refused(officer: User, coordinator: User) -> None:
    from noturiba.alerts.models import Alert

    alert = Alert.objects.create(
        sender="test@noturiba.example", event="Flood", headline="Flood", created_by=coordinator
    )
    with pytest.raises(ValidationError) as error:
        post_request(officer, data=facts(alert=alert), lines=[seats()])
    assert "alert" in error.value.message_dict
    posted = post_request(coordinator, data=facts(alert=alert), lines=[seats()])
    assert posted.alert == alert


# --- Changing, closing, cancelling ------------------------------------------------------------


def test_a_line_quantity_cannot_go_below_what_is_claimed(officer: User, english: None) -> None:
    posted = post_request(officer, data=facts(), lines=[seats(10)])
    line = posted.lines.get()
    RequestLine.objects.filter(pk=line.pk).update(claimed=Decimal(7))
    with pytest.raises(ValidationError) as error:
        update_request(officer, request=posted, data={}, lines=[{"id": line.pk, "quantity": 6}])
    assert "already claimed" in " ".join(error.value.message_dict["lines.0.quantity"])
    update_request(
        officer,
        request=posted,
        data={"title": "Evacuate 12"},
        lines=[{"id": line.pk, "quantity": Decimal(12)}, seats(2)],
    )
    posted.refresh_from_db()
    assert posted.title == "Evacuate 12"
    assert sorted(posted.lines.values_list("quantity", flat=True)) == [2, 12]


def test_an_officer_elsewhere_may_not_change_a_request(officer: User, coordinator: User) -> None:
    posted = post_request(
        coordinator,
        data=facts(municipality=Municipality.objects.get(code="LV-RIX")),
        lines=[seats()],
    )
    with pytest.raises(PermissionDenied):
        update_request(officer, request=posted, data={"title": "Mine"})
    with pytest.raises(PermissionDenied):
        close_request(officer, request=posted)


def test_close_and_cancel_are_audited_and_end_changes(officer: User) -> None:
    first = post_request(officer, data=facts(), lines=[seats()])
    close_request(officer, request=first)
    first.refresh_from_db()
    assert first.state == AssistanceRequest.State.CLOSED and first.closed_at is not None
    with pytest.raises(ValidationError):
        update_request(officer, request=first, data={"title": "Again"})
    second = post_request(officer, data=facts(), lines=[seats()])
    with pytest.raises(ValidationError) as error:
        cancel_request(officer, request=second, reason="   ")
    assert "reason" in error.value.message_dict
    cancel_request(officer, request=second, reason="The road is open again")
    entry = AuditEntry.objects.filter(object_id=str(second.pk)).latest("id")
    assert entry.changes["reason"] == [None, "The road is open again"]
    assert entry.changes["state"] == ["open", "cancelled"]


# --- The page -------------------------------------------------------------------------------


def test_the_page_posts_a_request_and_shows_it(client_officer: Client, english: None) -> None:
    response = client_officer.post(URL, form_data())
    posted = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assistance:detail", args=[posted.pk])
    line = posted.lines.get()
    assert (line.capability.code, line.quantity, line.unit) == ("premises", 120, "m2")
    assert posted.deadline == datetime.datetime(2030, 1, 15, 16, 0, tzinfo=datetime.UTC)


def test_officers_are_offered_only_their_jurisdiction(client_officer: Client) -> None:
    body = client_officer.get(URL).content.decode()
    assert f'value="{ogre().pk}"' in body
    riga = Municipality.objects.get(code="LV-RIX")
    assert f'value="{riga.pk}"' not in body


def test_errors_are_summarised_and_linked_to_their_fields(
    client_coordinator: Client, english: None
) -> None:
    response = client_coordinator.post(
        URL,
        form_data(
            title="",
            **{"lines-0-quantity": "-1", "latitude": "52.5", "longitude": "13.4"},
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in body
    assert 'href="#id_title"' in body
    assert 'href="#id_lines-0-quantity"' in body
    assert not AssistanceRequest.objects.exists()
    response = client_coordinator.post(URL, form_data(**{"latitude": "52.5", "longitude": "13.4"}))
    assert response.status_code == 400
    assert "The place must be in Latvia" in response.content.decode()
    assert 'href="#id_latitude"' in response.content.decode()


def test_a_request_without_lines_is_refused(client_coordinator: Client, english: None) -> None:
    response = client_coordinator.post(
        URL, form_data(**{"lines-0-capability": "", "lines-0-quantity": "", "lines-0-notes": ""})
    )
    assert response.status_code == 400
    assert "Add at least one line" in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_add_another_line_rerenders_with_one_more_row(
    client_coordinator: Client, english: None
) -> None:
    response = client_coordinator.post(URL, form_data(add_line="1"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-3-capability"' in body
    assert 'value="4"' in body  # TOTAL_FORMS
    assert "Heated" in body
    assert "error-summary" not in body
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize("who", ["client_admin_a", "client_member_a"])
def test_organisation_people_get_403_on_the_form(who: str, request: Any) -> None:
    assert request.getfixturevalue(who).get(URL).status_code == 403
    assert request.getfixturevalue(who).post(URL, form_data()).status_code == 403
    assert not AssistanceRequest.objects.exists()


def test_strange_input_is_no_server_error(client_coordinator: Client) -> None:
    response = client_coordinator.post(
        URL,
        form_data(
            **{
                "lines-TOTAL_FORMS": "x",
                "municipality": "99999999999999999999999",
                "deadline": "yesterday",
            }
        ),
    )
    assert response.status_code == 400
    response = client_coordinator.post(URL, form_data(**{"lines-TOTAL_FORMS": "100000"}))
    assert response.status_code in (200, 400)
