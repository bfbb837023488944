"""The export downloads of the directory page: one per format, the page's filters, the rules."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.network.models import Organisation

pytestmark = pytest.mark.usefixtures("reference", "english")

FORMATS = ["csv", "hxl", "geojson", "vcard"]


def body(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("csv", "text/csv; charset=utf-8", ".csv"),
        ("hxl", "text/csv; charset=utf-8", "-hxl.csv"),
        ("geojson", "application/geo+json", ".geojson"),
        ("vcard", "text/vcard; charset=utf-8", ".vcf"),
    ],
)
def test_each_format_downloads_as_a_stream(
    fmt: str, content_type: str, extension: str, client_coordinator: Client, org_a: Organisation
) -> None:
    response = client_coordinator.get(reverse("network:export", args=[fmt]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="noturiba-directory-')
    assert disposition.endswith(f'{extension}"')
    assert response["Cache-Control"] == "private, no-store"
    assert "Ogres Samariešu biedrība" in body(response)


def test_the_export_follows_the_query_string_filters(
    client_coordinator: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = client_coordinator.get(reverse("network:export", args=["geojson"]) + "?q=liepajas")
    names = [f["properties"]["name"] for f in json.loads(body(response))["features"]]
    assert names == ["Liepājas Jauniešu centrs"]


def test_organisation_pages_are_linked_with_absolute_addresses(
    client_coordinator: Client, org_a: Organisation
) -> None:
    text = body(client_coordinator.get(reverse("network:export", args=["csv"])))
    assert f"http://testserver/directory/organisations/{org_a.pk}/" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_anonymous_visitors_export_only_public_organisations_without_contacts(
    fmt: str, client: Client, admin_a: User, admin_b: User
) -> None:
    response = client.get(reverse("network:export", args=[fmt]))
    assert response.status_code == 200
    text = body(response)
    assert "Ogres Samariešu biedrība" in text
    for secret in (
        "Liepāj",
        "info@ogre-samariesi.example",
        "admin.a@",
        "+37120000001",
        "40008000001",
        "Anna Ozola",
    ):
        assert secret not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_outsider_organisation_admin_gets_no_contacts_of_another_organisation(
    fmt: str, client_admin_b: Client, admin_a: User, member_a: User
) -> None:
    text = body(client_admin_b.get(reverse("network:export", args=[fmt])))
    for secret in (
        "admin.a@noturiba.example",
        "member.a@noturiba.example",
        "+37120000001",
        "+37120000002",
        "Mārtiņš Bērziņš",
    ):
        assert secret not in text


def test_an_unknown_format_is_not_found(client_coordinator: Client) -> None:
    assert client_coordinator.get(reverse("network:export", args=["pdf"])).status_code == 404


def test_the_export_links_keep_the_current_query_string(rf: RequestFactory) -> None:
    request = rf.get("/directory/", {"q": "ogre", "municipality": ["LV-067", "LV-RIX"]})
    html = render_to_string("network/_export_links.html", request=request)
    query = "q=ogre&amp;municipality=LV-067&amp;municipality=LV-RIX"
    for fmt in FORMATS:
        assert f'href="{reverse("network:export", args=[fmt])}?{query}"' in html


def test_the_export_links_have_no_query_string_without_filters(rf: RequestFactory) -> None:
    html = render_to_string("network/_export_links.html", request=rf.get("/directory/"))
    assert f'href="{reverse("network:export", args=["csv"])}"' in html


def test_the_directory_page_links_to_the_exports_of_its_filters(
    client_coordinator: Client, org_a: Organisation
) -> None:
    page = client_coordinator.get(reverse("network:directory"), {"q": "ogre", "page": "1"})
    html = page.content.decode()
    assert f'href="{reverse("network:export", args=["hxl"])}?q=ogre"' in html
    assert f'href="{reverse("network:export", args=["vcard"])}?q=ogre"' in html


def test_the_links_offer_the_import_to_those_who_may_import(rf: RequestFactory) -> None:
    request = rf.get("/directory/")
    offered = render_to_string("network/_export_links.html", {"can_import": True}, request)
    assert f'href="{reverse("network:import")}"' in offered
    assert reverse("network:import") not in render_to_string(
        "network/_export_links.html", {"can_import": False}, request
    )
