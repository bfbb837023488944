"""``GET /api/v1/organisations/export``: the filtered directory as CSV, HXL, GeoJSON or vCard."""

from __future__ import annotations

import json
from typing import Any

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.network.models import Organisation


def content_of(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("csv", "text/csv; charset=utf-8", ".csv"),
        ("hxl", "text/csv; charset=utf-8", "-hxl.csv"),
        ("geojson", "application/geo+json", ".geojson"),
        ("vcard", "text/vcard; charset=utf-8", ".vcf"),
    ],
)
def test_it_exports_each_format_as_an_attachment(
    api_member_a: ApiClient,
    org_a: Organisation,
    fmt: str,
    content_type: str,
    extension: str,
) -> None:
    response = api_member_a.get("/organisations/export", {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="noturiba-directory-')
    assert disposition.endswith(f'{extension}"')
    assert response["Cache-Control"] == "private, no-store"
    assert org_a.name in content_of(response)


def test_it_applies_the_directory_filters(
    api_coordinator: ApiClient, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_coordinator.get(
        "/organisations/export", {"format": "geojson", "municipality": "LV-LPX"}
    )

    collection = json.loads(content_of(response))
    assert collection["type"] == "FeatureCollection"
    assert [feature["properties"]["name"] for feature in collection["features"]] == [org_b.name]


def test_it_puts_the_hxl_hashtags_under_the_headings(
    api_coordinator: ApiClient, org_a: Organisation
) -> None:
    lines = content_of(api_coordinator.get("/organisations/export", {"format": "hxl"})).splitlines()

    assert "#org+name" in lines[1]


def test_it_exports_only_contacts_the_caller_may_see(
    api_admin_b: ApiClient, org_a: Organisation, member_a: User
) -> None:
    cards = content_of(api_admin_b.get("/organisations/export", {"format": "vcard"}))

    assert cards.startswith("BEGIN:VCARD")
    assert org_a.name in cards
    assert "member.a@" not in cards
    assert "+37120000002" not in cards


def test_it_includes_visible_contacts(api_admin_a: ApiClient, member_a: User) -> None:
    cards = content_of(api_admin_a.get("/organisations/export", {"format": "vcard"}))

    assert "member.a@noturiba.example" in cards


@pytest.mark.parametrize("query", [{}, {"format": "xlsx"}, {"format": "csv", "sort": "colour"}])
def test_it_refuses_an_unknown_or_missing_format(
    api_coordinator: ApiClient, org_a: Organisation, query: dict[str, str]
) -> None:
    response = api_coordinator.get("/organisations/export", query)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_it_answers_anonymous_callers_with_401_and_no_data(
    api_anonymous: ApiClient, org_a: Organisation
) -> None:
    response = api_anonymous.get("/organisations/export", {"format": "csv"})

    assert response.status_code == 401
    assert org_a.name.encode() not in response.content
