"""The API list and the exports run a fixed number of queries, however many shelters."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from noturiba.api.tests.conftest import ApiClient
from noturiba.shelters.models import Shelter
from noturiba.shelters.tests.conftest import make_shelter


def test_the_api_list_and_the_exports_do_not_query_per_shelter(
    django_assert_max_num_queries: Any, ogre_shelter: Shelter
) -> None:
    for number in range(40):
        make_shelter(
            name=f"Patvertne {number}",
            is_public=True,
            latitude="56.8",
            longitude="24.6",
            operator_organisation=ogre_shelter.operator_organisation,
        )
    with django_assert_max_num_queries(4):
        assert len(ApiClient().get("/shelters").json()["items"]) == 41
    for name in ("shelters:geojson", "shelters:csv"):
        with django_assert_max_num_queries(4):
            response = Client().get(reverse(name))
            body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body.count(b"Patvertne") >= 40
