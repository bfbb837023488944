"""Capacities follow from the floor area: 0.75 m² (short stay) and 3.5 m² (Sphere) per person,
rounded down; no floor area → no capacity."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from noturiba.shelters.models import Shelter


def shelter(area: str | None, occupancy: int = 0) -> Shelter:
    return Shelter(floor_area=Decimal(area) if area is not None else None, occupancy=occupancy)


def test_75_square_metres_hold_100_for_a_short_stay_and_21_for_longer() -> None:
    assert shelter("75").short_stay_capacity == 100
    assert shelter("75").sphere_capacity == 21  # 75 / 3.5 = 21.43


def test_capacities_round_down() -> None:
    assert shelter("0.7").short_stay_capacity == 0
    assert shelter("1.4").short_stay_capacity == 1
    assert shelter("6.9").sphere_capacity == 1
    assert shelter("112.5").short_stay_capacity == 150
    assert shelter("112.5").sphere_capacity == 32


def test_without_a_floor_area_there_is_no_capacity_and_no_free_places() -> None:
    empty = shelter(None, occupancy=5)
    assert empty.short_stay_capacity is None
    assert empty.sphere_capacity is None
    assert empty.free_places is None


def test_free_places_never_go_below_zero() -> None:
    assert shelter("75", occupancy=34).free_places == 66
    assert shelter("75", occupancy=120).free_places == 0
    assert shelter("75", occupancy=30).free_places_long_stay == 0


@given(
    tenths=st.integers(min_value=1, max_value=10_000_000),
    occupancy=st.integers(min_value=0, max_value=100_000),
)
def test_short_stay_is_the_largest_whole_number_of_075_square_metres(
    tenths: int, occupancy: int
) -> None:
    area = Decimal(tenths) / 10
    place = shelter(str(area), occupancy)
    short, sphere = place.short_stay_capacity, place.sphere_capacity
    assert short is not None and sphere is not None
    assert short * Decimal("0.75") <= area < (short + 1) * Decimal("0.75")
    assert sphere * Decimal("3.5") <= area < (sphere + 1) * Decimal("3.5")
    assert sphere <= short
    assert place.free_places == max(short - occupancy, 0)
