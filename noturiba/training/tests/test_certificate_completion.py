"""Who completes a course: hours attended against the course's hours, the score against the pass
mark. Figures worked out by hand in each test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from noturiba.training.models import Course, Enrolment
from noturiba.training.selectors.certificates import (
    Shortfall,
    completion_of,
    course_hours,
    hours_needed,
)
from noturiba.training.tests.certificate_support import make_course

pytestmark = pytest.mark.django_db


def _enrolment(hours: str | None, score: int | None) -> Enrolment:
    return Enrolment(hours_attended=None if hours is None else Decimal(hours), score=score)


def _course(pass_mark: int | None = 60, percent: int = 80) -> Course:
    return Course(pass_mark=pass_mark, min_attendance_percent=percent)


def test_course_hours_are_the_sum_of_its_modules() -> None:
    assert course_hours(make_course(hours=("6", "4.5", "0.5"), validity_months=(None,) * 3)) == (
        Decimal("11.0")
    )


def test_course_without_modules_has_no_hours() -> None:
    assert course_hours(Course.objects.create(code="empty", name_lv="T", name_en="E")) == 0


# 80 % of 10 hours is exactly 8.0 hours.
@pytest.mark.parametrize(
    ("hours", "completed"),
    [("8.0", True), ("7.9", False), ("10", True), ("12", True), ("0", False)],
)
def test_hours_boundary(hours: str, completed: bool) -> None:
    shortfalls = completion_of(_enrolment(hours, 90), _course(), Decimal("10"))

    assert (shortfalls == []) is completed
    assert shortfalls in ([], [Shortfall.HOURS_SHORT])


def test_percent_of_odd_hours_is_compared_exactly() -> None:
    # 75 % of 10.5 h = 7.875 h: 7.8 falls short, 7.9 reaches it (no rounding to one decimal).
    course = _course(percent=75)

    assert completion_of(_enrolment("7.8", 90), course, Decimal("10.5")) == [Shortfall.HOURS_SHORT]
    assert completion_of(_enrolment("7.9", 90), course, Decimal("10.5")) == []


def test_hundred_percent_needs_every_hour() -> None:
    course = _course(percent=100)

    assert completion_of(_enrolment("9.5", 90), course, Decimal("10")) == [Shortfall.HOURS_SHORT]
    assert completion_of(_enrolment("10", 90), course, Decimal("10")) == []


@pytest.mark.parametrize(("score", "completed"), [(60, True), (59, False), (100, True), (0, False)])
def test_score_boundary(score: int, completed: bool) -> None:
    shortfalls = completion_of(_enrolment("10", score), _course(pass_mark=60), Decimal("10"))

    assert shortfalls == ([] if completed else [Shortfall.SCORE_BELOW])


def test_a_missing_score_fails_a_course_with_a_pass_mark() -> None:
    assert completion_of(_enrolment("10", None), _course(pass_mark=60), Decimal("10")) == [
        Shortfall.NO_SCORE
    ]


def test_without_a_pass_mark_the_score_does_not_matter() -> None:
    course = _course(pass_mark=None)

    assert completion_of(_enrolment("10", None), course, Decimal("10")) == []
    assert completion_of(_enrolment("10", 0), course, Decimal("10")) == []


def test_a_pass_mark_of_zero_still_needs_a_score() -> None:
    course = _course(pass_mark=0)

    assert completion_of(_enrolment("10", 0), course, Decimal("10")) == []
    assert completion_of(_enrolment("10", None), course, Decimal("10")) == [Shortfall.NO_SCORE]


def test_attendance_not_recorded() -> None:
    assert completion_of(_enrolment(None, 90), _course(), Decimal("10")) == [Shortfall.NOT_RECORDED]


def test_marked_absent_without_hours_is_hours_short() -> None:
    enrolment = _enrolment(None, 90)
    enrolment.attendance = Enrolment.Attendance.ABSENT

    assert completion_of(enrolment, _course(), Decimal("10")) == [Shortfall.HOURS_SHORT]


def test_every_shortfall_is_listed() -> None:
    assert completion_of(_enrolment("2", 10), _course(), Decimal("10")) == [
        Shortfall.HOURS_SHORT,
        Shortfall.SCORE_BELOW,
    ]
    assert completion_of(_enrolment(None, None), _course(), Decimal("10")) == [
        Shortfall.NOT_RECORDED,
        Shortfall.NO_SCORE,
    ]


@pytest.mark.parametrize(
    ("total", "percent", "needed"),
    [("10", 80, "8.0"), ("10.5", 75, "7.9"), ("10.5", 80, "8.4"), ("3", 33, "1.0")],
)
def test_hours_needed_is_the_fewest_recordable_hours_that_complete(
    total: str, percent: int, needed: str
) -> None:
    course = _course(percent=percent)

    assert hours_needed(course, Decimal(total)) == Decimal(needed)
    assert completion_of(_enrolment(needed, 90), course, Decimal(total)) == []
    below = Decimal(needed) - Decimal("0.1")
    assert completion_of(_enrolment(str(below), 90), course, Decimal(total)) != []
