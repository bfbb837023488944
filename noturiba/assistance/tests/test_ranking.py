"""Ranking a request line, checked by hand: four organisations around a need in Ogre.

The need: 10 seats at Ogre (56.8162 N, 24.6140 E). Great-circle distances (haversine, R =
6371.0088 km): Ogre 0 km, Rīga (56.9496, 24.1052) 34.29 km, Liepāja (56.5047, 21.0108) 222.88 km.

=================  ========  ==============  ========  ========  =====  ====  ======
organisation       capacity  distance        start-up  training  avail  load  score
=================  ========  ==============  ========  ========  =====  ====  ======
Ogres Samarieši    30        30 (0 km)       12.86 (2h) 5 (4/8)  2 (1)  0     79.86
Rīgas Palīgi       30        17.80 (34 km)   15 (0h)   0 (?)     10 (6) −6(2) 66.80
Bez adreses        30        15 (covers)     5 (24h)   0 (?)     0      0     50.00
Liepājas Jaunieši  15 (5/10) 5.50 (223 km)   5 (?)     10 (10/10) 0     0     35.50
=================  ========  ==============  ========  ========  =====  ====  ======

30 / (1 + 34.285 / 50) = 17.797; 30 / (1 + 222.882 / 50) = 5.497; 15 / (1 + 2 / 12) = 12.857.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from noturiba.assistance.ranking import Candidate, Need, rank
from noturiba.lib.geo import distance_km

OGRE = (56.8162, 24.6140)
RIGA = (56.9496, 24.1052)
LIEPAJA = (56.5047, 21.0108)
SEATS = 1


def need(remaining: int = 10) -> Need:
    return Need(
        capability_id=SEATS,
        remaining=Decimal(remaining),
        unit="seats",
        latitude=OGRE[0],
        longitude=OGRE[1],
        municipality_id=67,
    )


def organisations() -> list[Candidate]:
    return [
        Candidate(4, "Liepājas Jaunieši", SEATS, 5.0, None, *LIEPAJA, people=10, trained_people=10),
        Candidate(2, "Rīgas Palīgi", SEATS, 20.0, 0, *RIGA, available_people=6, active_claims=2),
        Candidate(
            1,
            "Ogres Samarieši",
            SEATS,
            10.0,
            2,
            *OGRE,
            people=8,
            trained_people=4,
            available_people=1,
        ),
        Candidate(3, "Bez adreses", SEATS, 10.0, 24, covers_municipality=True),
        Candidate(5, "Cits piedāvājums", 2, 100.0, 0, *OGRE),
    ]


def test_distances_are_great_circle_km() -> None:
    assert distance_km(*OGRE, *RIGA) == pytest.approx(34.29, abs=0.01)
    assert distance_km(*OGRE, *LIEPAJA) == pytest.approx(222.88, abs=0.01)
    assert distance_km(*OGRE, *OGRE) == 0


def test_it_ranks_the_four_in_the_hand_computed_order_and_scores() -> None:
    ranking = rank(need(), organisations())

    assert [(m.rank, m.name, m.score) for m in ranking.matches] == [
        (1, "Ogres Samarieši", 79.86),
        (2, "Rīgas Palīgi", 66.80),
        (3, "Bez adreses", 50.00),
        (4, "Liepājas Jaunieši", 35.50),
    ]
    assert ranking.total == 4


def test_each_factor_has_its_points() -> None:
    by_name = {
        m.name: {r.code: r.points for r in m.reasons} for m in rank(need(), organisations()).matches
    }

    assert by_name["Ogres Samarieši"] == {
        "capacity": 30.0,
        "distance": 30.0,
        "startup": 12.86,
        "training": 5.0,
        "availability": 2.0,
        "load": 0.0,
    }
    assert by_name["Rīgas Palīgi"] == {
        "capacity": 30.0,
        "distance": 17.8,
        "startup": 15.0,
        "training": 0.0,
        "availability": 10.0,
        "load": -6.0,
    }
    assert by_name["Bez adreses"]["distance"] == 15.0
    assert by_name["Liepājas Jaunieši"]["capacity"] == 15.0
    assert by_name["Liepājas Jaunieši"]["distance"] == 5.5


def test_the_reasons_say_why_in_words(english: None) -> None:
    matches = {m.name: m for m in rank(need(), organisations()).matches}

    riga = [r.text for r in matches["Rīgas Palīgi"].reasons]
    assert riga == [
        "Offers 20 seats: covers all 10 still needed",
        "34 km away",
        "Can start at once",
        "Training coverage not known",
        '6 people answered "available to help" to an alert in the last 72 hours',
        "Holds 2 active claims on open requests",
    ]
    liepaja = [r.text for r in matches["Liepājas Jaunieši"].reasons]
    assert liepaja[0] == "Offers 5 seats: 50% of the 10 still needed"
    assert liepaja[1] == "223 km away"
    assert liepaja[2] == "Start-up time not declared"
    assert liepaja[3] == "10 of 10 people hold a current competency (100%)"
    unplaced = [r.text for r in matches["Bez adreses"].reasons]
    assert unplaced[1] == "No location known; covers the request's municipality"


def test_an_organisation_without_location_outside_the_municipality_gets_no_distance_points(
    english: None,
) -> None:
    lost = Candidate(9, "Nezināma", SEATS, 10.0, 24)

    (match,) = rank(need(), [lost]).matches

    distance = match.reasons[1]
    assert (distance.points, distance.value) == (0.0, None)
    assert distance.text == "No location known, and does not cover the request's municipality"


def test_seat_centre_and_municipality_centre_are_said(english: None) -> None:
    at_centre = Need(SEATS, Decimal(1), "seats", *OGRE, 67, at_municipality_centre=True)
    seated = Candidate(1, "A", SEATS, 1.0, 1, *RIGA, at_seat_centre=True)

    (match,) = rank(at_centre, [seated]).matches

    assert match.reasons[1].text == (
        "34 km away (from its seat municipality's centre to the request's municipality's centre)"
    )


def test_the_remaining_quantity_decides_full_or_partial_capacity() -> None:
    partly_claimed = need(remaining=4)

    matches = {m.name: m for m in rank(partly_claimed, organisations()).matches}

    assert matches["Liepājas Jaunieši"].reasons[0].points == 30.0  # 5 covers the 4 left


def test_a_limit_returns_the_best_and_counts_all() -> None:
    ranking = rank(need(), organisations(), limit=2)

    assert [m.name for m in ranking.matches] == ["Ogres Samarieši", "Rīgas Palīgi"]
    assert ranking.total == 4


def test_a_claimed_out_line_ranks_nobody() -> None:
    assert rank(need(remaining=0), organisations()).matches == []
