"""Expiry arithmetic: completion is the Europe/Riga calendar date of the session's end, whatever
the UTC date or the active time zone; validity is calendar months, clamped at a month's end; the
last day is still valid, the next is expired. Riga is UTC+2 in winter, UTC+3 in summer (the
clocks change at 01:00 UTC on the last Sundays of March and October)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.training.actions.certificates import close_results, expiry_date
from noturiba.training.models import Certificate
from noturiba.training.selectors.certificates import riga_date
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _issue(trainer: User, ends_at: datetime.datetime, months: int | None = 24) -> Certificate:
    session = make_session(
        make_course(validity_months=(months, None)), trainers=(trainer,), ends_at=ends_at
    )
    enrol(session, make_person())
    [certificate] = close_results(trainer, session=session)
    return certificate


@pytest.mark.parametrize(
    ("ends_at_utc", "riga_day"),
    [
        # 23:30 UTC on 31 March 2026 is 02:30 on 1 April in Riga (summer time, UTC+3).
        (datetime.datetime(2026, 3, 31, 23, 30), datetime.date(2026, 4, 1)),
        # Winter (UTC+2): 21:59 UTC is 23:59 the same day, 22:00 UTC is midnight of the next.
        (datetime.datetime(2026, 1, 15, 21, 59), datetime.date(2026, 1, 15)),
        (datetime.datetime(2026, 1, 15, 22, 0), datetime.date(2026, 1, 16)),
        # Summer (UTC+3): 20:59 UTC is 23:59, 21:00 UTC is midnight of the next day.
        (datetime.datetime(2026, 7, 15, 20, 59), datetime.date(2026, 7, 15)),
        (datetime.datetime(2026, 7, 15, 21, 0), datetime.date(2026, 7, 16)),
        # Spring forward, Sunday 29 March 2026 (03:00 EET → 04:00 EEST):
        (datetime.datetime(2026, 3, 28, 22, 30), datetime.date(2026, 3, 29)),  # 00:30 EET
        (datetime.datetime(2026, 3, 29, 20, 59), datetime.date(2026, 3, 29)),  # 23:59 EEST
        (datetime.datetime(2026, 3, 29, 21, 0), datetime.date(2026, 3, 30)),  # 00:00 EEST
        # Fall back, Sunday 25 October 2026 (04:00 EEST → 03:00 EET):
        (datetime.datetime(2026, 10, 24, 21, 30), datetime.date(2026, 10, 25)),  # 00:30 EEST
        (datetime.datetime(2026, 10, 25, 21, 59), datetime.date(2026, 10, 25)),  # 23:59 EET
        (datetime.datetime(2026, 10, 25, 22, 0), datetime.date(2026, 10, 26)),  # 00:00 EET
        # 29 February 2024, 22:30 UTC is already 1 March in Riga (winter).
        (datetime.datetime(2024, 2, 29, 22, 30), datetime.date(2024, 3, 1)),
    ],
)
def test_completion_is_the_riga_date_of_the_end(
    trainer: User, ends_at_utc: datetime.datetime, riga_day: datetime.date
) -> None:
    certificate = _issue(trainer, ends_at_utc.replace(tzinfo=UTC))

    assert certificate.completed_on == riga_day
    assert certificate.grants.get(competency__validity_months=24).acquired_on == riga_day


def test_the_active_time_zone_does_not_move_the_date(trainer: User) -> None:
    ends_at = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)

    with timezone.override("America/New_York"):  # 19:30 on 31 March there
        certificate = _issue(trainer, ends_at)

    assert certificate.completed_on == datetime.date(2026, 4, 1)
    assert riga_date(ends_at) == datetime.date(2026, 4, 1)


def test_a_session_ending_on_the_last_utc_night_of_march_is_valid_24_months_from_april(
    trainer: User,
) -> None:
    certificate = _issue(trainer, datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    assert certificate.valid_until == datetime.date(2028, 4, 1)
    assert certificate.grants.get(competency__validity_months=24).valid_until == datetime.date(
        2028, 4, 1
    )


@pytest.mark.parametrize(
    ("completed", "months", "until"),
    [
        (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),  # no 29 Feb in 2026
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),  # a leap year again
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 8, 31), 1, datetime.date(2026, 9, 30)),
        (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
        (datetime.date(2026, 3, 29), 6, datetime.date(2026, 9, 29)),
        (datetime.date(2026, 6, 10), None, None),
    ],
)
def test_calendar_months_clamped_at_the_months_end(
    completed: datetime.date, months: int | None, until: datetime.date | None
) -> None:
    assert expiry_date(completed, months) == until


def test_24_months_from_29_february_through_an_issued_certificate(trainer: User) -> None:
    certificate = _issue(trainer, datetime.datetime(2024, 2, 29, 12, 0, tzinfo=UTC))

    assert certificate.completed_on == datetime.date(2024, 2, 29)
    assert certificate.valid_until == datetime.date(2026, 2, 28)


def test_the_last_day_is_valid_and_the_next_expired(trainer: User) -> None:
    certificate = _issue(trainer, datetime.datetime(2024, 2, 29, 12, 0, tzinfo=UTC))

    assert certificate.state_on(datetime.date(2026, 2, 27)) == "valid"
    assert certificate.state_on(datetime.date(2026, 2, 28)) == "valid"
    assert certificate.state_on(datetime.date(2026, 3, 1)) == "expired"


def test_the_earliest_competency_sets_the_certificates_expiry(trainer: User) -> None:
    session = make_session(
        make_course(hours=("2", "2", "2"), validity_months=(36, 12, None)),
        trainers=(trainer,),
        ends_at=datetime.datetime(2025, 5, 20, 9, 0, tzinfo=UTC),
    )
    enrol(session, make_person(), hours="6")

    [certificate] = close_results(trainer, session=session)

    assert certificate.valid_until == datetime.date(2026, 5, 20)
    assert sorted(str(day) for day in certificate.grants.values_list("valid_until", flat=True)) == [
        "2026-05-20",
        "2028-05-20",
        "None",
    ]
