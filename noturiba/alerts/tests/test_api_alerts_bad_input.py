"""``POST /api/v1/alerts`` with bad input: a 4xx in the one error shape, and nothing written.

Named cases say which field is wrong; hypothesis then sends any JSON at all, and bodies that
are nearly right, and no answer may be a 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_saved_list, send_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.tests.api_alerts_support import BODY, api_for, draft
from noturiba.api.tests.conftest import error_of
from noturiba.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def audience(**filters: Any) -> dict[str, Any]:
    return {**BODY, "audience": filters}


CASES: list[tuple[str, dict[str, Any], str]] = [
    ("no headline", {k: v for k, v in BODY.items() if k != "headline"}, "headline"),
    ("empty headline", {**BODY, "headline": " "}, "headline"),
    ("headline too long", {**BODY, "headline": "x" * 161}, "headline"),
    ("NUL in the event", {**BODY, "event": "Plūdi\x00"}, "event"),
    ("unknown status", {**BODY, "status": "System"}, "status"),
    ("unknown message type", {**BODY, "msg_type": "Ack"}, "msg_type"),
    ("unknown category", {**BODY, "category": "Weather"}, "category"),
    ("lower-case urgency", {**BODY, "urgency": "immediate"}, "urgency"),
    ("unknown field", {**BODY, "colour": "red"}, "colour"),
    ("unknown municipality", {**BODY, "municipalities": ["LV-999"]}, "municipalities"),
    ("municipality not a list", {**BODY, "municipalities": "LV-067"}, "municipalities"),
    ("date without offset", {**BODY, "effective": "2026-12-01T10:00:00"}, "effective"),
    ("date as a number", {**BODY, "effective": 1764583200}, "effective"),
    ("not a date", {**BODY, "expires": "rīt"}, "expires"),
    ("date in year 9999", {**BODY, "expires": "9999-12-31T23:59:59-14:00"}, "expires"),
    (
        "expires before effective",
        {**BODY, "effective": "2026-12-02T10:00:00+02:00", "expires": "2026-12-01T10:00:00Z"},
        "expires",
    ),
    (
        "polygon not closed",
        {**BODY, "area_polygon": "56.8,24.5 56.9,24.5 56.9,24.7"},
        "area_polygon",
    ),
    ("polygon not numbers", {**BODY, "area_polygon": "a,b c,d e,f a,b"}, "area_polygon"),
    ("circle without radius", {**BODY, "area_circle": "56.8,24.6"}, "area_circle"),
    ("not a web address", {**BODY, "web": "ogre dot lv"}, "web"),
    ("no escalation delay", {**BODY, "escalate_after_minutes": 0}, "escalate_after_minutes"),
    ("escalation too late", {**BODY, "escalate_after_minutes": 10**9}, "escalate_after_minutes"),
    ("update without reference", {**BODY, "msg_type": "Update"}, "references"),
    ("unknown reference", {**BODY, "msg_type": "Cancel", "references": 999999}, "references"),
    ("reference too big", {**BODY, "msg_type": "Cancel", "references": 2**63}, "references"),
    ("unknown target group", audience(target_groups=["pets"]), "audience.target_groups"),
    ("unknown capability", audience(capabilities=["teleport"]), "audience.capabilities"),
    ("unknown organisation", audience(organisations=[999999]), "audience.organisations"),
    ("unknown role", audience(roles=["boss"]), "audience.roles"),
    ("unknown saved list", audience(lists=[999999]), "audience.lists"),
    ("unknown audience field", audience(people=[1]), "audience.people"),
    (
        "unknown audience municipality",
        audience(municipalities=["LV-000"]),
        "audience.municipalities",
    ),
]


@pytest.mark.parametrize(("body", "field"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_it_answers_422_with_the_field_and_writes_nothing(
    coordinator: User, body: dict[str, Any], field: str
) -> None:
    api = api_for(coordinator)
    audit_before = AuditEntry.objects.count()

    response = api.post("/alerts", body)

    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "invalid"
    assert any(key == field or key.startswith(f"{field}.") for key in error["fields"]), error
    assert not Alert.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.usefixtures("english")
def test_it_does_not_let_an_update_refer_to_an_alert_the_caller_may_not_see(
    coordinator: User, officer: User
) -> None:
    hidden = draft(coordinator, "LV-LPX")
    send_alert(coordinator, alert=hidden)

    response = api_for(officer).post(
        "/alerts", {**BODY, "msg_type": "Update", "references": hidden.pk}
    )

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"references": ["No such alert."]}
    assert Alert.objects.count() == 1


def test_a_point_outside_the_earth_is_refused_by_the_cap_rules(coordinator: User) -> None:
    response = api_for(coordinator).post("/alerts", {**BODY, "area_circle": "96.8,24.6 5"})

    assert response.status_code == 422
    assert "96.8" in error_of(response)["message"]
    assert not Alert.objects.exists()


def test_another_persons_saved_list_is_unknown(coordinator: User, officer: User) -> None:
    theirs = create_saved_list(coordinator, name="Koordinatores saraksts")

    response = api_for(officer).post("/alerts", audience(lists=[theirs.pk]))

    assert response.status_code == 422
    assert "audience.lists" in error_of(response)["fields"]
    assert not Alert.objects.exists()


@pytest.mark.parametrize(
    ("raw", "status"),
    [("{", 400), ('{"headline": ', 400), ("", 422), ("[]", 422), ('"alert"', 422), ("1e999", 422)],
)
def test_it_refuses_bodies_that_are_not_an_object(coordinator: User, raw: str, status: int) -> None:
    response = api_for(coordinator).post("/alerts", raw=raw)

    assert response.status_code == status
    error_of(response)
    assert not Alert.objects.exists()


# --- Property-based: no 500 for any JSON --------------------------------------------------------

HOSTILE = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRICKY = [
    "",
    " ",
    "\x00",
    "\ud800",
    "x" * 3000,
    "LV-067",
    "LV-LPX",
    "seniors",
    "first_aid",
    "admin",
    "Actual",
    "Update",
    "2026-12-01T10:00:00+02:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-02-30T10:00:00Z",
    "56.8,24.5 56.9,24.5 56.9,24.7 56.8,24.5",
    "56.8,24.6 5",
    "-91,0 1e309",
    "https://ogre.lv",
    "javascript:alert(1)",
    "<b>&amp;</b>",
]
text = st.one_of(st.text(max_size=20), st.sampled_from(TRICKY))
numbers = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(text, children, max_size=3)
    ),
    max_leaves=10,
)
FIELDS = [
    "status",
    "msg_type",
    "references",
    "scope",
    "category",
    "event",
    "urgency",
    "severity",
    "certainty",
    "headline",
    "description",
    "instruction",
    "headline_en",
    "web",
    "effective",
    "expires",
    "municipalities",
    "area_polygon",
    "area_circle",
    "escalate_after_minutes",
    "audience",
]
AUDIENCE = ["municipalities", "target_groups", "capabilities", "organisations", "roles", "lists"]
nearly_right = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(FIELDS, json_values),
        "audience": st.fixed_dictionaries(
            {}, optional=dict.fromkeys(AUDIENCE, st.lists(scalars, max_size=3))
        ),
    },
).map(lambda changes: {**BODY, **changes})


def _dumps(body: Any) -> str:
    # Lone surrogates and NaN are what a hostile client sends: json.dumps writes them as
    # escapes and bare tokens.
    return json.dumps(body, allow_nan=True)


def _check(post: Callable[[str], Any], body: Any) -> None:
    response = post(_dumps(body))
    assert response.status_code < 500, (body, response.content[:300])
    if response.status_code != 201:
        error_of(response)


@HOSTILE
@given(body=json_values)
def test_no_json_at_all_ends_in_a_500(coordinator: User, body: Any) -> None:
    api = api_for(coordinator)
    _check(lambda raw: api.post("/alerts", raw=raw), body)


@HOSTILE
@given(body=nearly_right)
def test_no_nearly_right_body_ends_in_a_500(coordinator: User, org_a: Any, body: Any) -> None:
    api = api_for(coordinator)
    _check(lambda raw: api.post("/alerts", raw=raw), body)


query_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20),
    st.sampled_from(["", "0", "-1", str(2**63), "1e309", "NaN", "sent", "email", "\x00"]),
)
queries = st.dictionaries(
    st.sampled_from(["state", "channel", "page", "page_size", "other"]), query_text, max_size=4
)


@HOSTILE
@given(query=queries, alert_id=st.one_of(st.integers(), st.sampled_from([2**63, -(2**63)])))
def test_no_query_string_or_id_ends_in_a_500(
    coordinator: User, query: dict[str, str], alert_id: int
) -> None:
    api = api_for(coordinator)
    for path in ("/alerts", f"/alerts/{alert_id}", f"/alerts/{alert_id}/deliveries"):
        response = api.get(path, query)
        assert response.status_code < 500, (path, query, response.content[:300])
        if response.status_code != 200:
            error_of(response)
