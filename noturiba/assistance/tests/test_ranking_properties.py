"""Properties of the ranking (hypothesis), on the pure function: only organisations offering the
capability are ranked; nearer beats farther all else equal; a claimed-out line ranks nobody;
scores are deterministic and the ranking is sorted."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from noturiba.assistance.ranking import Candidate, Need, distance_points, rank
from noturiba.lib.geo import distance_km

CAPABILITIES = st.integers(min_value=1, max_value=4)
LATITUDES = st.floats(min_value=55.6, max_value=58.1, allow_nan=False)
LONGITUDES = st.floats(min_value=20.9, max_value=28.3, allow_nan=False)
QUANTITIES = st.decimals(min_value=0, max_value=500, places=2).map(float)


@st.composite
def needs(draw: st.DrawFn, remaining: st.SearchStrategy[Decimal] | None = None) -> Need:
    return Need(
        capability_id=draw(CAPABILITIES),
        remaining=draw(
            st.decimals(min_value=Decimal("0.01"), max_value=500, places=2)
            if remaining is None
            else remaining
        ),
        unit="seats",
        latitude=draw(LATITUDES),
        longitude=draw(LONGITUDES),
        municipality_id=draw(st.integers(1, 43)),
        at_municipality_centre=draw(st.booleans()),
    )


@st.composite
def candidates(draw: st.DrawFn, organisation_id: int) -> Candidate:
    located = draw(st.booleans())
    people = draw(st.none() | st.integers(0, 200))
    return Candidate(
        organisation_id=organisation_id,
        name=draw(st.text(min_size=1, max_size=20)),
        capability_id=draw(CAPABILITIES),
        quantity=draw(QUANTITIES),
        startup_hours=draw(st.none() | st.integers(0, 500)),
        latitude=draw(LATITUDES) if located else None,
        longitude=draw(LONGITUDES) if located else None,
        at_seat_centre=draw(st.booleans()),
        covers_municipality=draw(st.booleans()),
        people=people,
        trained_people=None if people is None else draw(st.integers(0, people)),
        available_people=draw(st.integers(0, 30)),
        active_claims=draw(st.integers(0, 30)),
    )


@st.composite
def networks(draw: st.DrawFn) -> list[Candidate]:
    size = draw(st.integers(0, 25))
    return [draw(candidates(organisation_id=n + 1)) for n in range(size)]


@given(needs(), networks())
def test_no_organisation_lacking_the_capability_is_ranked(
    need: Need, network: list[Candidate]
) -> None:
    offering = {
        c.organisation_id
        for c in network
        if c.capability_id == need.capability_id and c.quantity > 0
    }

    ranked = {m.organisation_id for m in rank(need, network).matches}

    assert ranked == offering


@given(needs(remaining=st.just(Decimal(0))), networks())
def test_a_claimed_out_line_ranks_nobody(need: Need, network: list[Candidate]) -> None:
    ranking = rank(need, network)
    assert ranking.matches == [] and ranking.total == 0


@given(needs(), candidates(organisation_id=1), LATITUDES, LONGITUDES, LATITUDES, LONGITUDES)
def test_nearer_beats_farther_all_else_equal(
    need: Need, base: Candidate, lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    one = dataclasses.replace(
        base,
        capability_id=need.capability_id,
        quantity=base.quantity + 1,
        latitude=lat1,
        longitude=lon1,
    )
    two = dataclasses.replace(one, organisation_id=2, latitude=lat2, longitude=lon2)
    d1 = distance_km(lat1, lon1, need.latitude, need.longitude)
    d2 = distance_km(lat2, lon2, need.latitude, need.longitude)

    first, second = rank(need, [two, one]).matches

    if d1 < d2:
        assert first.organisation_id == 1 and first.score >= second.score
    elif d2 < d1:
        assert first.organisation_id == 2 and first.score >= second.score
    else:
        assert first.score == second.score


@given(st.floats(0, 400), st.floats(0, 400))
def test_distance_points_strictly_fall_with_distance(near: float, far: float) -> None:
    # Apart by more than a millimetre (closer than that, floats may tie: the order then falls
    # to the distance itself, which the nearer-beats-farther property covers).
    if far - near > 1e-6:
        assert distance_points(near) > distance_points(far)


@given(needs(), networks(), st.randoms(use_true_random=False))
def test_scores_are_deterministic_and_the_ranking_sorted(
    need: Need, network: list[Candidate], shuffle: object
) -> None:
    first = rank(need, network).matches
    shuffled = list(network)
    shuffle.shuffle(shuffled)  # type: ignore[attr-defined]

    again = rank(need, shuffled).matches

    assert [(m.organisation_id, m.score, m.reasons) for m in again] == [
        (m.organisation_id, m.score, m.reasons) for m in first
    ]
    assert [m.rank for m in first] == list(range(1, len(first) + 1))
    keys = [(-m.score, float("inf") if m.distance_km is None else m.distance_km) for m in first]
    assert keys == sorted(keys)
    for match in first:
        assert round(sum(r.points for r in match.reasons), 2) == pytest_approx(match.score)


@given(needs(), networks(), st.integers(0, 30))
def test_a_limit_returns_the_head_of_the_full_ranking(
    need: Need, network: list[Candidate], limit: int
) -> None:
    full = rank(need, network).matches
    head = rank(need, network, limit=limit)

    assert head.matches == full[:limit]
    assert head.total == len(full)


def pytest_approx(value: float) -> object:
    import pytest

    return pytest.approx(value, abs=0.06)
