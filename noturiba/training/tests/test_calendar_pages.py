"""The ``.ics`` of a session, the feeds at secret addresses and the page that manages them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Membership, Organisation, Person
from noturiba.training.actions.enrolment import (
    cancel_enrolment,
    enrol_person,
    replace_calendar_feed,
)
from noturiba.training.models import CalendarFeed, TrainingSession
from noturiba.training.tests.enrolment_support import make_session, person_of

pytestmark = pytest.mark.django_db


def feed_for(actor: User, **owner: Any) -> CalendarFeed:
    replace_calendar_feed(actor, **owner)
    return CalendarFeed.objects.get(**owner)


def uids(body: bytes) -> set[str]:
    return {str(event["uid"]) for event in Calendar.from_ical(body).walk("VEVENT")}


def uid(session: TrainingSession) -> str:
    return f"training-session-{session.pk}@"


def test_a_published_session_downloads_as_ics(client_member_a: Client) -> None:
    session = make_session()

    response = client_member_a.get(reverse("training:session_ics", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="training-{session.pk}.ics"'
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]).startswith(uid(session))


def test_a_draft_is_a_404_even_for_its_trainer_and_hidden_from_members(
    client_member_a: Client, trainer: User
) -> None:
    draft = make_session(status=TrainingSession.Status.DRAFT, published_at=None, trainers=[trainer])
    url = reverse("training:session_ics", args=[draft.pk])

    assert client_member_a.get(url).status_code == 404
    assert client_for(trainer).get(url).status_code == 404
    assert client_member_a.get(reverse("training:session_ics", args=[10**30])).status_code == 404


def test_anonymous_must_sign_in_for_a_session_ics(client: Client, reference: None) -> None:
    response = client.get(reverse("training:session_ics", args=[make_session().pk]))

    assert response.status_code == 302


def test_the_personal_feed_has_only_the_persons_places(
    client: Client, member_a: User, coordinator: User
) -> None:
    person = person_of(member_a)
    confirmed = make_session(capacity=1)
    enrol_person(member_a, session=confirmed, person=person)
    waiting = make_session(capacity=1)
    enrol_person(coordinator, session=waiting, person=Person.objects.create(full_name="X"))
    enrol_person(member_a, session=waiting, person=person)
    left = make_session()
    cancel_enrolment(member_a, enrolment=enrol_person(member_a, session=left, person=person))
    not_mine = make_session()
    feed = feed_for(member_a, person=person)

    response = client.get(reverse("training:calendar_feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = uids(response.content)
    assert {u.split("@")[0] + "@" for u in found} == {uid(confirmed), uid(waiting)}
    assert not any(u.startswith(uid(left)) or u.startswith(uid(not_mine)) for u in found)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client: Client, member_a: User) -> None:
    person = person_of(member_a)
    session = make_session()
    enrol_person(member_a, session=session, person=person)
    TrainingSession.objects.filter(pk=session.pk).update(
        status=TrainingSession.Status.CANCELLED, sequence=1
    )
    feed = feed_for(member_a, person=person)

    body = client.get(reverse("training:calendar_feed", args=[feed.token])).content

    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert (str(event["status"]), event["sequence"]) == ("CANCELLED", 1)


def test_the_organisation_feed_has_its_peoples_sessions(
    client: Client, admin_a: User, org_a: Organisation, org_b: Organisation, coordinator: User
) -> None:
    ours, theirs = make_session(), make_session()
    member = Person.objects.create(full_name="Biedrs")
    Membership.objects.create(person=member, organisation=org_a, role="member")
    enrol_person(coordinator, session=ours, person=member)
    outsider = Person.objects.create(full_name="Svešais")
    Membership.objects.create(person=outsider, organisation=org_b, role="member")
    enrol_person(coordinator, session=theirs, person=outsider)
    feed = feed_for(admin_a, organisation=org_a)

    body = client.get(reverse("training:calendar_feed", args=[feed.token])).content

    assert [u.split("@")[0] + "@" for u in uids(body)] == [uid(ours)]


def test_a_feed_answers_in_a_fixed_number_of_queries(
    client: Client, member_a: User, django_assert_max_num_queries: Any
) -> None:
    person = person_of(member_a)
    for _ in range(8):
        enrol_person(member_a, session=make_session(), person=person)
    feed = feed_for(member_a, person=person)

    with django_assert_max_num_queries(6):
        body = client.get(reverse("training:calendar_feed", args=[feed.token])).content

    assert len(uids(body)) == 8


@pytest.mark.parametrize("token", ["wrong", "x" * 300, "%00", "a.b"])
def test_a_wrong_token_is_a_404(client: Client, member_a: User, token: str) -> None:
    feed_for(member_a, person=person_of(member_a))

    response = client.get(f"/training/calendar/{token}.ics")

    assert response.status_code == 404


def test_the_page_creates_shows_and_replaces_the_address(member_a: User, english: None) -> None:
    client = client_for(member_a)
    url = reverse("training:calendar_feeds")
    assert "Create a calendar address" in client.get(url).content.decode()
    assert not CalendarFeed.objects.exists()  # nothing is written by looking

    page = client.post(url, follow=True).content.decode()
    feed = CalendarFeed.objects.get(person=person_of(member_a))
    old = reverse("training:calendar_feed", args=[feed.token])
    assert "The calendar address is ready" in page
    assert f"http://testserver{old}" in page or old in page

    response = client.post(url, follow=True)

    new = CalendarFeed.objects.get(person=person_of(member_a))
    assert new.token != feed.token
    assert reverse("training:calendar_feed", args=[new.token]) in response.content.decode()
    assert Client().get(old).status_code == 404


def test_an_admin_replaces_their_organisations_feed_only(
    admin_a: User, org_a: Organisation, org_b: Organisation
) -> None:
    client = client_for(admin_a)
    url = reverse("training:calendar_feeds")
    own = feed_for(admin_a, organisation=org_a)
    page = client.get(url).content.decode()
    assert own.token in page
    assert "Ogres Samariešu biedrība" in page and "Liepājas" not in page

    client.post(url, {"organisation": org_a.pk})
    for bad in (org_b.pk, "abc", "99999999999999999999999"):
        response = client.post(url, {"organisation": bad})
        assert response.status_code == 302

    assert CalendarFeed.objects.get(organisation=org_a).token != own.token
    assert not CalendarFeed.objects.filter(organisation=org_b).exists()


def test_a_member_sees_no_organisation_feed(
    member_a: User, org_a: Organisation, admin_a: User
) -> None:
    org_feed = feed_for(admin_a, organisation=org_a)

    page = client_for(member_a).get(reverse("training:calendar_feeds")).content.decode()

    assert org_feed.token not in page


def test_anonymous_is_sent_to_sign_in_for_the_feeds_page(client: Client) -> None:
    assert client.get(reverse("training:calendar_feeds")).status_code == 302
