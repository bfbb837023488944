"""The training programme in the admin site: coordinators manage the curriculum (audited); the
rows actions write are read-only; everyone else is kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Person
from noturiba.training.models import CalendarFeed, Competency, Module
from noturiba.training.tests.sessions_support import curriculum, make_session

pytestmark = pytest.mark.django_db

CURRICULUM = ["competency", "module", "course"]
READ_ONLY = [
    "trainingsession",
    "enrolment",
    "feedback",
    "certificate",
    "competencygrant",
    "invitation",
    "calendarfeed",
]


@pytest.mark.parametrize("model", CURRICULUM + READ_ONLY)
def test_the_coordinator_sees_every_list(client_coordinator: Client, model: str) -> None:
    curriculum()
    make_session(title="Admina sesija")
    response = client_coordinator.get(reverse(f"admin:training_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_nobody_adds_rows_actions_write(client_coordinator: Client, model: str) -> None:
    assert client_coordinator.get(reverse(f"admin:training_{model}_add")).status_code == 403


def test_the_coordinator_changes_a_competency_with_an_audit_entry(
    client_coordinator: Client,
) -> None:
    curriculum()
    competency = Competency.objects.get(code="first_aid")
    url = reverse("admin:training_competency_change", args=[competency.pk])
    assert client_coordinator.get(url).status_code == 200
    response = client_coordinator.post(
        url,
        {
            "code": "first_aid",
            "name_lv": competency.name_lv,
            "name_en": competency.name_en,
            "description_lv": competency.description_lv,
            "description_en": competency.description_en,
            "validity_months": "12",
            "sort_order": competency.sort_order,
        },
    )
    assert response.status_code == 302
    competency.refresh_from_db()
    assert competency.validity_months == 12
    entry = AuditEntry.objects.get(object_type="training.competency")
    assert entry.changes == {"validity_months": [24, 12]}


def test_a_module_in_a_course_cannot_be_deleted(client_coordinator: Client) -> None:
    curriculum()
    module = Module.objects.get(code="ukraine_experience")
    response = client_coordinator.post(
        reverse("admin:training_module_delete", args=[module.pk]), {"post": "yes"}
    )
    assert response.status_code in {200, 403}
    assert Module.objects.filter(pk=module.pk).exists()


def test_calendar_feed_tokens_are_not_shown(client_coordinator: Client, member_a: User) -> None:
    feed = CalendarFeed.objects.create(person=Person.objects.get(user=member_a))
    response = client_coordinator.get(reverse("admin:training_calendarfeed_change", args=[feed.pk]))
    assert response.status_code == 200 and feed.token not in response.content.decode()


@pytest.mark.parametrize("who", ["trainer", "admin_a", "member_a", "officer"])
@pytest.mark.parametrize("model", ["module", "trainingsession"])
def test_others_are_kept_out(who: str, model: str, request: pytest.FixtureRequest) -> None:
    curriculum()
    user = request.getfixturevalue(who)
    user.is_staff = True  # even with admin access, only coordinators get in
    user.save(update_fields=["is_staff"])
    response = client_for(user).get(reverse(f"admin:training_{model}_changelist"))
    assert response.status_code in {302, 403}
    assert "Ukrainas" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    response = client.get(reverse("admin:training_module_changelist"))
    assert response.status_code == 302
