"""The directory's query parameters: hostile values never fail, hidden facets never leak."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.network.models import Organisation
from noturiba.network.selectors import DirectoryFilters, search_directory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("institution", ["²", "-1", "0", str(10**30), "1e3", " 7 ", "abc", "\x00"])
def test_it_ignores_institution_values_that_are_not_ids(institution: str) -> None:
    filters = DirectoryFilters.from_query({"institution": institution})
    assert filters.institution == (7 if institution.strip() == "7" else None)


def test_it_strips_control_characters_from_text() -> None:
    filters = DirectoryFilters.from_query({"q": "Og\x00re\n", "municipality": "LV-\x00067"})
    assert filters.q == "Ogre"
    assert filters.municipalities == ("LV-067",)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=60),
    municipality=st.text(max_size=12),
    institution=st.text(max_size=25),
    sort=st.text(max_size=10),
)
def test_the_page_answers_any_query_without_failing(
    client: Client, org_a: Organisation, q: str, municipality: str, institution: str, sort: str
) -> None:
    params = {"q": q, "municipality": municipality, "institution": institution, "sort": sort}
    safe = {key: value.replace("\x00", "") for key, value in params.items()}
    response = client.get(reverse("network:directory"), safe)
    assert response.status_code == 200
    filters = DirectoryFilters.from_query(params)
    list(search_directory(None, filters)[:5])


def test_the_public_cannot_probe_capabilities_with_a_filter(
    client: Client, org_a: Organisation
) -> None:
    # org_a is public and offers first aid; the public page does not show capabilities, so
    # filtering by a capability it lacks must not hide it from the public either.
    response = client.get(reverse("network:directory"), {"capability": "transport"})
    assert org_a.name in response.content.decode()


def test_signed_in_users_filter_by_capability(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = client_member_a.get(reverse("network:directory"), {"capability": "transport"})
    body = response.content.decode()
    assert org_b.name in body
    assert org_a.name not in body


def test_the_public_list_shows_no_capabilities_and_no_capability_filter(
    client: Client, org_a: Organisation
) -> None:
    body = client.get(reverse("network:directory")).content.decode()
    assert org_a.name in body
    assert 'name="capability"' not in body
    assert "First aid" not in body and "Pirmā palīdzība" not in body


def test_signed_in_users_see_capabilities_and_their_filter(
    client_member_a: Client, org_a: Organisation
) -> None:
    body = client_member_a.get(reverse("network:directory")).content.decode()
    assert 'name="capability"' in body
    assert "Pirmā palīdzība" in body
