"""Inviting people whose competencies expire: the next matching session (own municipality
first, then online, then any), never twice for the same session, the email through a real SMTP
server, "invite all shown", and only coordinators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Organisation, Person
from noturiba.training.actions.knowledge import invite_to_next_session
from noturiba.training.models import CompetencyGrant, Enrolment, Invitation, TrainingSession
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    Mailbox,
    curriculum,
    days,
    grant,
    mailbox,
    make_organisation,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum", "mailbox"]  # fixtures

Commit = Callable[..., Any]


@pytest.fixture
def ogre_person(curriculum: Curriculum, org_a: Organisation) -> Person:
    person = make_person("Ogres Līdere", org_a, email="lidere@ogre.example")
    grant(person, curriculum.first_aid, valid_until=days(20))
    return person


def chosen(coordinator: User, person: Person, curriculum: Curriculum) -> TrainingSession | None:
    return invite_to_next_session(
        coordinator, person=person, competency=curriculum.first_aid
    ).session


def test_own_municipality_first_then_online_then_anywhere(
    curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    anywhere = make_session(curriculum.refresher, starts_in_days=3, municipality_code="LV-LPX")
    assert chosen(coordinator, ogre_person, curriculum) == anywhere
    online = make_session(curriculum.course, starts_in_days=8, mode="online")
    assert chosen(coordinator, ogre_person, curriculum) == online
    ogre = make_session(curriculum.refresher, starts_in_days=20, municipality_code="LV-067")
    make_session(curriculum.refresher, starts_in_days=30, municipality_code="LV-067")
    assert chosen(coordinator, ogre_person, curriculum) == ogre


def test_sessions_that_cannot_take_the_person_are_skipped(
    curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    ogre = "LV-067"
    full = make_session(curriculum.refresher, starts_in_days=2, capacity=1, municipality_code=ogre)
    Enrolment.objects.create(
        session=full, person=make_person("Aizņēma"), status=Enrolment.Status.CONFIRMED
    )
    make_session(curriculum.refresher, starts_in_days=3, status="draft", municipality_code=ogre)
    make_session(curriculum.refresher, starts_in_days=-3, municipality_code=ogre)  # started
    make_session(
        curriculum.refresher,
        starts_in_days=4,
        registration_deadline=full.starts_at.replace(year=2020),
        municipality_code=ogre,
    )
    other_course = make_session(curriculum.course, starts_in_days=5, municipality_code=ogre)
    Enrolment.objects.create(
        session=other_course, person=ogre_person, status=Enrolment.Status.CONFIRMED
    )
    assert chosen(coordinator, ogre_person, curriculum) is None
    right = make_session(curriculum.refresher, starts_in_days=40, municipality_code=ogre)
    assert chosen(coordinator, ogre_person, curriculum) == right


def test_a_course_without_the_competency_is_no_match(
    curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    make_session(curriculum.refresher, municipality_code="LV-067")
    result = invite_to_next_session(
        coordinator, person=ogre_person, competency=curriculum.psychological
    )
    assert result.session is None and not result.created
    assert not Invitation.objects.exists()


def test_one_click_invites_once_and_emails_once(
    curriculum: Curriculum,
    ogre_person: Person,
    coordinator: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Commit,
    english: None,
) -> None:
    session = make_session(
        curriculum.refresher, municipality_code="LV-067", title="Pirmās palīdzības atkārtojums"
    )
    expiring = CompetencyGrant.objects.get(person=ogre_person)
    client = client_for(coordinator)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("training:invite"), {"grant": expiring.pk})
        assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.session, invitation.person, invitation.invited_by) == (
        session,
        ogre_person,
        coordinator,
    )
    assert invitation.sent_at is not None
    assert mailbox.recipients() == ["lidere@ogre.example"]
    [message] = mailbox.messages()
    assert "Pirmās palīdzības atkārtojums" in message["Subject"]
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "First aid" in text or "Pirmā palīdzība" in text
    assert reverse("training:session_detail", args=[session.pk]) in text
    assert (
        AuditEntry.objects.filter(action="create", object_type="training.invitation").count() == 1
    )
    page = client.get(reverse("training:expiring")).content.decode()
    assert "invited" in page


def test_invite_all_shown(
    curriculum: Curriculum,
    ogre_person: Person,
    coordinator: User,
    org_a: Organisation,
    english: None,
) -> None:
    liepaja = make_organisation("Liepājas biedrība", "LV-LPX")
    other = make_person("Liepājas Līderis", liepaja)
    grant(other, curriculum.first_aid, valid_until=days(60))
    no_session = make_person("Bez sesijas", org_a)
    grant(no_session, curriculum.psychological, valid_until=days(10))
    ogre = make_session(curriculum.refresher, municipality_code="LV-067")
    liepaja_session = make_session(curriculum.refresher, municipality_code="LV-LPX")
    response = client_for(coordinator).post(reverse("training:invite_all"), {}, follow=True)
    assert response.status_code == 200
    assert set(Invitation.objects.values_list("person__full_name", "session")) == {
        ("Ogres Līdere", ogre.pk),
        ("Liepājas Līderis", liepaja_session.pk),
    }
    body = response.content.decode()
    assert "2 invitations sent." in body
    assert "Bez sesijas was not invited" in body


def test_invite_all_keeps_to_the_filter(
    curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    liepaja = make_organisation("Liepājas biedrība", "LV-LPX")
    grant(make_person("Liepājas Līderis", liepaja), curriculum.first_aid, valid_until=days(60))
    make_session(curriculum.refresher, mode="online")
    client_for(coordinator).post(reverse("training:invite_all"), {"municipality": "LV-LPX"})
    assert list(Invitation.objects.values_list("person__full_name", flat=True)) == [
        "Liepājas Līderis"
    ]


@pytest.mark.parametrize("data", [{}, {"grant": "abc"}, {"grant": "999999"}])
def test_a_bad_invitation_changes_nothing(
    data: dict[str, str], curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    make_session(curriculum.refresher, municipality_code="LV-067")
    response = client_for(coordinator).post(reverse("training:invite"), data, follow=True)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_bad_filter_in_invite_all_changes_nothing(
    curriculum: Curriculum, ogre_person: Person, coordinator: User
) -> None:
    make_session(curriculum.refresher, municipality_code="LV-067")
    client_for(coordinator).post(reverse("training:invite_all"), {"competency": "nope"})
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["officer", "admin_a", "member_a", "admin_b", "trainer"])
def test_only_coordinators_invite(
    who: str, request: pytest.FixtureRequest, curriculum: Curriculum, ogre_person: Person
) -> None:
    make_session(curriculum.refresher, municipality_code="LV-067")
    user: User = request.getfixturevalue(who)
    client = client_for(user)
    expiring = CompetencyGrant.objects.get(person=ogre_person)
    assert client.post(reverse("training:invite"), {"grant": expiring.pk}).status_code == 403
    assert client.post(reverse("training:invite_all")).status_code == 403
    with pytest.raises(PermissionDenied):
        invite_to_next_session(user, person=ogre_person, competency=curriculum.first_aid)
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(curriculum: Curriculum, ogre_person: Person) -> None:
    from django.test import Client

    response = Client().post(reverse("training:invite_all"))
    assert response.status_code == 302
    assert not Invitation.objects.exists()
