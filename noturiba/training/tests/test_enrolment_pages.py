"""The enrolment pages: the session's box, enrolling, cancelling, an admin enrolling people."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Membership, Organisation, Person
from noturiba.training.actions.enrolment import enrol_person
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.enrolment_support import make_session, person_of

pytestmark = pytest.mark.django_db


def colleague_of(organisation: Organisation, name: str = "Kolēģe Ilga") -> Person:
    person = Person.objects.create(full_name=name)
    Membership.objects.create(person=person, organisation=organisation, role="member")
    return person


def place_url(session: TrainingSession) -> str:
    return reverse("training:session_place", args=[session.pk])


def test_the_box_offers_enrol_then_shows_the_confirmed_place(
    client_member_a: Client, member_a: User, english: None
) -> None:
    session = make_session(capacity=2)

    page = client_member_a.get(place_url(session)).content.decode()
    assert "2 places free of 2." in page
    assert reverse("training:enrol_self", args=[session.pk]) in page

    response = client_member_a.post(
        reverse("training:enrol_self", args=[session.pk]), {"next": place_url(session)}
    )

    assert response.status_code == 302 and response["Location"] == place_url(session)
    page = client_member_a.get(place_url(session)).content.decode()
    assert "You are enrolled: your place is confirmed." in page
    assert "Your place is confirmed." in page
    assert "1 place free of 2." in page
    enrolment = Enrolment.objects.get()
    assert reverse("training:cancel_enrolment", args=[enrolment.pk]) in page
    assert "Enrol people of my organisation" not in page


def test_a_full_session_puts_you_on_the_waiting_list_with_your_number(
    client_member_a: Client, coordinator: User, english: None
) -> None:
    session = make_session(capacity=1)
    enrol_person(coordinator, session=session, person=Person.objects.create(full_name="X"))

    response = client_member_a.post(reverse("training:enrol_self", args=[session.pk]), follow=True)

    page = response.content.decode()
    assert "you are number 1 on the waiting list" in page
    assert "You are number 1 on the waiting list." in page
    assert "Leave the waiting list" in page


def test_cancelling_my_place_frees_it(
    client_member_a: Client, member_a: User, english: None
) -> None:
    session = make_session()
    enrolment = enrol_person(member_a, session=session, person=person_of(member_a))
    cancel = reverse("training:cancel_enrolment", args=[enrolment.pk])

    assert "Cancel the place?" in client_member_a.get(cancel).content.decode()
    response = client_member_a.post(cancel, follow=True)

    assert "is cancelled" in response.content.decode()
    assert Enrolment.objects.get().status == "cancelled"
    assert "2 places free of 2." in response.content.decode()


def test_a_refusal_is_said_and_nothing_changes(client_member_a: Client, english: None) -> None:
    session = make_session(registration_deadline=make_session().starts_at.replace(year=2000))

    page = client_member_a.get(place_url(session)).content.decode()
    assert "Registration for this session has closed." in page
    response = client_member_a.post(reverse("training:enrol_self", args=[session.pk]), follow=True)

    assert "Registration for this session has closed." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_admin_enrols_several_of_their_people(
    client_admin_a: Client, admin_a: User, org_a: Organisation, english: None
) -> None:
    session = make_session(capacity=1)
    first, second = colleague_of(org_a, "Ilga Pirmā"), colleague_of(org_a, "Ivars Otrais")
    url = reverse("training:enrol_people", args=[session.pk])
    page = client_admin_a.get(url).content.decode()
    assert "Ilga Pirmā" in page and "Ivars Otrais" in page

    response = client_admin_a.post(url, {"people": [first.pk, second.pk]}, follow=True)

    page = response.content.decode()
    assert "Confirmed places: Ilga Pirmā." in page
    assert "On the waiting list: Ivars Otrais." in page
    assert dict(Enrolment.objects.values_list("person_id", "status")) == {
        first.pk: "confirmed",
        second.pk: "waitlisted",
    }


def test_an_admin_cannot_pick_someone_outside_their_organisation(
    client_admin_a: Client, org_b: Organisation, english: None
) -> None:
    session = make_session()
    outsider = colleague_of(org_b, "Svešais Pēteris")
    url = reverse("training:enrol_people", args=[session.pk])

    assert "Svešais Pēteris" not in client_admin_a.get(url).content.decode()
    response = client_admin_a.post(url, {"people": [outsider.pk]})

    assert response.status_code == 400
    assert "Choose people of your own organisation" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("people", [["abc"], [""], ["99999999999999999999999"], []])
def test_bad_choices_are_a_clear_error(
    client_admin_a: Client, org_a: Organisation, people: list[str]
) -> None:
    response = client_admin_a.post(
        reverse("training:enrol_people", args=[make_session().pk]), {"people": people}
    )

    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_a_member_may_not_open_the_enrol_people_page(client_member_a: Client) -> None:
    response = client_member_a.get(reverse("training:enrol_people", args=[make_session().pk]))

    assert response.status_code == 403


def test_someone_elses_enrolment_cannot_be_cancelled(
    coordinator: User, client_admin_b: Client, org_a: Organisation
) -> None:
    enrolment = enrol_person(coordinator, session=make_session(), person=colleague_of(org_a))
    url = reverse("training:cancel_enrolment", args=[enrolment.pk])

    assert client_admin_b.get(url).status_code == 404
    response = client_admin_b.post(url)

    assert response.status_code == 404
    assert "Kolēģe" not in response.content.decode()
    assert Enrolment.objects.get().status == "confirmed"


def test_a_draft_session_is_a_404_for_a_member(client_member_a: Client) -> None:
    draft = make_session(status=TrainingSession.Status.DRAFT, published_at=None)

    for name in ("session_place", "enrol_self", "enrol_people"):
        url = reverse(f"training:{name}", args=[draft.pk])
        response = client_member_a.post(url) if name == "enrol_self" else client_member_a.get(url)
        assert response.status_code == 404, name
    assert not Enrolment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    session = make_session()
    for url in (
        place_url(session),
        reverse("training:enrol_people", args=[session.pk]),
        reverse("training:my_trainings"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"].lower()
    response = client.post(reverse("training:enrol_self", args=[session.pk]))
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_next_must_be_on_this_site(client_member_a: Client) -> None:
    session = make_session()

    response = client_member_a.post(
        reverse("training:enrol_self", args=[session.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == place_url(session)


def test_the_box_on_the_session_page_of_the_trainer_links_the_list(
    trainer: User, english: None
) -> None:
    session = make_session(trainers=[trainer])

    page = client_for(trainer).get(place_url(session)).content.decode()

    assert reverse("training:session_enrolments", args=[session.pk]) in page


def test_a_coordinator_finds_people_by_name(
    client_coordinator: Client, org_a: Organisation
) -> None:
    session = make_session()
    colleague_of(org_a, "Zane Meklējamā")
    colleague_of(org_a, "Jānis Citādais")
    url = reverse("training:enrol_people", args=[session.pk])

    page = client_coordinator.get(url, {"q": "meklēj"}).content.decode()

    assert "Zane Meklējamā" in page and "Jānis Citādais" not in page


def test_the_session_page_shows_the_box_and_enrolling_comes_back_to_it(
    client_member_a: Client, english: None
) -> None:
    session = make_session()
    detail = reverse("training:session_detail", args=[session.pk])
    assert reverse("training:enrol_self", args=[session.pk]) in (
        client_member_a.get(detail).content.decode()
    )

    response = client_member_a.post(
        reverse("training:enrol_self", args=[session.pk]), {"next": detail}, follow=True
    )

    assert response.redirect_chain == [(detail, 302)]
    assert "Your place is confirmed." in response.content.decode()


def test_a_cancelled_session_offers_nothing_to_its_enrolled(
    client_member_a: Client, member_a: User, english: None
) -> None:
    session = make_session()
    enrol_person(member_a, session=session, person=person_of(member_a))
    TrainingSession.objects.filter(pk=session.pk).update(status=TrainingSession.Status.CANCELLED)

    page = client_member_a.get(place_url(session)).content.decode()

    assert "This session has been cancelled." in page
    assert "Cancel my place" not in page and "Your place is confirmed." not in page


def test_an_admin_sees_the_link_to_enrol_their_people(
    client_admin_a: Client, english: None
) -> None:
    session = make_session()

    page = client_admin_a.get(place_url(session)).content.decode()

    assert "Enrol people of my organisation" in page
    assert reverse("training:enrol_people", args=[session.pk]) in page
    assert reverse("training:session_enrolments", args=[session.pk]) not in page
