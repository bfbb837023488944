"""The full list of the unreached as a CSV file."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.tests.dashboard_support import Scene, deliver, make_scene, person
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def download(client: Client, scene: Scene) -> list[list[str]]:
    response: Any = client.get(reverse("alerts:unreached_csv", args=[scene.alert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert f"alert-{scene.alert.pk}-unreached.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_lists_everyone_not_reached_with_the_reason(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    rows = download(client_coordinator, scene)
    assert rows[0] == ["Name", "Organisation", "Phone", "Email", "Reason", "Last error"]
    assert [row[0] for row in rows[1:]] == ["Cilda", "Frida", "Dace", "Elza"]
    assert rows[1] == [
        "Cilda",
        "Liepājas Jauniešu centrs",
        "+37121000003",
        "cilda@x.example",
        "every message failed",
        "Numurs neeksistē",
    ]
    assert rows[4][4:] == ["not answered", ""]


def test_it_has_more_than_a_page_and_no_formulas(
    client_coordinator: Client, scene: Scene, org_a: Organisation
) -> None:
    for number in range(40):
        deliver(scene.alert, person(f"Zane{number:02}", org_a), "email", "sent")
    deliver(scene.alert, person("=HYPERLINK(1)", org_a), "email", "sent")
    rows = download(client_coordinator, scene)
    assert len(rows) == 1 + 4 + 41
    assert ["'=HYPERLINK(1)"] == [row[0] for row in rows if "HYPERLINK" in row[0]]
