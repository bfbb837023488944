"""The competency matrix: counts checked by hand (a person in two municipalities, two grants,
expired and revoked grants) as the worker's refresh task computes them, gaps, officers limited to
their jurisdiction without names, a constant number of queries without the aggregate, and who
may open the page. (Snapshots going stale and refreshes being asked for:
``test_competency_matrix_snapshot.py``.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Membership, Municipality, Organisation
from noturiba.training.actions.certificates import revoke_certificate
from noturiba.training.selectors.knowledge import CompetencyMatrix, Freshness, competency_matrix
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    curriculum,
    days,
    fresh_cache,
    grant,
    make_certificate,
    make_organisation,
    make_person,
    refresh_matrix,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum", "fresh_cache"]  # fixtures

SECRET_NAME = "Slepenā Persona"


@pytest.fixture
def network(curriculum: Curriculum, reference: None) -> Curriculum:
    """Ogre: two organisations; Liepāja and Rīga one each. See each line for what counts."""
    ogre = make_organisation("Ogres biedrība", "LV-067")
    ogre_too = make_organisation("Ogres otrā biedrība", "LV-067")
    liepaja = make_organisation("Liepājas biedrība", "LV-LPX")
    make_organisation("Rīgas biedrība", "LV-RIX")
    first_aid, psy, civil = curriculum.competencies
    # Ogre first aid: 1
    grant(make_person(SECRET_NAME, ogre), first_aid, valid_until=days(200))
    # Ogre and Liepāja first aid: 1 each, though held twice (two grants)
    both = make_person("Divās pašvaldībās", ogre, liepaja)
    grant(both, first_aid, valid_until=days(30))
    grant(both, first_aid, valid_until=days(400))
    # not counted: expired yesterday
    grant(make_person("Beidzies", ogre), first_aid, valid_until=days(-1))
    # not counted: its certificate was revoked
    revoked = make_person("Atsaukts", ogre)
    certificate = make_certificate(revoked, curriculum.course, revoked=True)
    grant(revoked, first_aid, valid_until=days(300), certificate=certificate)
    # Ogre psychological: 1, valid until today, so expiring
    grant(make_person("Līdz šodienai", ogre), psy, valid_until=days(0))
    # Ogre civil protection: 1, though in two Ogre organisations
    grant(make_person("Divās Ogres biedrībās", ogre, ogre_too), civil, valid_until=None)
    # nowhere: no organisation
    grant(make_person("Bez organizācijas"), first_aid, valid_until=days(200))
    refresh_matrix()  # as the task worker would
    return curriculum


def cells(matrix: CompetencyMatrix) -> dict[str, list[tuple[int, int, str]]]:
    return {
        row.municipality.code: [(cell.held, cell.expiring, cell.gap) for cell in row.cells]
        for row in matrix.rows
    }


def test_counts_by_hand(network: Curriculum, coordinator: User) -> None:
    matrix = competency_matrix(coordinator, threshold=Decimal("0.3"))
    assert [c.code for c in matrix.competencies] == ["k-first-aid", "k-psy", "k-civil"]
    found = cells(matrix)
    # Ogre (56,000): first aid 2 → 0.36 per 10,000 (above 0.3); the others 1 → 0.18 (low)
    assert found["LV-067"] == [(2, 0, ""), (1, 1, "low"), (1, 0, "low")]
    # Liepāja (67,000): the person in two municipalities
    assert found["LV-LPX"] == [(1, 0, "low"), (0, 0, "none"), (0, 0, "none")]
    assert found["LV-RIX"] == [(0, 0, "none")] * 3
    assert matrix.totals == [3, 1, 1]


def test_every_current_municipality_is_a_row_for_coordinators(
    network: Curriculum, coordinator: User
) -> None:
    matrix = competency_matrix(coordinator, threshold=Decimal(1))
    assert len(matrix.rows) == Municipality.objects.current().count() == 42
    assert "LV-102" not in cells(matrix)  # Varakļāni, merged into Madona in 2025


def test_per_10000_inhabitants(network: Curriculum, coordinator: User) -> None:
    matrix = competency_matrix(coordinator, threshold=Decimal(1))
    ogre = next(row for row in matrix.rows if row.municipality.code == "LV-067")
    assert ogre.cells[0].per_10k == Decimal("0.36")  # 2 × 10,000 / 56,000


def test_an_officer_sees_their_jurisdiction_only(network: Curriculum, officer: User) -> None:
    matrix = competency_matrix(officer, threshold=Decimal("0.3"))
    assert list(cells(matrix)) == ["LV-067"]


def test_the_officers_page_has_counts_and_no_names(
    network: Curriculum, officer: User, english: None
) -> None:
    response = client_for(officer).get(reverse("training:knowledge"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ogre" in body and "Liepāja" not in body
    assert SECRET_NAME not in body and "Divās pašvaldībās" not in body
    assert reverse("training:expiring") not in body


def test_the_page_marks_gaps_in_words(
    network: Curriculum, coordinator: User, english: None
) -> None:
    response = client_for(coordinator).get(reverse("training:knowledge"), {"threshold": "0.3"})
    page = html.fromstring(response.content)
    [table] = page.xpath('//table[contains(@class, "competency-matrix")]')
    assert table.xpath("caption")
    assert all(th.get("scope") == "col" for th in table.xpath("thead//th"))
    assert all(th.get("scope") == "row" for th in table.xpath("tbody//th"))
    rows = table.xpath("tbody/tr")
    riga = next(tr for tr in rows if "Riga" in tr.text_content())
    assert riga.text_content().count("gap: no one") == 3
    ogre = next(tr for tr in rows if "Ogre" in tr.text_content())
    assert ogre.text_content().count("gap: few") == 2
    assert "1 expires soon" in ogre.text_content()


@pytest.mark.parametrize("bad", ["abc", "-1", "1e999", "NaN", "9" * 40])
def test_a_bad_threshold_shows_an_error_and_the_default(
    bad: str, network: Curriculum, coordinator: User
) -> None:
    response = client_for(coordinator).get(reverse("training:knowledge"), {"threshold": bad})
    assert response.status_code == 200
    assert html.fromstring(response.content).xpath('//ul[@class="errorlist"]/li')


def aggregate_ran(queries: CaptureQueriesContext) -> bool:
    return any("GROUP BY g.person_id" in query["sql"] for query in queries.captured_queries)


def test_the_page_reads_the_snapshot_in_a_constant_number_of_queries(
    network: Curriculum, coordinator: User
) -> None:
    client = client_for(coordinator)
    url = reverse("training:knowledge")
    cache.clear()  # the charts' figures read too
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    rigas = make_organisation("Vēl viena", "LV-RIX")
    for index in range(20):
        person = make_person(f"Jauns {index}", rigas)
        for competency in network.competencies:
            grant(person, competency, valid_until=days(index * 10))
    refresh_matrix()
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
    assert not aggregate_ran(before) and not aggregate_ran(after)


def test_the_refresh_follows_new_grants_revocations_and_memberships(
    network: Curriculum, coordinator: User
) -> None:
    def ogre_first_aid() -> int:
        matrix = competency_matrix(coordinator, threshold=Decimal(1))
        assert matrix.freshness == Freshness.CURRENT
        return cells(matrix)["LV-067"][0][0]

    def stale() -> bool:
        return competency_matrix(coordinator, threshold=Decimal(1)).freshness == Freshness.STALE

    assert ogre_first_aid() == 2
    newcomer = make_person("Jaunpienācējs", Organisation.objects.get(name="Ogres biedrība"))
    certificate = make_certificate(newcomer, network.course)
    grant(newcomer, network.first_aid, valid_until=days(100), certificate=certificate)
    grant(newcomer, network.psychological, valid_until=days(100), certificate=certificate)
    assert stale()
    refresh_matrix()
    assert ogre_first_aid() == 3
    revoke_certificate(coordinator, certificate=certificate, reason="Kļūdaini izsniegts")
    assert stale()
    refresh_matrix()
    assert ogre_first_aid() == 2
    Membership.objects.filter(person__full_name=SECRET_NAME).delete()
    assert stale()
    refresh_matrix()
    assert ogre_first_aid() == 1


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_others_are_refused_without_data(
    who: str, request: pytest.FixtureRequest, network: Curriculum
) -> None:
    response = client_for(request.getfixturevalue(who)).get(reverse("training:knowledge"))
    assert response.status_code == 403
    assert SECRET_NAME not in response.content.decode()
    assert "Ogre" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(network: Curriculum) -> None:
    response = Client().get(reverse("training:knowledge"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
