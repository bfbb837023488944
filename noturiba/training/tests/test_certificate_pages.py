"""A certificate's page, its PDF, revoking it and "my certificates", from the outside: the
holder, admins of the holder's organisation and coordinators see it; everyone else gets a 404
with no data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from noturiba.accounts.models import User
from noturiba.conftest import client_for, make_user
from noturiba.training.actions.certificates import close_results
from noturiba.training.models import Certificate, TrainingSession
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
    person_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    return make_session(make_course(), trainers=(trainer,))


@pytest.fixture
def certificate(member_a: User, trainer: User, session: TrainingSession) -> Certificate:
    """Organisation A's member Mārtiņš Bērziņš completed the course."""
    enrol(session, person_of(member_a))
    [issued] = close_results(trainer, session=session)
    return issued


def _client(who: str, request: pytest.FixtureRequest) -> Client:
    if who == "anonymous":
        return Client()
    if who == "other_trainer":
        return client_for(make_user("other.trainer@noturiba.example", is_trainer=True))
    user: User = request.getfixturevalue(who)
    return client_for(user)


ALLOWED = ["member_a", "admin_a", "coordinator"]
REFUSED = ["admin_b", "officer", "trainer", "other_trainer", "anonymous"]


@pytest.mark.parametrize("who", ALLOWED)
def test_the_pdf_for_those_allowed(
    who: str, request: pytest.FixtureRequest, certificate: Certificate
) -> None:
    response = _client(who, request).get(f"/training/certificates/{certificate.code}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"sertifikats-{certificate.code}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Mārtiņš Bērziņš" in text
    assert certificate.code in text


@pytest.mark.parametrize("who", REFUSED)
def test_the_pdf_is_a_404_for_anyone_else(
    who: str, request: pytest.FixtureRequest, certificate: Certificate
) -> None:
    response = _client(who, request).get(f"/training/certificates/{certificate.code}.pdf")

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert "Bērziņš" not in response.content.decode()


def test_an_unknown_or_odd_code_is_a_404(
    client_coordinator: Client, certificate: Certificate
) -> None:
    for code in ("000000000000", "x" * 3000, "%C4%81", certificate.code.lower()):
        assert client_coordinator.get(f"/training/certificates/{code}.pdf").status_code == 404
        assert client_coordinator.get(f"/training/certificates/{code}/").status_code == 404


@pytest.mark.parametrize("who", ALLOWED)
def test_the_certificate_page_for_those_allowed(
    who: str, request: pytest.FixtureRequest, certificate: Certificate, english: None
) -> None:
    response = _client(who, request).get(f"/training/certificates/{certificate.code}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Mārtiņš Bērziņš" in body
    assert f"/training/certificates/{certificate.code}.pdf" in body
    assert f"/verify/{certificate.code}" in body
    assert ("Revoke this certificate" in body) is (who == "coordinator")


@pytest.mark.parametrize("who", [who for who in REFUSED if who != "anonymous"])
def test_the_certificate_page_is_a_404_for_anyone_else(
    who: str, request: pytest.FixtureRequest, certificate: Certificate
) -> None:
    response = _client(who, request).get(f"/training/certificates/{certificate.code}/")

    assert response.status_code == 404
    assert "Bērziņš" not in response.content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client: Client, certificate: Certificate) -> None:
    response = client.get(f"/training/certificates/{certificate.code}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_coordinator_revokes_from_the_page(
    client_coordinator: Client, certificate: Certificate, english: None
) -> None:
    response = client_coordinator.post(
        f"/training/certificates/{certificate.code}/revoke/", {"reason": "Wrong person"}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Wrong person"
    page = client_coordinator.get(response["Location"]).content.decode()
    assert "revoked" in page
    assert "Revoke this certificate" not in page


def test_revoking_without_a_reason_says_so(
    client_coordinator: Client, certificate: Certificate, english: None
) -> None:
    response = client_coordinator.post(
        f"/training/certificates/{certificate.code}/revoke/", {"reason": "   "}
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_twice_says_so(
    client_coordinator: Client, certificate: Certificate, english: None
) -> None:
    url = f"/training/certificates/{certificate.code}/revoke/"
    client_coordinator.post(url, {"reason": "First"})

    response = client_coordinator.post(url, {"reason": "Second"})

    assert response.status_code == 400
    assert "already revoked" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("member_a", 403), ("admin_a", 403), ("admin_b", 404)])
def test_only_coordinators_revoke(
    who: str, status: int, request: pytest.FixtureRequest, certificate: Certificate
) -> None:
    response = _client(who, request).post(
        f"/training/certificates/{certificate.code}/revoke/", {"reason": "Because"}
    )

    assert response.status_code == status
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_needs_post(client_coordinator: Client, certificate: Certificate) -> None:
    response = client_coordinator.get(f"/training/certificates/{certificate.code}/revoke/")

    assert response.status_code == 405


def test_my_certificates(
    client_member_a: Client, client_admin_b: Client, certificate: Certificate
) -> None:
    mine = client_member_a.get("/training/certificates/").content.decode()
    theirs = client_admin_b.get("/training/certificates/").content.decode()

    assert f"/training/certificates/{certificate.code}.pdf" in mine
    assert certificate.code not in theirs


def test_my_certificates_reads_a_fixed_number_of_queries(
    member_a: User, trainer: User, django_assert_num_queries: Any
) -> None:
    person = person_of(member_a)
    for number in range(30):
        session = make_session(make_course(code=f"course-{number}"), trainers=(trainer,))
        enrol(session, person)
        close_results(trainer, session=session)
    client = client_for(member_a)
    client.get("/training/certificates/")  # warm the session and caches

    with django_assert_num_queries(6):  # session, user, roles (2), count, page
        response = client.get("/training/certificates/?page=2")

    assert response.status_code == 200
    assert response.content.decode().count(".pdf") == 5


def test_someone_without_a_person_has_no_certificates(client_coordinator: Client) -> None:
    response = client_coordinator.get("/training/certificates/")

    assert response.status_code == 200


def test_other_peoples_certificates_are_not_listed(
    client_member_a: Client, trainer: User, session: TrainingSession
) -> None:
    enrol(session, make_person("Cits Cilvēks"))
    close_results(trainer, session=session)

    assert "Cits" not in client_member_a.get("/training/certificates/").content.decode()
