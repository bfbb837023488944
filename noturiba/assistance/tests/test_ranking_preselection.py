"""The database's pre-selection of the best candidates changes nothing: the best N read with a
limit are the first N of the ranking of every candidate, in the same order with the same
points — also when scores tie across the N-th place (organisations without coordinates at the
same seat centre, names the database may sort differently)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert
from noturiba.assistance.models import Claim
from noturiba.assistance.selectors.matching import line_ranking, rank_line
from noturiba.assistance.tests.matching_support import (
    add_people,
    make_line,
    make_organisation,
    make_request,
)
from noturiba.network.models import Organisation
from noturiba.training.models import OrganisationTrainingCoverage

SEATS = ("LV-067", "LV-RIX", "LV-LPX", "LV-DGV", "LV-011")
NAMES = ("Ābele", "abele", "Zīle", "Čiekurs", "cits", "Ērglis", "Ēna", "Z", "ž", "A")


def seed_network(generator: random.Random, officer: User) -> None:
    alert = Alert.objects.create(
        event="Plūdi", headline="Plūdi", sent=timezone.now() - datetime.timedelta(hours=2)
    )
    other_line = make_line(make_request(created_by=officer, title="Cits"), quantity=500)
    for number in range(70):
        kind = generator.random()
        at = None
        if kind < 0.5:
            at = (
                Decimal(f"{generator.uniform(55.7, 58.0):.5f}"),
                Decimal(f"{generator.uniform(21.0, 28.0):.5f}"),
            )
        seat = generator.choice(SEATS) if kind < 0.85 else None
        organisation = make_organisation(
            f"{generator.choice(NAMES)} {number % 7}",
            at=at,
            seat=seat,
            covers=("LV-067",) if generator.random() < 0.5 else (),
            quantity=generator.choice((2, 5, 10, 10, 10, 40)),
            startup_hours=generator.choice((None, 0, 2, 12, 48)),
        )
        if generator.random() < 0.4:
            people = generator.randint(1, 20)
            OrganisationTrainingCoverage.objects.create(
                organisation=organisation,
                people=people,
                trained_people=generator.randint(0, people),
            )
        if generator.random() < 0.3:
            answered = add_people(organisation, generator.randint(1, 7))
            Acknowledgement.objects.bulk_create(
                Acknowledgement(
                    alert=alert, person=person, answer="available", via=Acknowledgement.Via.LINK
                )
                for person in answered
            )
        for _ in range(generator.choice((0, 0, 0, 1, 2, 6))):
            Claim.objects.create(line=other_line, organisation=organisation, quantity=Decimal(1))


def ties_at_seat_centre(count: int) -> list[Organisation]:
    """Organisations equal in everything but name: the same seat centre, quantity and hours."""
    return [
        make_organisation(f"Vienādā {name} {n}", seat="LV-LPX", quantity=10, startup_hours=2)
        for n, name in enumerate(NAMES[:count])
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_best_read_with_a_limit_are_the_head_of_the_full_ranking(
    seed: int, officer: User
) -> None:
    seed_network(random.Random(seed), officer)
    ties_at_seat_centre(10)
    line = make_line(make_request(created_by=officer), quantity=10, claimed=2)

    everyone = rank_line(line)

    assert len(everyone) > 60
    for limit in (1, 5, 20, 50):
        best = line_ranking(line, limit=limit)
        assert best.matches == everyone[:limit], limit
        assert best.total == len(everyone), limit


def test_a_tie_group_across_the_last_place_is_read_whole(officer: User) -> None:
    ties = ties_at_seat_centre(10)
    line = make_line(make_request(created_by=officer), quantity=10)

    everyone = rank_line(line)
    best = rank_line(line, limit=3)

    assert len({match.score for match in everyone}) == 1
    assert best == everyone[:3]
    assert {match.organisation_id for match in everyone} == {o.pk for o in ties}
