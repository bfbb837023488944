"""Writes for certificates: closing a session's results (issuing certificates and competency
grants) and revoking a certificate.

Decisions:

- ``completed_on`` is the Europe/Riga calendar date of the session's end; a competency valid for
  *n* months is valid until ``completed_on`` plus *n* calendar months (``relativedelta``: 29
  February + 24 months is 28 February), that day included; the certificate's ``valid_until`` is
  the earliest of its competencies' (None when none expires).
- Closing results is idempotent: an enrolment has at most one certificate (a database
  constraint), and closing again issues certificates only to enrolments completed since (a
  score corrected later); ``results_closed_at`` keeps the first closing.
- Revoking deletes the certificate's competency grants: a revoked certificate was not earned
  (a mistake or fraud), so the learning record and the competency matrix must not count it even
  for the days before the revocation. The certificate row stays (the public page says "revoked").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.training.mail import send_training_mail
from noturiba.training.models import (
    Certificate,
    Competency,
    CompetencyGrant,
    CourseModule,
    Enrolment,
    TrainingSession,
)
from noturiba.training.selectors.certificates import completion_of, riga_date
from noturiba.training.tasks import request_matrix_refresh

REASON_MAX_LENGTH = 500


def network_name() -> str:
    """The issuer named on certificates of sessions without an issuing organisation."""
    return str(settings.NETWORK_NAME)


def expiry_date(completed_on: datetime.date, validity_months: int | None) -> datetime.date | None:
    """The last day a competency acquired on ``completed_on`` is valid (None: never expires)."""
    if validity_months is None:
        return None
    return completed_on + relativedelta(months=validity_months)


@transaction.atomic
def close_results(actor: policy.Actor, *, session: TrainingSession) -> list[Certificate]:
    """Close the session's results: issue a certificate and the competency grants to every
    confirmed enrolment that completed the course and has no certificate yet. Returns the
    certificates issued by this call."""
    locked = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("course", "issuing_organisation")
        .get(pk=session.pk)
    )
    trainers = list(locked.trainers.order_by("full_name", "id"))
    if not policy.can_run_session(actor, trainer_ids=[trainer.pk for trainer in trainers]):
        raise PermissionDenied(_("You may not close the results of this session."))
    if locked.status == TrainingSession.Status.CANCELLED:
        raise ValidationError(_("A cancelled session issues no certificates."), code="cancelled")
    if locked.ends_at > timezone.now():
        raise ValidationError(
            _("Results can be closed once the session has ended."), code="not_ended"
        )
    course = locked.course
    course_modules = list(
        CourseModule.objects.filter(course=course)
        .select_related("module")
        .prefetch_related("module__competencies")
        .order_by("position", "id")
    )
    total_hours = sum((item.module.hours for item in course_modules), Decimal(0))
    competencies: dict[int, Competency] = {}
    for item in course_modules:
        for competency in item.module.competencies.all():
            competencies.setdefault(competency.pk, competency)
    completed_on = riga_date(locked.ends_at)
    expiries = {pk: expiry_date(completed_on, c.validity_months) for pk, c in competencies.items()}
    ending = [day for day in expiries.values() if day is not None]
    snapshot = {
        "course": course,
        "course_name_lv": course.name_lv,
        "course_name_en": course.name_en,
        "modules": [
            {
                "code": item.module.code,
                "name_lv": item.module.name_lv,
                "name_en": item.module.name_en,
                "hours": str(item.module.hours),
            }
            for item in course_modules
        ],
        "trainer_names": ", ".join(t.full_name for t in trainers if t.full_name)[:400],
        "issuer_name": (
            locked.issuing_organisation.name if locked.issuing_organisation else network_name()
        )[:200],
        "completed_on": completed_on,
        "valid_until": min(ending) if ending else None,
    }
    enrolments = Enrolment.objects.filter(
        session=locked, status=Enrolment.Status.CONFIRMED, certificate__isnull=True
    ).select_related("person")
    issued: list[Certificate] = []
    for enrolment in enrolments:
        if completion_of(enrolment, course, total_hours) or enrolment.hours_attended is None:
            continue
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            person=enrolment.person,
            holder_name=enrolment.person.full_name,
            hours=enrolment.hours_attended,
            **snapshot,
        )
        CompetencyGrant.objects.bulk_create(
            CompetencyGrant(
                person=enrolment.person,
                competency_id=pk,
                certificate=certificate,
                acquired_on=completed_on,
                valid_until=expiries[pk],
            )
            for pk in competencies
        )
        record_audit(
            actor,
            action=AuditEntry.Action.CREATE,
            instance=certificate,
            changes={
                "session": [None, locked.pk],
                "holder_name": [None, certificate.holder_name],
                "completed_on": [None, str(completed_on)],
                "valid_until": [None, str(certificate.valid_until)],
            },
        )
        issued.append(certificate)
    if locked.results_closed_at is None:
        locked.results_closed_at = timezone.now()
        locked.save(update_fields=["results_closed_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"results_closed": [None, str(locked.results_closed_at)], "issued": len(issued)},
    )
    _notify_holders(issued)
    if issued:
        request_matrix_refresh()
    return issued


def _notify_holders(certificates: list[Certificate]) -> None:
    """Each holder with an email address hears of their certificate (sent after commit)."""
    for certificate in certificates:
        send_training_mail(
            person=certificate.person,
            template="training/certificates/mail/certificate_issued",
            context={"certificate": certificate},
            key=f"certificate-{certificate.code}-issued",
        )


@transaction.atomic
def revoke_certificate(
    actor: policy.Actor, *, certificate: Certificate, reason: str
) -> Certificate:
    """Revoke ``certificate`` (coordinators, with a reason); its competency grants are deleted."""
    if not policy.can_revoke_certificate(actor):
        raise PermissionDenied(_("You may not revoke certificates."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")}, code="required")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(limit)d characters.")
                % {"limit": REASON_MAX_LENGTH}
            },
            code="max_length",
        )
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    removed = sorted(locked.grants.values_list("competency__code", flat=True))
    locked.grants.all().delete()
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={
            "revoked_at": [None, str(locked.revoked_at)],
            "revocation_reason": ["", reason],
            "competency_grants_removed": removed,
        },
    )
    request_matrix_refresh()
    return locked
