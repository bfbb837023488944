"""Inviting people whose competencies expire to the next session that renews them.

The session is chosen by ``selectors.knowledge.choose_session``: a published upcoming session
with a free place whose course confers the competency, in one of the person's municipalities
first, then online, then anywhere; the soonest of the best kind. A person is invited to a
session once (``Invitation``'s unique constraint): asking again reports the invitation already
sent and sends nothing. The email goes through ``noturiba.training.mail`` after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Person
from noturiba.training import mail
from noturiba.training.models import Competency, Invitation, TrainingSession
from noturiba.training.selectors import knowledge as selectors

INVITATION_TEMPLATE = "training/knowledge/mail/invitation"


@dataclass(frozen=True)
class InvitationResult:
    person: Person
    competency: Competency
    session: TrainingSession | None  # None: no matching session with a free place
    created: bool  # False: already invited to that session (or no session)


@transaction.atomic
def invite_to_next_session(
    actor: policy.Actor, *, person: Person, competency: Competency
) -> InvitationResult:
    """Invite ``person`` to the next session that teaches ``competency`` (coordinators)."""
    return invite_people(actor, pairs=[(person, competency)])[0]


@transaction.atomic
def invite_people(
    actor: policy.Actor, *, pairs: Sequence[tuple[Person, Competency]]
) -> list[InvitationResult]:
    """Invite each (person, competency) of ``pairs`` to their next matching session: the bulk
    "invite all shown". The sessions and places are read once for all of them."""
    if not policy.can_view_expiring_people(actor):
        raise PermissionDenied
    options = selectors.sessions_with_places()
    person_ids = {person.pk for person, _competency in pairs}
    places = selectors.municipalities_of(person_ids)
    enrolled = selectors.enrolled_sessions_of(person_ids, [o.session.pk for o in options])
    results = []
    for person, competency in pairs:
        session = selectors.choose_session(
            options,
            competency_id=competency.pk,
            municipality_ids=places.get(person.pk, frozenset()),
            enrolled_session_ids=enrolled.get(person.pk, frozenset()),
        )
        if session is None:
            results.append(InvitationResult(person, competency, None, False))
            continue
        invitation, created = Invitation.objects.get_or_create(
            session=session, person=person, defaults={"invited_by": actor}
        )
        if created:
            _send(actor, invitation, person, competency, session)
        results.append(InvitationResult(person, competency, session, created))
    return results


def _send(
    actor: policy.Actor,
    invitation: Invitation,
    person: Person,
    competency: Competency,
    session: TrainingSession,
) -> None:
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=invitation,
        changes={"competency": competency.code, "session": session.pk},
    )
    sent = mail.send_training_mail(
        person=person,
        template=INVITATION_TEMPLATE,
        context={"session": session, "competency": competency, "invitation": invitation},
        key=f"invitation-{invitation.pk}",
    )
    if sent:
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
