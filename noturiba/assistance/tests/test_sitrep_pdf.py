"""The situation report as a PDF: A4, the active language, the figures and tables read back with
pypdf, page numbers and the generation time; only the viewer's jurisdiction."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from noturiba.accounts.models import User
from noturiba.assistance.tests.follow_data import (
    LIEPAJA_TITLE,
    Situation,
    make_request,
    make_situation,
)
from noturiba.conftest import client_for
from noturiba.network.models import Organisation

URL = reverse("assistance:sitrep_pdf")


@pytest.fixture
def situation(org_a: Organisation, org_b: Organisation) -> Situation:
    return make_situation(org_a, org_b)


def _text(content: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text, with every run of white space (table cells wrap) one space."""
    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_it_is_an_a4_pdf_with_the_figures_in_english(
    client_coordinator: Client, situation: Situation, org_a: Organisation, english: None
) -> None:
    response = client_coordinator.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader, text = _text(response.content)
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert "Situation report" in text
    assert "Requests posted in the period 4" in text
    assert "Requests covered 1" in text
    assert "Requests overdue 1" in text
    assert "What is still missing" in text
    assert "Organisations engaged" in text
    assert org_a.name in text
    assert situation.ogre_first_aid.title in text
    assert LIEPAJA_TITLE in text
    assert "Generated" in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_it_is_in_latvian_by_default(client_coordinator: Client, situation: Situation) -> None:
    _reader, text = _text(client_coordinator.get(URL).content)

    assert "Ūdens un transports Ogrē" in text  # Latvian letters survive the font
    assert "Transports (sēdvietas)" in text  # the capability's Latvian name


def test_an_officer_gets_only_their_jurisdiction(
    client_officer: Client, situation: Situation, english: None
) -> None:
    _reader, text = _text(client_officer.get(URL).content)

    assert situation.ogre_water.title in text
    assert LIEPAJA_TITLE not in text
    assert "Requests posted in the period 3" in text


def test_a_long_report_runs_over_pages_with_numbers(
    client_coordinator: Client, situation: Situation, english: None
) -> None:
    for number in range(60):
        make_request(
            title=f"Papildu pieprasījums {number}", municipality="LV-RIX", lines=[("food", 3)]
        )

    reader, text = _text(client_coordinator.get(URL).content)

    assert len(reader.pages) > 1
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert "Papildu pieprasījums 59" in text


def test_bad_parameters_get_400_not_a_pdf(client_coordinator: Client, situation: Situation) -> None:
    response = client_coordinator.get(URL, {"date_from": "2026-03-01", "date_to": "2026-01-01"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_an_officer_cannot_ask_for_another_municipality(
    client_officer: Client, situation: Situation
) -> None:
    response = client_officer.get(URL, {"municipality": "LV-LPX"})

    assert response.status_code == 400
    assert LIEPAJA_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_outsiders_get_403(request: pytest.FixtureRequest, who: str, situation: Situation) -> None:
    user: User = request.getfixturevalue(who)

    response = client_for(user).get(URL)

    assert response.status_code == 403
    assert response["Content-Type"] != "application/pdf"


def test_the_anonymous_are_sent_to_sign_in(client: Client, situation: Situation) -> None:
    assert client.get(URL).status_code == 302
