from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from noturiba.network.models import Agreement, Institution, Organisation
from noturiba.network.tests.page_helpers import english, make_organisations  # noqa: F401 (fixture)

URL = reverse("network:directory")
pytestmark = pytest.mark.usefixtures("english")


def test_it_lists_every_organisation_to_a_signed_in_user(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = client_member_a.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert org_a.name in body and org_b.name in body
    assert "2 organisations found." in body
    assert "First aid" in body


def test_it_shows_the_public_only_public_organisations(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert org_a.name in body
    assert org_b.name not in body
    assert 'name="institution"' not in body  # agreement filters are for signed-in users


def test_it_searches_names_and_descriptions_without_diacritics(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    body = client_member_a.get(URL, {"q": "liepajas"}).content.decode()
    assert org_b.name in body and org_a.name not in body
    body = client_member_a.get(URL, {"q": "senioru"}).content.decode()
    assert org_a.name in body and org_b.name not in body


def test_it_filters_by_municipality_target_group_and_capability(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    by_municipality = client_member_a.get(URL, {"municipality": "LV-LPX"}).content.decode()
    assert org_b.name in by_municipality and org_a.name not in by_municipality
    by_group = client_member_a.get(URL, {"target_group": "seniors"}).content.decode()
    assert org_a.name in by_group and org_b.name not in by_group
    by_capability = client_member_a.get(URL, {"capability": "transport"}).content.decode()
    assert org_b.name in by_capability and org_a.name not in by_capability


def test_it_filters_by_a_valid_agreement_and_by_institution(
    client_member_a: Client,
    org_a: Organisation,
    org_b: Organisation,
    ogre_commission: Institution,
) -> None:
    Agreement.objects.create(
        organisation=org_a,
        institution=ogre_commission,
        scope="Pirmā palīdzība",
        signed_on="2024-01-01",
    )
    body = client_member_a.get(URL, {"agreement": "1"}).content.decode()
    assert org_a.name in body and org_b.name not in body
    body = client_member_a.get(URL, {"institution": ogre_commission.pk}).content.decode()
    assert org_a.name in body and org_b.name not in body


def test_it_sorts_by_name_descending(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    body = client_member_a.get(URL, {"sort": "-name"}).content.decode()
    assert body.index(org_a.name) < body.index(org_b.name)
    body = client_member_a.get(URL, {"sort": "name"}).content.decode()
    assert body.index(org_b.name) < body.index(org_a.name)


def test_it_keeps_the_filters_in_the_form_and_the_page_links(
    client_member_a: Client, reference: None
) -> None:
    make_organisations(30)
    response = client_member_a.get(URL, {"q": "biedriba", "municipality": "LV-RIX"})
    body = response.content.decode()
    assert "30 organisations found." in body
    assert 'value="biedriba"' in body
    assert '<option value="LV-RIX" selected>' in body
    assert "?q=biedriba&amp;municipality=LV-RIX&amp;page=2" in body
    second = client_member_a.get(URL, {"q": "biedriba", "municipality": "LV-RIX", "page": "2"})
    assert "Biedrība 029" in second.content.decode()
    assert "Biedrība 000" not in second.content.decode()


def test_it_returns_only_the_results_region_to_htmx(
    client_member_a: Client, org_a: Organisation
) -> None:
    response = client_member_a.get(
        URL, {"q": "ogres", "municipality": "", "sort": "name"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert org_a.name in body
    assert 'id="result-count" hx-swap-oob="innerHTML"' in body
    assert 'id="result-links" hx-swap-oob="innerHTML"' in body
    assert f"{reverse('network:map')}?q=ogres" in body
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == f"{URL}?q=ogres"


def test_it_returns_the_whole_page_when_htmx_restores_history(
    client_member_a: Client, org_a: Organisation
) -> None:
    response = client_member_a.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_it_marks_demo_organisations(client_member_a: Client, reference: None) -> None:
    Organisation.objects.create(name="Demo biedrība", is_demo=True, search_text="demo biedriba")
    body = client_member_a.get(URL).content.decode()
    assert 'class="demo-badge"' in body


def test_it_leaves_a_block_for_export_links() -> None:
    # The import/export pages fill this block with links to the filtered exports; it sits in
    # the links region that every HTMX search refreshes, so the links keep the filters.
    templates = Path(__file__).parents[1] / "templates" / "network"
    links = (templates / "_directory_links.html").read_text(encoding="utf-8")
    assert "{% block export_links %}" in links
    assert '{% include "network/_directory_links.html" %}' in (
        templates / "directory.html"
    ).read_text(encoding="utf-8")


def _count_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_the_rows(
    client_member_a: Client, reference: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    make_organisations(2)
    few = _count_queries(client_member_a)
    make_organisations(23, prefix="Vēl")
    many = _count_queries(client_member_a)
    assert many == few
    with django_assert_num_queries(few):
        client_member_a.get(URL)


@pytest.mark.parametrize("sort", ["name", "-name", "updated", "-updated"])
def test_it_renders_every_sort(client: Client, org_a: Organisation, sort: str) -> None:
    assert client.get(URL, {"sort": sort}).status_code == 200


def test_it_answers_head_and_refuses_post(client: Client, org_a: Organisation) -> None:
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_it_links_the_import_for_coordinators_only(
    client_coordinator: Client, client_admin_a: Client
) -> None:
    import_url = reverse("network:import")
    assert import_url in client_coordinator.get(reverse("network:directory")).content.decode()
    assert import_url not in client_admin_a.get(reverse("network:directory")).content.decode()
