"""The session list: upcoming sessions the user may see, filters, free places, past toggle."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.sessions_support import curriculum, enrol, make_session

pytestmark = pytest.mark.django_db

URL = reverse("training:sessions")


def listing(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    make_session(title="Ogres mācības")
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_lists_upcoming_published_sessions_soonest_first_with_free_places(
    client_member_a: Client, english: None
) -> None:
    later = make_session(title="Vēlākā sesija", days=20)
    sooner = make_session(title="Tuvākā sesija", days=5, capacity=10, step_free_access=True)
    enrol(sooner, 3)
    enrol(sooner, 2, Enrolment.Status.WAITLISTED)
    make_session(title="Pagājusī sesija", days=-5)
    html = listing(client_member_a)
    assert html.index("Tuvākā sesija") < html.index("Vēlākā sesija")
    assert "Pagājusī sesija" not in html
    assert "7 free places" in html and "of 10" in html
    assert "2 on the waiting list" in html
    assert "Step-free access" in html  # the symbol comes with words
    assert reverse("training:session_detail", args=[later.pk]) in html


def test_drafts_are_listed_for_their_trainer_and_coordinators_only(
    trainer: User,
    client_coordinator: Client,
    client_member_a: Client,
    client_admin_a: Client,
    client_officer: Client,
) -> None:
    other = User.objects.create_user("t2@example.org", "x", is_trainer=True)
    make_session(title="Melnraksta sesija", status="draft", trainers=[trainer])
    assert "Melnraksta sesija" in listing(client_for(trainer))
    assert "Melnraksta sesija" in listing(client_coordinator)
    for outsider in (client_for(other), client_member_a, client_admin_a, client_officer):
        assert "Melnraksta sesija" not in listing(outsider)


def test_filters_narrow_the_list_and_bad_values_are_ignored(
    client_member_a: Client, english: None
) -> None:
    make_session(title="Ogrē latviski", municipality="LV-067")
    make_session(title="Liepājā angliski", municipality="LV-LPX", language="en")
    online = make_session(
        title="Tiešsaistē",
        municipality="",
        mode=TrainingSession.Mode.ONLINE,
        address="",
        online_url="https://meet.example/x",
        capacity=2,
    )
    enrol(online, 2)
    make_session(title="Atkārtošanas kurss", course="refresher_civil_protection")
    html = listing(client_member_a, "?municipality=lv-lpx")
    assert "Liepājā angliski" in html and "Ogrē latviski" not in html
    html = listing(client_member_a, "?language=en")
    assert "Liepājā angliski" in html and "Ogrē latviski" not in html
    html = listing(client_member_a, "?mode=online")
    assert "Tiešsaistē" in html and "Ogrē latviski" not in html
    html = listing(client_member_a, "?course=refresher_civil_protection")
    assert "Atkārtošanas kurss" in html and "Ogrē latviski" not in html
    html = listing(client_member_a, "?free_places=1")
    assert "Tiešsaistē" not in html and "Ogrē latviski" in html
    html = listing(client_member_a, "?language=xx&mode=<b>&page=abc&municipality=" + "Z" * 500)
    assert "0 sessions" in html  # an unknown municipality matches nothing; nothing breaks
    html = listing(client_member_a, "?language=xx&mode=<b>&page=abc")
    assert "Ogrē latviski" in html and "&lt;b&gt;" not in html


def test_the_past_toggle_shows_ended_sessions_latest_first(
    client_member_a: Client, english: None
) -> None:
    make_session(title="Nākamā", days=3)
    make_session(title="Senāk", days=-30)
    make_session(title="Nesen", days=-2)
    html = listing(client_member_a, "?language=lv")
    assert '<a href="?language=lv&amp;past=1">Show past sessions</a>' in html
    html = listing(client_member_a, "?past=1&language=lv")
    assert "Nākamā" not in html
    assert html.index("Nesen") < html.index("Senāk")
    assert '<a href="?language=lv">Show upcoming sessions</a>' in html


def test_an_htmx_request_gets_the_results_alone(client_member_a: Client) -> None:
    make_session(title="Ogres mācības")
    response = client_member_a.get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Ogres mācības" in html and "<html" not in html
    assert 'id="session-count"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_it_is_paginated_with_a_fixed_number_of_queries(
    client_member_a: Client, trainer: User
) -> None:
    curriculum()
    for number in range(3):
        session = make_session(title=f"Sesija {number}", trainers=[trainer])
        enrol(session, 2)
    client_member_a.get(URL)  # warm the session and role caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            listing(client_member_a)
        return len(captured.captured_queries)

    few = queries()
    for number in range(25):
        session = make_session(title=f"Vairāk {number}", days=30 + number)
        enrol(session, 1)
    assert queries() == few
    assert "Vairāk 24" not in listing(client_member_a)
    html = listing(client_member_a, "?page=2")
    assert "Vairāk 24" in html and "Sesija 0" not in html


def test_a_session_with_two_trainers_is_listed_once_for_each(
    trainer: User, client_coordinator: Client
) -> None:
    second = User.objects.create_user("t2@example.org", "x", is_trainer=True)
    make_session(title="Divi treneri", status="draft", trainers=[trainer, second])
    make_session(title="Publiska ar diviem", trainers=[trainer, second])
    for client in (client_for(trainer), client_for(second), client_coordinator):
        html = listing(client)
        assert html.count("Divi treneri</a>") == 1
        assert html.count("Publiska ar diviem</a>") == 1
