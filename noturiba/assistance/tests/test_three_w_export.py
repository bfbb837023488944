"""The 3W export (who does what where): CSV with column names and HXL hashtags, one row per
active claim and per line still to claim, safe in spreadsheets, within the viewer's area."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from noturiba.accounts.models import User
from noturiba.assistance import exports
from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.assistance.tests.follow_data import (
    LIEPAJA_TITLE,
    Situation,
    line_of,
    make_claim,
    make_request,
    make_situation,
)
from noturiba.conftest import client_for
from noturiba.network.models import CapabilityType, Municipality, Organisation

URL = reverse("assistance:three_w")


@pytest.fixture
def situation(org_a: Organisation, org_b: Organisation) -> Situation:
    return make_situation(org_a, org_b)


def _table(client: Client, query: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows keyed by HXL hashtag (the second row)."""
    response = client.get(URL, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="noturiba-3w-')
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    headings, tags = rows[0], rows[1]
    assert len(headings) == len(tags)
    assert all(tag.startswith("#") for tag in tags)
    return [dict(zip(tags, row, strict=True)) for row in rows[2:]]


def test_the_first_rows_are_names_and_hxl_hashtags(
    client_coordinator: Client, situation: Situation, english: None
) -> None:
    response = client_coordinator.get(URL)
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))

    assert rows[0][:3] == ["Organisation", "Registration number", "Sector"]
    for tag in [
        "#org+name",
        "#org+code",
        "#sector",
        "#activity+name",
        "#adm1+name",
        "#adm1+code",
        "#loc+name",
        "#geo+lat",
        "#geo+lon",
        "#targeted+num",
        "#reached+num+planned",
        "#indicator+unit",
        "#status",
        "#date+start",
        "#date+end",
        "#meta+id",
    ]:
        assert tag in rows[1]


def test_one_row_per_active_claim_then_the_lines_not_yet_covered(
    client_coordinator: Client,
    situation: Situation,
    org_a: Organisation,
    org_b: Organisation,
    english: None,
) -> None:
    rows = _table(client_coordinator)

    claims = [row for row in rows if row["#org+name"]]
    assert len(claims) == 4
    transport = next(row for row in claims if row["#activity+code"] == "transport")
    assert transport == transport | {
        "#org+name": org_a.name,
        "#org+code": org_a.registration_number,
        "#sector": "logistics",
        "#activity+name": "Transport (seats)",
        "#adm1+code": "LV-067",
        "#adm1+name": "Ogres novads",
        "#loc+name": "Brīvības iela 33, Ogre",
        "#geo+lat": "56.82",
        "#geo+lon": "24.6",
        "#targeted+num": "10",
        "#reached+num+planned": "7",
        "#reached+num+done": "0",
        "#targeted+num+unmet": "3",
        "#indicator+unit": "seats",
        "#status": "claimed",
        "#meta+id": str(situation.ogre_water.pk),
    }
    water = next(row for row in claims if row["#activity+code"] == "drinking_water")
    assert (water["#org+name"], water["#reached+num+done"], water["#status"]) == (
        org_b.name,
        "200",
        "done",
    )
    uncovered = [row for row in rows if not row["#org+name"]]
    assert {(row["#activity+code"], row["#targeted+num+unmet"]) for row in uncovered} == {
        ("transport", "3"),
        ("drinking_water", "300"),
        ("first_aid", "4"),
        ("translation", "15"),
    }
    assert {row["#status"] for row in uncovered} == {"not yet covered"}


def test_released_claims_are_left_out(
    client_coordinator: Client, situation: Situation, org_b: Organisation
) -> None:
    make_claim(line_of(situation.ogre_first_aid, "first_aid"), org_b, 2, Claim.State.RELEASED)

    rows = _table(client_coordinator)

    assert not [row for row in rows if row["#activity+code"] == "first_aid" and row["#org+name"]]


def test_cells_that_look_like_formulas_are_quoted(
    client_coordinator: Client, situation: Situation
) -> None:
    make_request(
        title='=HYPERLINK("http://evil.example","x")',
        municipality="LV-067",
        lines=[("food", 3)],
        address="@SUM(A1:A2)",
    )

    rows = _table(client_coordinator)

    row = next(row for row in rows if row["#activity+code"] == "food")
    assert row["#meta+title"].startswith("'=HYPERLINK")
    assert row["#loc+name"] == "'@SUM(A1:A2)"


def test_an_officer_gets_only_their_jurisdiction(
    client_officer: Client, situation: Situation
) -> None:
    rows = _table(client_officer)

    assert rows
    assert {row["#adm1+code"] for row in rows} == {"LV-067"}
    assert LIEPAJA_TITLE not in str(rows)


def test_the_period_and_area_filter_the_rows(
    client_coordinator: Client, situation: Situation
) -> None:
    assert {
        row["#adm1+code"] for row in _table(client_coordinator, {"municipality": "LV-LPX"})
    } == {"LV-LPX"}
    assert _table(client_coordinator, {"date_from": "2020-01-01", "date_to": "2020-01-31"}) == []


def test_bad_parameters_get_400(client_officer: Client, situation: Situation) -> None:
    response = client_officer.get(URL, {"municipality": "LV-LPX"})

    assert response.status_code == 400
    assert LIEPAJA_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_outsiders_get_403(request: pytest.FixtureRequest, who: str, situation: Situation) -> None:
    user: User = request.getfixturevalue(who)

    response = client_for(user).get(URL)

    assert response.status_code == 403
    assert situation.ogre_water.title not in response.content.decode()


def test_the_anonymous_are_sent_to_sign_in(client: Client, situation: Situation) -> None:
    assert client.get(URL).status_code == 302


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@given(title=TEXT, address=TEXT, organisation=TEXT)
def test_any_text_reads_back_unchanged_or_quoted_never_as_a_formula(
    title: str, address: str, organisation: str
) -> None:
    capability = CapabilityType(code="food", unit="meals", hxl_sector="food", name_lv="Pārtika")
    request = AssistanceRequest(
        pk=1,
        title=title,
        address=address,
        municipality=Municipality(code="LV-067", name_lv="Ogres novads"),
        deadline=timezone.now(),
    )
    line = RequestLine(request=request, capability=capability, quantity=Decimal(5), unit="meals")
    claim = Claim(line=line, organisation=Organisation(name=organisation), quantity=Decimal(2))

    text = "".join(exports.three_w_rows_for([exports.Row(line, claim)]))
    cells = next(csv.reader(io.StringIO(text, newline="")))

    for original, cell in [(organisation, cells[0]), (address, cells[7]), (title, cells[-1])]:
        assert cell in (original, "'" + original)
        assert cell[:1] not in ("=", "@", "\t", "\r")
