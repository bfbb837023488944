"""revoke_certificate: coordinators only, a reason required, the grants no longer count, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.models import Certificate, CompetencyGrant
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(trainer: User) -> Certificate:
    session = make_session(make_course(), trainers=(trainer,))
    enrol(session, make_person())
    [issued] = close_results(trainer, session=session)
    return issued


def test_a_coordinator_revokes_with_a_reason(coordinator: User, certificate: Certificate) -> None:
    revoke_certificate(
        coordinator, certificate=certificate, reason="  Issued by mistake:\nwrong person "
    )

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == coordinator
    assert certificate.revocation_reason == "Issued by mistake: wrong person"
    assert certificate.state_on(certificate.completed_on) == "revoked"


def test_the_grants_of_a_revoked_certificate_are_removed(
    coordinator: User, certificate: Certificate
) -> None:
    assert CompetencyGrant.objects.filter(certificate=certificate).count() == 2

    revoke_certificate(coordinator, certificate=certificate, reason="Fraud")

    assert CompetencyGrant.objects.filter(certificate=certificate).count() == 0
    assert CompetencyGrant.objects.filter(person=certificate.person).count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_reason_is_required(coordinator: User, certificate: Certificate, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        revoke_certificate(coordinator, certificate=certificate, reason=reason)

    assert "reason" in error.value.message_dict
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert certificate.grants.count() == 2


def test_an_overlong_reason_is_refused(coordinator: User, certificate: Certificate) -> None:
    with pytest.raises(ValidationError):
        revoke_certificate(coordinator, certificate=certificate, reason="x" * 501)

    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_twice_is_refused(coordinator: User, certificate: Certificate) -> None:
    revoke_certificate(coordinator, certificate=certificate, reason="First")

    with pytest.raises(ValidationError) as error:
        revoke_certificate(coordinator, certificate=certificate, reason="Second")

    assert error.value.code == "revoked"
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "First"


@pytest.mark.parametrize("who", ["trainer", "admin_a", "member_a", "officer"])
def test_only_coordinators_revoke(
    who: str, request: pytest.FixtureRequest, certificate: Certificate
) -> None:
    with pytest.raises(PermissionDenied):
        revoke_certificate(request.getfixturevalue(who), certificate=certificate, reason="No")

    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert certificate.grants.count() == 2


def test_revoking_is_audited(coordinator: User, certificate: Certificate) -> None:
    revoke_certificate(coordinator, certificate=certificate, reason="Wrong person")

    entry = AuditEntry.objects.get(
        object_type="training.certificate",
        object_id=str(certificate.pk),
        action=AuditEntry.Action.UPDATE,
    )
    assert entry.actor == coordinator
    assert entry.changes["revocation_reason"] == ["", "Wrong person"]
    assert entry.changes["competency_grants_removed"] == [
        "civil-protection-c0",
        "civil-protection-c1",
    ]
