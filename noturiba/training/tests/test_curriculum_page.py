"""The curriculum page: courses and modules with outcomes, hours and competencies, for everyone
signed in, in the interface language."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import Module
from noturiba.training.reference_data import CURRICULUM_FILE, load_curriculum
from noturiba.training.tests.sessions_support import curriculum

pytestmark = pytest.mark.django_db

URL = reverse("training:curriculum")


@pytest.fixture
def extra_modules(tmp_path: Path) -> Callable[[int], Path]:
    def write(count: int) -> Path:
        data = json.loads(CURRICULUM_FILE.read_text(encoding="utf-8"))
        for number in range(count):
            module = dict(data["modules"][0], code=f"extra_{number}")
            data["modules"].append(module)
            data["courses"][0]["modules"].append(module["code"])
        path = tmp_path / "curriculum.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


def test_it_shows_courses_modules_outcomes_and_competencies_in_english(
    client_member_a: Client, english: None
) -> None:
    curriculum()
    html = client_member_a.get(URL).content.decode()
    assert "Crisis readiness for CSO leaders" in html
    assert "Civil protection and first aid refresher" in html
    for module in Module.objects.all():
        assert escape(module.name_en) in html
    assert "Prepares a 72-hour household crisis plan and an emergency kit." in html
    assert "First aid — valid for 24 months, then refresh" in html
    assert "Comprehensive national defence — does not expire" in html
    assert "6 hours" in html  # the exercises module
    assert "Manage the curriculum" not in html


def test_it_shows_the_latvian_texts_in_latvian(client_member_a: Client) -> None:
    curriculum()
    html = client_member_a.get(URL, HTTP_ACCEPT_LANGUAGE="lv").content.decode()
    assert "Krīzes gatavība PSO līderiem" in html
    assert "Sagatavo mājsaimniecības 72 stundu krīzes plānu un pirmās nepieciešamības somu." in html


def test_coordinators_get_a_link_to_manage_it(client_coordinator: Client, english: None) -> None:
    curriculum()
    html = client_coordinator.get(URL).content.decode()
    assert "Manage the curriculum" in html


@pytest.mark.parametrize("who", ["trainer", "admin_a", "officer"])
def test_every_signed_in_role_reads_it(who: str, request: pytest.FixtureRequest) -> None:
    curriculum()
    user: User = request.getfixturevalue(who)
    response = client_for(user).get(URL)
    assert response.status_code == 200


def test_it_takes_a_fixed_number_of_queries(client_member_a: Client, extra_modules: Any) -> None:
    curriculum()
    client_member_a.get(URL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client_member_a.get(URL)
        return len(captured.captured_queries)

    before = queries()
    load_curriculum(extra_modules(3))
    assert Module.objects.count() == 10
    assert queries() == before


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    curriculum()
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert "Ukrainas" not in response.content.decode()
