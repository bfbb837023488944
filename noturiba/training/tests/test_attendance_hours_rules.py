"""The hours rule of a mark, for any hours: absent is 0 hours; present is the course's hours;
anything between is partly present; nothing above the course, below 0 or finer than a tenth."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from noturiba.training.actions.attendance import settle_attendance

hours = st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False, allow_infinity=False)
course = st.decimals(min_value=Decimal("0.5"), max_value=40, places=1)


@given(
    hours=st.one_of(st.none(), hours), full=course, state=st.sampled_from(["present", "partial"])
)
def test_a_settled_mark_is_within_the_course(
    hours: Decimal | None, full: Decimal, state: str
) -> None:
    try:
        attendance, settled = settle_attendance(state, hours, full)
    except ValidationError as error:
        assert error.code in {
            "hours_missing",
            "hours_negative",
            "hours_too_many",
            "hours_zero",
            "hours_precision",
        }
        return
    assert 0 < settled <= full
    assert settled == (full if hours is None else hours)
    assert (attendance == "present") == (settled == full)
    assert attendance in {"present", "partial"}


@given(hours=st.one_of(st.none(), hours), full=course)
def test_absent_is_always_zero_hours(hours: Decimal | None, full: Decimal) -> None:
    assert settle_attendance("absent", hours, full) == ("absent", Decimal(0))


@pytest.mark.parametrize("state", ["", "maybe", "PRESENT"])
def test_other_states_are_refused(state: str) -> None:
    with pytest.raises(ValidationError):
        settle_attendance(state, None, Decimal(6))
