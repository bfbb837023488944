"""Inviting the best-ranked organisations to a line: invitations, one alert to their admins
through the real alerts fan-out (deliveries, email through the test mail backend), audit,
two-person approval, the page's form, and who may do it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert, Delivery
from noturiba.assistance.actions.matching import invite_organisations
from noturiba.assistance.models import AssistanceRequest, Invitation, RequestLine
from noturiba.assistance.tests.matching_support import (
    LIEPAJA,
    OGRE,
    RIGA,
    add_people,
    make_line,
    make_organisation,
    make_request,
)
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.PUBLIC_URL = "https://noturiba.example.lv/"


@pytest.fixture
def line(officer: User) -> RequestLine:
    return make_line(make_request(created_by=officer), quantity=10)


def ogre_organisations() -> list[Organisation]:
    """Three organisations in Ogre municipality (seated there), nearest first, each with an
    admin and a member."""
    found = []
    for n, at in enumerate((OGRE, RIGA, LIEPAJA)):
        organisation = make_organisation(f"Org {n}", at=at, seat="LV-067", covers=("LV-067",))
        add_people(organisation, 1, role=Membership.Role.ADMIN, prefix=f"admin{n}")
        add_people(organisation, 1, role=Membership.Role.MEMBER, prefix=f"member{n}")
        found.append(organisation)
    return found


def test_it_invites_the_top_n_and_alerts_their_admins_once(
    line: RequestLine,
    officer: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    first, second, third = ogre_organisations()

    with django_capture_on_commit_callbacks(execute=True):
        result = invite_organisations(officer, line=line, count=2)

    invitations = list(Invitation.objects.filter(line=line).order_by("rank"))
    assert [(i.organisation_id, i.rank) for i in invitations] == [(first.pk, 1), (second.pk, 2)]
    alert = Alert.objects.get()
    assert all(i.alert_id == alert.pk and i.invited_by == officer for i in invitations)
    assert result.alert == alert and result.deliveries == 2 and not result.awaiting_approval
    assert (alert.status, alert.category) == ("Actual", "Rescue")
    assert list(alert.municipalities.values_list("code", flat=True)) == ["LV-067"]
    addresses = set(Delivery.objects.filter(alert=alert).values_list("address", flat=True))
    assert addresses == {"admin0.0@example.lv", "admin1.0@example.lv"}
    assert sorted(to for message in mail.outbox for to in message.to) == sorted(addresses)
    request_url = f"https://noturiba.example.lv/requests/{line.request_id}/"
    assert alert.web == request_url and request_url in alert.instruction_en
    assert "Transport (seats)" in alert.headline_en
    assert AuditEntry.objects.filter(object_type="assistance.invitation").count() == 2


def test_a_second_click_does_not_invite_the_same_again(
    line: RequestLine, officer: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    ogre_organisations()
    with django_capture_on_commit_callbacks(execute=True):
        invite_organisations(officer, line=line, count=2)

    with django_capture_on_commit_callbacks(execute=True):
        again = invite_organisations(officer, line=line, count=3)

    assert again.already_invited == 2 and len(again.invited) == 1
    assert Invitation.objects.filter(line=line).count() == 3
    assert Alert.objects.count() == 2
    latest = Alert.objects.latest("pk")
    assert Delivery.objects.filter(alert=latest).values_list("address", flat=True).get() == (
        "admin2.0@example.lv"
    )


def test_with_two_person_approval_the_alert_waits(
    line: RequestLine, officer: User, settings: Any
) -> None:
    settings.ALERT_TWO_PERSON_APPROVAL = True
    ogre_organisations()

    result = invite_organisations(officer, line=line, count=1)

    assert result.awaiting_approval and result.deliveries == 0
    assert Alert.objects.get().state == Alert.State.AWAITING_APPROVAL
    assert Invitation.objects.get().alert == result.alert


def test_an_officer_alerts_only_organisations_in_the_municipality(
    line: RequestLine, officer: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    near = make_organisation("Ogre", at=OGRE, seat="LV-067")
    add_people(near, 1, role=Membership.Role.ADMIN, prefix="near")
    far = make_organisation("Rīga", at=RIGA, seat="LV-RIX", covers=("LV-RIX",))
    add_people(far, 1, role=Membership.Role.ADMIN, prefix="far")

    with django_capture_on_commit_callbacks(execute=True):
        result = invite_organisations(officer, line=line, count=5)

    assert len(result.invited) == 2 and result.not_reached == 1
    assert list(Delivery.objects.values_list("address", flat=True)) == ["near.0@example.lv"]


def test_a_coordinator_alerts_every_invited_organisation_wherever_it_is(
    line: RequestLine, coordinator: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    far = make_organisation("Rīga", at=RIGA, seat="LV-RIX")
    add_people(far, 1, role=Membership.Role.ADMIN, prefix="far")

    with django_capture_on_commit_callbacks(execute=True):
        result = invite_organisations(coordinator, line=line, count=5)

    assert result.not_reached == 0
    assert list(Delivery.objects.values_list("address", flat=True)) == ["far.0@example.lv"]


def test_those_who_may_not_manage_the_request_are_refused(line: RequestLine, admin_a: User) -> None:
    ogre_organisations()
    with pytest.raises(PermissionDenied):
        invite_organisations(admin_a, line=line, count=1)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("count", [0, 51])
def test_the_count_is_between_one_and_fifty(line: RequestLine, officer: User, count: int) -> None:
    with pytest.raises(ValidationError):
        invite_organisations(officer, line=line, count=count)


def test_a_closed_request_invites_nobody(officer: User) -> None:
    line = make_line(make_request(created_by=officer, state=AssistanceRequest.State.CLOSED))
    ogre_organisations()
    with pytest.raises(ValidationError):
        invite_organisations(officer, line=line, count=1)


def test_nobody_ranked_nobody_invited(officer: User) -> None:
    line = make_line(make_request(created_by=officer), claimed=10)
    ogre_organisations()

    result = invite_organisations(officer, line=line, count=5)

    assert result.invited == [] and result.alert is None
    assert not Alert.objects.exists()


# --- The form on the matches page -----------------------------------------------------------------


def invite_url(line: RequestLine) -> str:
    return reverse(
        "assistance:matches_invite", kwargs={"request_id": line.request_id, "line_id": line.pk}
    )


def test_the_form_invites_and_says_what_happened(
    line: RequestLine, client_officer: Client, english: None
) -> None:
    ogre_organisations()

    response = client_officer.post(invite_url(line), {"count": "2"}, follow=True)

    assert response.redirect_chain[-1][0].endswith(f"/lines/{line.pk}/matches/")
    html = response.content.decode()
    assert "2 organisations invited." in html
    assert "2 messages queued" in html
    assert html.count("invited</span>") == 2


def test_the_form_says_when_the_alert_waits_for_approval(
    line: RequestLine, client_officer: Client, english: None, settings: Any
) -> None:
    settings.ALERT_TWO_PERSON_APPROVAL = True
    ogre_organisations()

    response = client_officer.post(invite_url(line), {"count": "1"}, follow=True)

    assert "waits for a second person" in response.content.decode()


@pytest.mark.parametrize("count", ["0", "51", "many", ""])
def test_a_wrong_count_is_shown_next_to_the_field(
    line: RequestLine, client_officer: Client, english: None, count: str
) -> None:
    ogre_organisations()

    response = client_officer.post(invite_url(line), {"count": count})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_count"' in html and 'role="alert"' in html
    assert not Invitation.objects.exists()


def test_outsiders_cannot_post_the_form(line: RequestLine, client_admin_a: Client) -> None:
    ogre_organisations()
    assert client_admin_a.post(invite_url(line), {"count": "1"}).status_code == 403
    assert not Invitation.objects.exists()
