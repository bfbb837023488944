"""One session's page: every fact in Riga time, the enrolment box, drafts hidden from outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Organisation
from noturiba.training.actions.sessions import cancel_session
from noturiba.training.models import TrainingSession
from noturiba.training.tests.sessions_support import enrol, make_session, other_trainer

pytestmark = pytest.mark.django_db


def url(session: TrainingSession) -> str:
    return reverse("training:session_detail", args=[session.pk])


def test_it_shows_every_fact_in_riga_time(
    client_member_a: Client, trainer: User, org_a: Organisation, english: None
) -> None:
    session = make_session(
        title="Ogres mācības",
        trainers=[trainer],
        mode=TrainingSession.Mode.HYBRID,
        online_url="https://meet.example/ogre",
        capacity=12,
        language="en",
        hearing_loop=True,
        accessibility_notes="Lifts ir otrajā stāvā.",
        issuing_organisation=org_a,
    )
    # 7 January 2027, 10:00 UTC is 12:00 in Riga (winter, UTC+2); summer would be 13:00.
    session.starts_at = datetime.datetime(2027, 1, 7, 10, 0, tzinfo=datetime.UTC)
    session.ends_at = session.starts_at + datetime.timedelta(hours=3)
    session.registration_deadline = session.starts_at - datetime.timedelta(days=1, hours=2)
    session.save()
    enrol(session, 4)
    html = client_member_a.get(url(session)).content.decode()
    assert "Ogres mācības" in html
    assert "7.1.2027 12:00" in html and "15:00" in html
    assert "6.1.2027 10:00" in html  # registration deadline
    assert "Ogres novada kultūras centrs" in html and "Brīvības iela 15, Ogre" in html
    assert "https://meet.example/ogre" in html
    assert "Laura Trenere" in html
    assert "8 free places" in html and "of 12" in html
    assert "English" in html
    assert "Hearing loop" in html and "Lifts ir otrajā stāvā." in html
    assert org_a.name in html
    assert "Personal resilience and comprehensive national defence" in html
    assert "Ukraine&#x27;s practical experience" in html
    assert "Edit the session" not in html and "Publish" not in html


def test_a_summer_session_shows_summer_time(client_member_a: Client) -> None:
    session = make_session()
    session.starts_at = datetime.datetime(2027, 7, 7, 10, 0, tzinfo=datetime.UTC)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()
    html = client_member_a.get(url(session)).content.decode()
    assert "7.7.2027 13:00" in html and "15:00" in html


def test_a_cancelled_session_shows_the_reason(
    client_member_a: Client, coordinator: User, english: None
) -> None:
    session = make_session(title="Atceltā sesija")
    cancel_session(coordinator, session=session, reason="Lektors saslima.")
    html = client_member_a.get(url(session)).content.decode()
    assert "This session is cancelled." in html and "Lektors saslima." in html


def test_a_draft_is_a_404_for_outsiders_and_visible_to_its_people(
    client: Client,
    trainer: User,
    client_coordinator: Client,
    client_member_a: Client,
    client_admin_a: Client,
    client_officer: Client,
) -> None:
    session = make_session(title="Slepens melnraksts", status="draft", trainers=[trainer])
    for insider in (client_for(trainer), client_coordinator):
        response = insider.get(url(session))
        assert response.status_code == 200 and "Slepens melnraksts" in response.content.decode()
    for outsider in (client_for(other_trainer()), client_member_a, client_admin_a, client_officer):
        response = outsider.get(url(session))
        assert response.status_code == 404
        assert "Slepens melnraksts" not in response.content.decode()
    response = client.get(url(session))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client_member_a.get(reverse("training:session_detail", args=[999999])).status_code == 404


def test_the_session_page_offers_edit_publish_and_cancel_to_those_who_run_it(
    trainer: User, client_coordinator: Client, english: None
) -> None:
    session = make_session(status="draft", trainers=[trainer])
    for runner in (client_for(trainer), client_coordinator):
        html = runner.get(url(session)).content.decode()
        assert reverse("training:session_edit", args=[session.pk]) in html
        assert reverse("training:session_publish", args=[session.pk]) in html
        assert reverse("training:session_cancel", args=[session.pk]) in html


@pytest.mark.parametrize("session_id", ["0", "99999999999999999999999", "9223372036854775808"])
def test_out_of_range_ids_are_404(client_coordinator: Client, session_id: str) -> None:
    for name in ("session_detail", "session_edit", "session_cancel"):
        path = reverse(f"training:{name}", args=[1]).replace("/1/", f"/{session_id}/")
        assert client_coordinator.get(path).status_code == 404
    path = reverse("training:session_publish", args=[1]).replace("/1/", f"/{session_id}/")
    assert client_coordinator.post(path).status_code == 404
