"""The request board (``/requests/``): tabs with counts, filters, order, pages, queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest
from noturiba.assistance.selectors.requests import BoardFilters, board_counts
from noturiba.assistance.tests.requests_data import make_request

pytestmark = pytest.mark.django_db

URL = reverse("assistance:board")


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


@pytest.fixture
def board(reference: None) -> dict[str, AssistanceRequest]:
    """One request of each kind in Ogre, one in Rīga."""
    return {
        "untouched": make_request(title="Untouched", deadline=hours(5)),
        "partly": make_request(
            title="Partly",
            lines=[("transport", 10, 7), ("translation", 4, 0)],
            deadline=hours(3),
        ),
        "covered": make_request(title="Covered", lines=[("transport", 10, 10)], deadline=hours(1)),
        "overdue": make_request(title="Overdue", deadline=hours(-2)),
        "covered_late": make_request(
            title="Covered late", lines=[("food", 50, 50)], deadline=hours(-1)
        ),
        "closed": make_request(title="Closed", state=AssistanceRequest.State.CLOSED),
        "cancelled": make_request(title="Cancelled", state=AssistanceRequest.State.CANCELLED),
        "riga": make_request(
            title="Riga water",
            municipality="LV-RIX",
            lines=[("drinking_water", 1000, 0)],
            urgency="Expected",
            deadline=hours(8),
        ),
    }


def titles(response: Any) -> list[str]:
    return [row["request"].title for row in response.context["rows"]]


def test_tabs_count_requests_by_coverage(coordinator: User, board: dict[str, Any]) -> None:
    assert board_counts(coordinator, BoardFilters()) == {
        "all": 6,
        "open": 3,  # untouched, overdue, riga
        "partly": 1,
        "covered": 2,
        "overdue": 1,  # covered_late is covered: not overdue
        "closed": 2,
    }


def test_the_default_tab_lists_open_requests_soonest_deadline_first(
    client_coordinator: Client, board: dict[str, Any]
) -> None:
    response = client_coordinator.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "Overdue",
        "Covered late",
        "Covered",
        "Partly",
        "Untouched",
        "Riga water",
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", ["Overdue", "Untouched", "Riga water"]),
        ("partly", ["Partly"]),
        ("covered", ["Covered late", "Covered"]),
        ("overdue", ["Overdue"]),
    ],
)
def test_each_tab_lists_its_requests(
    client_coordinator: Client, board: dict[str, Any], status: str, expected: list[str]
) -> None:
    assert titles(client_coordinator.get(URL, {"status": status})) == expected


def test_the_closed_tab_lists_closed_and_cancelled(
    client_coordinator: Client, board: dict[str, Any]
) -> None:
    assert sorted(titles(client_coordinator.get(URL, {"status": "closed"}))) == [
        "Cancelled",
        "Closed",
    ]


def test_filters_narrow_rows_and_counts(client_coordinator: Client, board: dict[str, Any]) -> None:
    response = client_coordinator.get(URL, {"municipality": "LV-RIX"})
    assert titles(response) == ["Riga water"]
    assert {tab["key"]: tab["count"] for tab in response.context["tabs"]}["all"] == 1
    assert titles(client_coordinator.get(URL, {"capability": "translation"})) == ["Partly"]
    assert titles(client_coordinator.get(URL, {"urgency": "Expected"})) == ["Riga water"]


def test_nonsense_filters_are_ignored(client_coordinator: Client, board: dict[str, Any]) -> None:
    response = client_coordinator.get(
        URL, {"status": "bogus", "urgency": "Past'", "page": "x", "municipality": "LV-0<"}
    )
    assert response.status_code == 200
    assert titles(response) == []  # an unknown municipality has no requests
    response = client_coordinator.get(URL, {"status": "bogus", "urgency": "x", "page": "9"})
    assert len(titles(response)) == 6


def test_rows_say_coverage_in_words_and_numbers(
    client_coordinator: Client, board: dict[str, Any], english: None
) -> None:
    body = client_coordinator.get(URL, {"status": "partly"}).content.decode()
    assert "Partly covered" in body
    assert "Transport (seats): 7 of 10 seats" in body
    assert "Translation and languages: 0 of 4 hours" in body
    assert "<caption>" in body and 'scope="col"' in body


def test_an_officer_sees_only_their_jurisdiction(
    client_officer: Client, board: dict[str, Any]
) -> None:
    response = client_officer.get(URL)
    assert "Riga water" not in titles(response)
    assert "Riga water" not in response.content.decode()
    assert len(titles(response)) == 5


def test_the_board_pages_by_50(client_coordinator: Client, reference: None) -> None:
    for index in range(53):
        make_request(title=f"Request {index:02d}", deadline=hours(1 + index))
    first = client_coordinator.get(URL)
    assert len(titles(first)) == 50
    assert first.context["page"].paginator.count == 53
    second = client_coordinator.get(URL, {"page": "2"})
    assert titles(second) == ["Request 50", "Request 51", "Request 52"]


def test_the_board_runs_a_fixed_number_of_queries(
    client_officer: Client, reference: None, django_assert_max_num_queries: Any
) -> None:
    for index in range(30):
        make_request(
            title=f"Request {index}",
            lines=[("transport", 10, index % 11), ("food", 5, 0)],
            deadline=hours(index - 5),
        )
    client_officer.get(URL)
    # session, user, roles (person, memberships, institution, jurisdiction), the tabs' counts,
    # the rows, their lines, the filters' municipalities and capabilities
    with django_assert_max_num_queries(11):
        response = client_officer.get(URL)
    assert len(titles(response)) == 30


def test_organisation_people_see_requests_offered_to_the_network(
    client_member_a: Client, board: dict[str, Any]
) -> None:
    make_request(title="Invitation only", offered_to_network=False)
    listed = titles(client_member_a.get(URL))
    assert "Invitation only" not in listed
    assert "Riga water" in listed


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


LINE = st.tuples(st.integers(1, 50), st.integers(0, 50)).map(
    lambda pair: (pair[0], min(pair[0], pair[1]))  # (quantity, claimed ≤ quantity)
)
REQUEST = st.tuples(
    st.lists(LINE, min_size=1, max_size=3),
    st.booleans(),  # deadline passed
    st.sampled_from(["open", "open", "closed", "cancelled"]),
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests=st.lists(REQUEST, max_size=8))
def test_tab_counts_match_each_requests_lines(
    coordinator: User, requests: list[tuple[list[tuple[int, int]], bool, str]]
) -> None:
    AssistanceRequest.objects.all().delete()
    expected = dict.fromkeys(("all", "open", "partly", "covered", "overdue", "closed"), 0)
    for lines, late, state in requests:
        make_request(
            lines=[("transport", quantity, claimed) for quantity, claimed in lines],
            deadline=hours(-1 if late else 1),
            state=state,
        )
        quantity = sum(q for q, _ in lines)
        claimed = sum(c for _, c in lines)
        if state != "open":
            expected["closed"] += 1
            continue
        expected["all"] += 1
        tab = "open" if claimed == 0 else "covered" if claimed >= quantity else "partly"
        expected[tab] += 1
        expected["overdue"] += late and claimed < quantity
    assert board_counts(coordinator, BoardFilters()) == expected
