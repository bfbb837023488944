"""The matches page of a request line (``assistance:matches``) and its selector on the
database: candidates by capability, training coverage, availability from real acknowledgements,
load from claims, the municipality fallback; who may see the page; the query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert
from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.assistance.selectors.matching import rank_line
from noturiba.assistance.tests.matching_support import (
    LIEPAJA,
    OGRE,
    RIGA,
    add_people,
    make_line,
    make_organisation,
    make_request,
    place,
)
from noturiba.conftest import client_for, make_user
from noturiba.network.models import Institution, Person
from noturiba.training.models import OrganisationTrainingCoverage

pytestmark = pytest.mark.django_db


def url(line: RequestLine) -> str:
    return reverse("assistance:matches", kwargs={"request_id": line.request_id, "line_id": line.pk})


@pytest.fixture
def line(officer: User) -> RequestLine:
    return make_line(make_request(created_by=officer), quantity=10)


def answered_available(
    people: list[Any], *, hours_ago: float = 1, answer: str = "available"
) -> None:
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    alert = Alert.objects.create(event="Plūdi", headline="Plūdi Ogrē", sent=at)
    Acknowledgement.objects.bulk_create(
        Acknowledgement(
            alert=alert,
            person=person,
            answer=answer,
            via=Acknowledgement.Via.LINK,
            answered_at=at,
        )
        for person in people
    )


def test_only_organisations_offering_the_capability_with_quantity_are_ranked(
    line: RequestLine,
) -> None:
    offering = make_organisation("Transports", at=OGRE)
    make_organisation("Pirmā palīdzība", at=OGRE, capability="first_aid")
    make_organisation("Tukšs", at=OGRE, quantity=0)
    make_organisation("Nekā", at=OGRE, capability=None)

    assert [m.organisation_id for m in rank_line(line)] == [offering.pk]


def test_nearer_ranks_first_and_seat_centre_stands_in_for_missing_coordinates(
    line: RequestLine,
) -> None:
    liepaja = make_organisation("Liepāja", at=LIEPAJA)
    riga_seat = make_organisation("Rīga bez koordinātēm", seat="LV-RIX")
    ogre = make_organisation("Ogre", at=OGRE)

    matches = rank_line(line)

    assert [m.organisation_id for m in matches] == [ogre.pk, riga_seat.pk, liepaja.pk]
    assert matches[1].distance_km == pytest.approx(34.29, abs=0.01)


def test_the_request_without_coordinates_is_measured_from_its_municipality_centre(
    officer: User,
) -> None:
    line = make_line(make_request(created_by=officer, municipality="LV-RIX", at=None))
    make_organisation("Ogre", at=OGRE)

    (match,) = rank_line(line)

    assert match.distance_km == pytest.approx(34.29, abs=0.01)


def test_without_any_location_covering_the_municipality_is_the_fallback(
    line: RequestLine,
) -> None:
    covering = make_organisation("Aptver Ogri", covers=("LV-067",))
    elsewhere = make_organisation("Aptver Rīgu", covers=("LV-RIX",))

    matches = {m.organisation_id: m for m in rank_line(line)}

    assert matches[covering.pk].reasons[1].points == 15.0
    assert matches[elsewhere.pk].reasons[1].points == 0.0
    assert list(matches) == [covering.pk, elsewhere.pk]


def test_training_coverage_availability_and_load_are_read_from_their_rows(
    line: RequestLine, officer: User
) -> None:
    organisation = make_organisation("Ogre", at=OGRE)
    OrganisationTrainingCoverage.objects.create(
        organisation=organisation, people=8, trained_people=6
    )
    people = add_people(organisation, 4)
    answered_available(people[:3])
    answered_available(people[3:], hours_ago=100)  # too long ago (72 hours)
    answered_available(add_people(organisation, 1, prefix="safe"), answer="safe")
    other = make_request(created_by=officer, title="Cits")
    other_line = make_line(other, quantity=20, claimed=7)
    for state, quantity in (("claimed", 3), ("under_way", 2), ("done", 2), ("released", 5)):
        Claim.objects.create(
            line=other_line, organisation=organisation, quantity=Decimal(quantity), state=state
        )
    closed = make_request(created_by=officer, title="Slēgts", state=AssistanceRequest.State.CLOSED)
    Claim.objects.create(
        line=make_line(closed, claimed=1), organisation=organisation, quantity=Decimal(1)
    )

    (match,) = rank_line(line)

    reasons = {reason.code: reason for reason in match.reasons}
    assert (reasons["training"].value, reasons["training"].points) == (0.75, 7.5)
    assert (reasons["availability"].value, reasons["availability"].points) == (3.0, 6.0)
    assert (reasons["load"].value, reasons["load"].points) == (3.0, -9.0)


def test_a_claimed_out_line_ranks_nobody(officer: User) -> None:
    line = make_line(make_request(created_by=officer), quantity=5, claimed=5)
    make_organisation("Ogre", at=OGRE)

    assert rank_line(line) == []


# --- The page -----------------------------------------------------------------------------------


def test_the_officer_sees_the_ranking_with_reasons_and_remaining(
    line: RequestLine, client_officer: Client, english: None
) -> None:
    ogre = make_organisation("Ogres Samarieši", at=OGRE, startup_hours=2)
    make_organisation("Rīgas Palīgi", at=RIGA)
    line.claimed = Decimal(4)
    line.save(update_fields=["claimed"])

    response = client_officer.get(url(line))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html
    assert "6 of 10 seats still needed" in html
    assert reverse("network:organisation", args=[ogre.pk]) in html
    assert html.index("Ogres Samarieši") < html.index("Rīgas Palīgi")
    assert "Can start within 2 hours" in html
    assert "34 km away" in html
    assert "How the ranking works" in html
    assert 'name="count"' in html


@pytest.mark.parametrize(
    ("claimed", "capability", "note"),
    [
        (10, "transport", "the whole quantity of this line is already claimed"),
        (0, "premises", "no organisation of the network offers this capability"),
    ],
)
def test_it_says_why_nobody_is_ranked(
    officer: User, client_officer: Client, english: None, claimed: int, capability: str, note: str
) -> None:
    line = make_line(make_request(created_by=officer), capability=capability, claimed=claimed)
    make_organisation("Ogre", at=OGRE)

    response = client_officer.get(url(line))

    assert note in response.content.decode()
    assert 'name="count"' not in response.content.decode()


def test_only_the_best_fifty_are_shown_with_a_note(
    line: RequestLine, client_officer: Client, english: None
) -> None:
    for n in range(53):
        make_organisation(f"Org {n:02}", at=OGRE)

    html = client_officer.get(url(line)).content.decode()

    assert html.count('<th scope="row">') == 50
    assert "Only the best 50 of 53 organisations are shown." in html


def test_the_page_reads_in_a_fixed_number_of_queries(
    line: RequestLine,
    client_officer: Client,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    for n in range(30):
        organisation = make_organisation(
            f"Org {n:02}", at=RIGA if n % 2 else None, covers=("LV-067",)
        )
        OrganisationTrainingCoverage.objects.create(organisation=organisation, people=2)
        answered_available(add_people(organisation, 1))
    client_officer.get(url(line))  # warm the session and roles

    with django_assert_max_num_queries(14):
        response = client_officer.get(url(line))

    assert response.status_code == 200


def test_an_organisation_admin_who_can_see_the_request_is_refused(
    line: RequestLine, client_admin_a: Client
) -> None:
    response = client_admin_a.get(url(line))  # offered to the network: visible, not theirs

    assert response.status_code == 403
    assert b"Evaku" not in response.content


def test_someone_who_cannot_see_the_request_gets_not_found(officer: User, admin_a: User) -> None:
    hidden = make_line(make_request(created_by=officer, offered_to_network=False))
    make_organisation("Ogre", at=OGRE)

    assert client_for(admin_a).get(url(hidden)).status_code == 404
    assert Client().get(url(hidden)).status_code == 302  # to sign in


def test_an_officer_of_another_municipality_gets_not_found(officer: User, reference: None) -> None:
    riga = Institution.objects.create(name="Rīgas komisija", kind=Institution.Kind.MUNICIPALITY)
    riga.municipalities.set([place("LV-RIX")])
    other = make_user("officer@riga.example")
    Person.objects.create(full_name="Rīdzinieks", user=other, institution=riga)
    line = make_line(make_request(created_by=officer))

    assert client_for(other).get(url(line)).status_code == 404


def test_a_line_of_another_request_is_not_found(
    line: RequestLine, client_officer: Client, officer: User
) -> None:
    other = make_request(created_by=officer, title="Cits")
    response = client_officer.get(
        reverse("assistance:matches", kwargs={"request_id": other.pk, "line_id": line.pk})
    )
    assert response.status_code == 404


def test_the_coordinator_may_manage_any_request(
    line: RequestLine, client_coordinator: Client
) -> None:
    assert client_coordinator.get(url(line)).status_code == 200
