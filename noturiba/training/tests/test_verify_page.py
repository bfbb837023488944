"""The public verification page: valid, expired, revoked, unknown and malformed codes, without
signing in, never more about the person than the certificate shows, never a 500."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils.formats import date_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.accounts.models import User
from noturiba.network.models import Membership, Organisation
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.models import Certificate
from noturiba.training.selectors.certificates import riga_today
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(trainer: User, org_a: Organisation) -> Certificate:
    session = make_session(make_course(), trainers=(trainer,), issuing_organisation=org_a)
    person = make_person("Jānis Bērziņš")
    person.email = "janis.private@example.lv"
    person.phone = "+37129999999"
    person.save(update_fields=["email", "phone"])
    Membership.objects.create(person=person, organisation=org_a, role=Membership.Role.MEMBER)
    enrol(session, person, hours="9.5", score=73)
    [issued] = close_results(trainer, session=session)
    return issued


def _set_valid_until(certificate: Certificate, day: datetime.date | None) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=day)


def test_a_valid_certificate(client: Client, certificate: Certificate, english: None) -> None:
    response = client.get(f"/verify/{certificate.code}")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid certificate" in body
    for shown in (
        "Jānis Bērziņš",
        "Civilā aizsardzība kopienā",
        "Civil protection in the community",
        "Module 0: public alerting and shelters",
        "Laura Trenere",
        "Ogres Samariešu biedrība",
        certificate.code,
    ):
        assert shown in body


def test_nothing_more_about_the_person(client: Client, certificate: Certificate) -> None:
    body = client.get(f"/verify/{certificate.code}").content.decode()

    for hidden in ("janis.private@example.lv", "+37129999999", "73"):
        assert hidden not in body
    assert f"/directory/people/{certificate.person_id}" not in body


def test_the_last_valid_day_is_valid_and_the_day_after_expired(
    client: Client, certificate: Certificate, english: None
) -> None:
    _set_valid_until(certificate, riga_today())
    assert "Valid certificate" in client.get(f"/verify/{certificate.code}").content.decode()

    _set_valid_until(certificate, riga_today() - datetime.timedelta(days=1))
    response = client.get(f"/verify/{certificate.code}")

    assert response.status_code == 200
    assert "Expired certificate" in response.content.decode()


def test_a_certificate_without_expiry_says_so(
    client: Client, certificate: Certificate, english: None
) -> None:
    _set_valid_until(certificate, None)

    body = client.get(f"/verify/{certificate.code}").content.decode()

    assert "Valid certificate" in body
    assert "does not expire" in body


def test_a_revoked_certificate_shows_when_but_not_why(
    client: Client, certificate: Certificate, coordinator: User, english: None
) -> None:
    revoke_certificate(coordinator, certificate=certificate, reason="Falsified attendance sheet")

    response = client.get(f"/verify/{certificate.code}")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Revoked certificate" in body
    assert "Valid certificate" not in body
    assert f"was revoked on {date_format(riga_today(), 'SHORT_DATE_FORMAT')}" in body
    assert "Falsified" not in body


def test_an_unknown_code(client: Client, certificate: Certificate, english: None) -> None:
    unknown = "000000000000" if certificate.code != "000000000000" else "111111111111"

    response = client.get(f"/verify/{unknown}")

    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no certificate with the code" in body
    assert "Jānis" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/verify/ABC",
        "/verify/7KQ2M9XD4TBCX",
        "/verify/7KQ2M9XD4TBU",
        "/verify/../../etc/passwd",
        "/verify/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/verify/ABCD/EFGH/JKMN",
        "/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/verify/" + quote("Jānis Bērziņš"),
        "/verify/" + quote("🎓" * 20),
        "/verify/" + "A" * 5000,
        "/verify/%00",
        "/verify/%FF%FE",
    ],
)
def test_a_malformed_code_is_a_400_with_the_reason(
    client: Client, path: str, english: None
) -> None:
    response = client.get(path)

    assert response.status_code == 400
    body = response.content.decode()
    assert "This is not a verification code" in body
    assert "<script>alert(1)" not in body


def test_a_typed_code_in_another_shape_finds_the_certificate(
    client: Client, certificate: Certificate, english: None
) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(code="10ABCDEF1100")

    for typed in ("10abcdef1100", "IO-ABCD-EFL1-OO", "io%20abcd%20ef%20lioo", "10ABCDEF1100/"):
        response = client.get(f"/verify/{typed}")
        assert response.status_code == 200, typed
        assert "Valid certificate" in response.content.decode()


def test_the_page_asks_not_to_be_indexed(client: Client, certificate: Certificate) -> None:
    for path in (f"/verify/{certificate.code}", "/verify/000000000000", "/verify/x", "/verify/"):
        response = client.get(path)
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_form_sends_a_typed_code_to_its_page(
    client: Client, certificate: Certificate, english: None
) -> None:
    assert client.get("/verify/").status_code == 200

    response = client.get("/verify/", {"code": certificate.code.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}"


def test_the_form_explains_a_malformed_code(client: Client, english: None) -> None:
    response = client.get("/verify/", {"code": "ABC!"})

    assert response.status_code == 400
    assert "do not belong: !" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_form_refuses_an_overlong_code(client: Client, english: None) -> None:
    response = client.get("/verify/", {"code": "A" * 10_000})

    assert response.status_code == 400


def test_signed_in_or_not_the_page_is_the_same(
    client: Client, client_admin_b: Client, certificate: Certificate
) -> None:
    anonymous = client.get(f"/verify/{certificate.code}")
    signed_in = client_admin_b.get(f"/verify/{certificate.code}")

    assert anonymous.status_code == signed_in.status_code == 200
    assert "janis.private@example.lv" not in signed_in.content.decode()


def test_only_get(client: Client, certificate: Certificate) -> None:
    assert client.post(f"/verify/{certificate.code}").status_code == 405


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300))
def test_no_input_makes_a_server_error(client: Client, text: str) -> None:
    path_status = client.get("/verify/" + quote(text, safe="")).status_code
    form_status = client.get("/verify/", {"code": text}).status_code

    assert path_status in (200, 400, 404)
    assert form_status in (200, 302, 400)
