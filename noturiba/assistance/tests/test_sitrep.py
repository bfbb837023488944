"""The situation report page: figures, what is missing, who is engaged, for a period and an
area, and only within the viewer's jurisdiction."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.accounts.models import User
from noturiba.assistance.exports import three_w_rows
from noturiba.assistance.models import AssistanceRequest, Claim
from noturiba.assistance.selectors.follow import SitrepParams, build_sitrep, sitrep_requests
from noturiba.assistance.tests.follow_data import (
    LIEPAJA_TITLE,
    Situation,
    make_claim,
    make_request,
    make_situation,
)
from noturiba.network.models import CapabilityType, Municipality, Organisation

URL = reverse("assistance:sitrep")


@pytest.fixture
def situation(org_a: Organisation, org_b: Organisation) -> Situation:
    return make_situation(org_a, org_b)


def _default() -> SitrepParams:
    return SitrepParams.default()


def test_it_counts_the_headline_figures_for_a_coordinator(
    coordinator: User, situation: Situation
) -> None:
    report = build_sitrep(coordinator, _default())

    assert report.headline.posted == 4
    assert report.headline.open == 4
    assert report.headline.covered == 1  # the warm room
    assert report.headline.overdue == 1  # first aid: past its deadline, nothing claimed
    assert {item.title for item in report.requests} == {
        situation.ogre_water.title,
        situation.ogre_warm_room.title,
        situation.ogre_first_aid.title,
        LIEPAJA_TITLE,
    }


def test_it_sums_units_per_capability(coordinator: User, situation: Situation) -> None:
    totals = {row.unit: row for row in build_sitrep(coordinator, _default()).totals}

    assert (totals["seats"].requested, totals["seats"].claimed, totals["seats"].done) == (10, 7, 0)
    assert totals["seats"].remaining == 3
    assert (totals["litres"].requested, totals["litres"].claimed, totals["litres"].done) == (
        500,
        200,
        200,
    )
    assert (totals["m2"].requested, totals["m2"].claimed) == (50, 50)
    assert totals["hours"].requested == 20
    assert "meals" not in totals  # the old request ended before the period


def test_it_lists_what_is_missing_most_urgent_and_nearest_deadline_first(
    coordinator: User, situation: Situation
) -> None:
    missing = build_sitrep(coordinator, _default()).missing

    assert [
        (item.request.title, item.line.capability.code, item.remaining) for item in missing
    ] == [
        (situation.ogre_water.title, "transport", 3),
        (situation.ogre_water.title, "drinking_water", 300),
        (LIEPAJA_TITLE, "translation", 15),
        (situation.ogre_first_aid.title, "first_aid", 4),
    ]


def test_it_lists_the_organisations_engaged_with_quantities_by_state(
    coordinator: User, situation: Situation, org_a: Organisation, org_b: Organisation
) -> None:
    engaged = {
        (row.organisation, row.unit): row for row in build_sitrep(coordinator, _default()).engaged
    }

    assert engaged[(org_a.name, "seats")].claimed == 7
    assert engaged[(org_a.name, "m2")].under_way == 50
    assert engaged[(org_b.name, "litres")].done == 200
    assert engaged[(org_b.name, "hours")].claimed == 5
    assert all(row.claims == 1 for row in engaged.values())


def test_an_officer_sees_only_their_jurisdiction(
    client_officer: Client, situation: Situation, org_b: Organisation
) -> None:
    response = client_officer.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert situation.ogre_water.title in body
    assert LIEPAJA_TITLE not in body
    report = response.context["report"]
    assert report.headline.posted == 3
    assert [row.unit for row in report.engaged if row.organisation == org_b.name] == ["litres"]
    assert [m.code for m in report.area] == ["LV-067"]


def test_an_officer_cannot_ask_for_another_municipality(
    client_officer: Client, situation: Situation
) -> None:
    response = client_officer.get(URL, {"municipality": "LV-LPX"})

    assert response.status_code == 400
    assert LIEPAJA_TITLE not in response.content.decode()
    assert "report" not in response.context


def test_a_coordinator_narrows_the_area_to_one_municipality(
    client_coordinator: Client, situation: Situation
) -> None:
    response = client_coordinator.get(URL, {"municipality": "LV-LPX"})

    report = response.context["report"]
    assert [item.title for item in report.requests] == [LIEPAJA_TITLE]
    assert report.headline.posted == 1


def test_the_period_decides_which_requests_count(coordinator: User, situation: Situation) -> None:
    today = timezone.localdate()
    month_ago = SitrepParams(
        date_from=today - datetime.timedelta(days=31), date_to=today - datetime.timedelta(days=22)
    )

    report = build_sitrep(coordinator, month_ago)

    assert [item.title for item in report.requests] == [situation.ogre_old.title]
    assert report.headline.posted == 1
    assert report.headline.open == 0


def test_it_shows_the_parameters_and_the_generation_time(
    client_coordinator: Client, situation: Situation, english: None
) -> None:
    response = client_coordinator.get(
        URL, {"date_from": "2026-01-05", "date_to": "2026-01-11", "municipality": "LV-067"}
    )

    body = response.content.decode()
    assert "Period" in body and "Generated" in body
    assert "Ogre Municipality" in body
    assert 'value="2026-01-05"' in body
    assert "date_from=2026-01-05" in response.context["pdf_url"]
    assert "municipality=LV-067" in response.context["csv_url"]


def test_it_defaults_to_the_last_seven_days(
    client_coordinator: Client, situation: Situation
) -> None:
    report = client_coordinator.get(URL).context["report"]

    today = timezone.localdate()
    assert report.params.date_to == today
    assert report.params.date_from == today - datetime.timedelta(days=6)


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-02-10", "date_to": "2026-02-01"},
        {"date_from": "not a date"},
        {"date_from": "2020-01-01", "date_to": "2026-01-01"},
        {"municipality": "LV-XXX"},
    ],
)
def test_bad_parameters_show_errors_not_a_report(
    client_coordinator: Client, situation: Situation, query: dict[str, str]
) -> None:
    response = client_coordinator.get(URL, query)

    assert response.status_code == 400
    assert "report" not in response.context
    assert 'class="form-errors"' in response.content.decode()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_outsiders_get_403_and_no_data(
    request: pytest.FixtureRequest, who: str, situation: Situation
) -> None:
    from noturiba.conftest import client_for

    response = client_for(request.getfixturevalue(who)).get(URL)

    assert response.status_code == 403
    assert situation.ogre_water.title not in response.content.decode()


def test_the_anonymous_are_sent_to_sign_in(client: Client, situation: Situation) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"] or "sign" in response["Location"]


def test_the_page_runs_a_fixed_number_of_queries(
    client_coordinator: Client,
    situation: Situation,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(30):
        make_request(
            title=f"Papildu pieprasījums {number}",
            municipality="LV-RIX" if number % 2 else "LV-067",
            lines=[("transport", 5), ("food", 10)],
            urgency=AssistanceRequest.UrgencyChoice.UNKNOWN,
        )
    client_coordinator.get(URL)  # the session and the roles, warmed

    with django_assert_max_num_queries(20):
        response = client_coordinator.get(URL)

    assert response.context["report"].headline.posted == 34
    assert Municipality.objects.exists()


CLAIM = st.tuples(
    st.sampled_from(["a", "b"]),
    st.integers(min_value=1, max_value=20),
    st.sampled_from([state.value for state in Claim.State]),
)
LINE = st.tuples(
    st.sampled_from(["transport", "food", "first_aid"]),
    st.integers(min_value=1, max_value=40),
    st.lists(CLAIM, max_size=4),
)
REQUEST = st.lists(LINE, min_size=1, max_size=3)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests=st.lists(REQUEST, min_size=1, max_size=4))
def test_the_report_and_the_3w_export_agree_with_the_claims(
    coordinator: User, org_a: Organisation, org_b: Organisation, requests: list[Any]
) -> None:
    organisations = {"a": org_a, "b": org_b}
    with transaction.atomic():
        active: dict[str, Decimal] = defaultdict(Decimal)
        done: dict[str, Decimal] = defaultdict(Decimal)
        requested: dict[str, Decimal] = defaultdict(Decimal)
        covered = 0
        active_claims = 0
        for number, lines in enumerate(requests):
            request = make_request(
                title=f"Pieprasījums {number}",
                municipality="LV-067",
                lines=[(code, quantity) for code, quantity, _claims in lines],
            )
            all_covered = True
            for line, (code, quantity, claims) in zip(
                request.lines.order_by("position"), lines, strict=True
            ):
                requested[code] += quantity
                left = quantity
                for who, wanted, state in claims:
                    counts = state in Claim.ACTIVE
                    amount = min(wanted, left) if counts else wanted
                    if amount <= 0:
                        continue
                    make_claim(line, organisations[who], amount, state)
                    if counts:
                        left -= amount
                        active[code] += amount
                        active_claims += 1
                    if state == Claim.State.DONE:
                        done[code] += amount
                all_covered = all_covered and left == 0
            covered += all_covered

        report = build_sitrep(coordinator, _default())
        rows = list(
            csv.reader(io.StringIO("".join(three_w_rows(sitrep_requests(coordinator, _default())))))
        )
        transaction.set_rollback(True)

    totals = {row.capability: row for row in report.totals}
    codes = {CapabilityType.objects.get(code=code).name: code for code in requested}
    assert {codes[name]: row.requested for name, row in totals.items()} == requested
    assert {codes[name]: row.claimed for name, row in totals.items()} == {
        code: active[code] for code in requested
    }
    assert {codes[name]: row.done for name, row in totals.items()} == {
        code: done[code] for code in requested
    }
    assert sum(item.remaining for item in report.missing) == sum(
        requested[code] - active[code] for code in requested
    )
    assert report.headline.covered == covered
    tags = rows[1]
    claim_rows = [dict(zip(tags, row, strict=True)) for row in rows[2:] if row[0]]
    assert len(claim_rows) == active_claims
    for code in requested:
        assert (
            sum(
                Decimal(row["#reached+num+planned"])
                for row in claim_rows
                if row["#activity+code"] == code
            )
            == active[code]
        )
