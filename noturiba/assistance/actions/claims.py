"""Writes of offers, claims and transfers: a line is never claimed beyond its quantity.

Every write that changes ``RequestLine.claimed`` first locks the line row (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), re-reads what is claimed and
refuses a quantity beyond what remains, so two organisations clicking at once are counted one
after the other: the second is told what is left. The database's ``line_not_over_claimed``
constraint is the last guard.

A claim moves claimed → under way → done, or to "could not" (with a note); done adds to the
line's ``done``; "could not", a release and an automatic release give the quantity back. A claim
can be handed to another organisation: its admin asks (:func:`request_transfer`), the holder's
admins approve or decline; :func:`release_silent_claims` (run by the task worker) releases claims
silent too long and approves transfer requests left unanswered.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.alerts.channels.base import DeliveryError, OutgoingMessage
from noturiba.alerts.channels.email import EmailChannel
from noturiba.assistance.models import (
    AssistanceRequest,
    Claim,
    ClaimPhoto,
    ClaimUpdate,
    Offer,
    RequestLine,
    TransferRequest,
)
from noturiba.assistance.photos import MAX_PHOTOS, PreparedPhoto
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation, Person

logger = logging.getLogger(__name__)

State = Claim.State

# Error codes (``ValidationError.code``), also the API's error codes.
OVER_CLAIMED = "over_claimed"
NOT_OPEN = "request_not_open"
INVALID_QUANTITY = "invalid_quantity"
INVALID_TRANSITION = "invalid_transition"
NOTE_REQUIRED = "note_required"
NOT_PENDING = "not_pending"
TRANSFER_PENDING = "transfer_pending"
TOO_MANY_PHOTOS = "too_many_photos"

# Where a claim may go from each state by a report of its organisation.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.CLAIMED: (State.CLAIMED, State.UNDER_WAY, State.DONE, State.COULD_NOT),
    State.UNDER_WAY: (State.UNDER_WAY, State.DONE, State.COULD_NOT),
}
# Claims that may still be released or handed over (work not finished).
OPEN_STATES = (State.CLAIMED, State.UNDER_WAY)


def amount(value: Decimal) -> str:
    """A quantity as people write it: ``10`` rather than ``10.00``, ``2.5`` rather than
    ``2.50``."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def over_claimed_error(remaining: Decimal, unit: str) -> ValidationError:
    if remaining <= 0:
        message = _("This line is fully claimed: nothing remains to offer.")
    else:
        message = _("Only %(remaining)s %(unit)s remain on this line: offer at most that.") % {
            "remaining": amount(remaining),
            "unit": unit,
        }
    return ValidationError(message, code=OVER_CLAIMED, params={"remaining": remaining})


def _lock_line(line: RequestLine) -> RequestLine:
    """The line row, locked until the transaction ends, with its request (not locked)."""
    locked = RequestLine.objects.select_for_update(of=("self",)).select_related(
        "request", "capability"
    )
    return locked.get(pk=line.pk)


def _manages(actor: policy.Actor, request: AssistanceRequest) -> bool:
    return policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    )


def _sees(actor: policy.Actor, request_id: int) -> bool:
    return (
        AssistanceRequest.objects.filter(policy.request_filter(actor), pk=request_id)
        .distinct()
        .exists()
    )


def _user(actor: policy.Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _check_open(request: AssistanceRequest) -> None:
    if request.state != AssistanceRequest.State.OPEN:
        raise ValidationError(
            _("This request is %(state)s: it takes no more offers.")
            % {"state": request.get_state_display()},
            code=NOT_OPEN,
        )


def _check_quantity(quantity: Decimal) -> Decimal:
    try:
        value = Decimal(quantity)
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError(_("Enter a quantity."), code=INVALID_QUANTITY) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError(_("The quantity must be more than zero."), code=INVALID_QUANTITY)
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Use at most two decimal places for the quantity."), code=INVALID_QUANTITY
        )
    return value


def _change_claimed(line: RequestLine, delta: Decimal, done_delta: Decimal = Decimal(0)) -> None:
    """Add to the (locked) line's claimed and done quantities."""
    line.claimed += delta
    line.done += done_delta
    line.save(update_fields=["claimed", "done"])


def _new_claim(
    actor: policy.Actor,
    *,
    line: RequestLine,
    organisation_id: int,
    quantity: Decimal,
    offer: Offer | None = None,
    transferred_from: Claim | None = None,
    claimed_by: Any = None,
    note: str = "",
    now: datetime.datetime,
) -> Claim:
    claim = Claim.objects.create(
        line=line,
        organisation_id=organisation_id,
        offer=offer,
        transferred_from=transferred_from,
        quantity=quantity,
        state=State.CLAIMED,
        claimed_by=claimed_by if claimed_by is not None else _user(actor),
        created_at=now,
        last_activity_at=now,
    )
    ClaimUpdate.objects.create(
        claim=claim,
        state=State.CLAIMED,
        note=note,
        author=_user(actor),
        automatic=actor is None,
        created_at=now,
    )
    return claim


# --- Offers -------------------------------------------------------------------------------


@transaction.atomic
def offer_line_part(
    actor: policy.Actor,
    *,
    line: RequestLine,
    organisation: Organisation,
    quantity: Decimal,
    note: str = "",
) -> Offer:
    """Offer ``quantity`` of ``line`` on behalf of ``organisation`` (its admins may). When the
    request needs no approval the offer is accepted at once and its claim made (``offer.claim``);
    otherwise it waits for a manager. A quantity beyond what remains is refused (not trimmed)
    with a ValidationError (code :data:`OVER_CLAIMED`) naming what remains."""
    if not policy.can_offer_for(actor, organisation.pk):
        raise PermissionDenied(_("Only the organisation's admins may offer on its behalf."))
    if not _sees(actor, line.request_id):
        raise PermissionDenied(_("You may not offer on this request."))
    value = _check_quantity(quantity)
    locked = _lock_line(line)
    request = locked.request
    _check_open(request)
    if value > locked.remaining:
        raise over_claimed_error(locked.remaining, locked.get_unit_display())
    now = timezone.now()
    needs_approval = request.offers_need_approval
    offer = Offer.objects.create(
        line=locked,
        organisation=organisation,
        quantity=value,
        note=note[:500],
        state=Offer.State.PENDING if needs_approval else Offer.State.ACCEPTED,
        offered_by=_user(actor),
        created_at=now,
        decided_at=None if needs_approval else now,
    )
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=offer,
        changes={"line": locked.pk, "quantity": str(value), "state": offer.state},
    )
    if not needs_approval:
        claim = _new_claim(
            actor,
            line=locked,
            organisation_id=organisation.pk,
            quantity=value,
            offer=offer,
            note=note[:500],
            now=now,
        )
        _change_claimed(locked, value)
        record_audit(
            actor,
            action=AuditEntry.Action.CREATE,
            instance=claim,
            changes={"line": locked.pk, "quantity": str(value)},
        )
    line.claimed, line.done = locked.claimed, locked.done
    return offer


def _lock_pending_offer(offer: Offer) -> Offer:
    current = Offer.objects.select_for_update().get(pk=offer.pk)
    if current.state != Offer.State.PENDING:
        raise ValidationError(
            _("This offer is already %(state)s.") % {"state": current.get_state_display()},
            code=NOT_PENDING,
        )
    return current


@transaction.atomic
def accept_offer(
    actor: policy.Actor, *, offer: Offer, quantity: Decimal | None = None, note: str = ""
) -> Claim:
    """Accept a pending offer (the request's managers), for its quantity or less: it becomes a
    claim and the offering organisation's admins are told by email. Refused when more than
    remains."""
    request = offer.line.request
    if not _manages(actor, request):
        raise PermissionDenied(_("Only the request's managers may accept offers."))
    locked = _lock_line(offer.line)
    current = _lock_pending_offer(offer)
    _check_open(locked.request)
    value = current.quantity if quantity is None else _check_quantity(quantity)
    if value > current.quantity:
        raise ValidationError(
            _("You may accept at most the %(quantity)s offered.")
            % {"quantity": amount(current.quantity)},
            code=INVALID_QUANTITY,
        )
    if value > locked.remaining:
        raise over_claimed_error(locked.remaining, locked.get_unit_display())
    now = timezone.now()
    current.state = Offer.State.ACCEPTED
    current.decided_by = _user(actor)
    current.decided_at = now
    current.decision_note = note[:500]
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    claim = _new_claim(
        actor,
        line=locked,
        organisation_id=current.organisation_id,
        quantity=value,
        offer=current,
        claimed_by=current.offered_by,
        note=current.note,
        now=now,
    )
    _change_claimed(locked, value)
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"state": ["pending", "accepted"], "quantity": str(value)},
    )
    _mail_people(
        _admins_of(current.organisation_id),
        template="assistance/claims/mail/offer_accepted",
        context={"offer": current, "claim": claim, "line": locked},
        key=f"offer-{current.pk}-accepted",
    )
    offer.state = current.state
    return claim


@transaction.atomic
def decline_offer(actor: policy.Actor, *, offer: Offer, reason: str) -> Offer:
    """Decline a pending offer, with a reason the organisation sees (the request's managers);
    its admins are told by email."""
    if not _manages(actor, offer.line.request):
        raise PermissionDenied(_("Only the request's managers may decline offers."))
    if not reason.strip():
        raise ValidationError(_("Say why the offer is declined."), code=NOTE_REQUIRED)
    current = _lock_pending_offer(offer)
    current.state = Offer.State.DECLINED
    current.decided_by = _user(actor)
    current.decided_at = timezone.now()
    current.decision_note = reason.strip()[:500]
    current.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"state": ["pending", "declined"], "reason": current.decision_note},
    )
    _mail_people(
        _admins_of(current.organisation_id),
        template="assistance/claims/mail/offer_declined",
        context={"offer": current, "line": current.line},
        key=f"offer-{current.pk}-declined",
    )
    return current


@transaction.atomic
def withdraw_offer(actor: policy.Actor, *, offer: Offer) -> Offer:
    """Withdraw a pending offer (the offering organisation's admins)."""
    if not policy.can_offer_for(actor, offer.organisation_id):
        raise PermissionDenied(_("Only the organisation's admins may withdraw its offers."))
    current = _lock_pending_offer(offer)
    current.state = Offer.State.WITHDRAWN
    current.decided_by = _user(actor)
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "decided_by", "decided_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"state": ["pending", "withdrawn"]},
    )
    return current


# --- Progress ------------------------------------------------------------------------------


def _lock_claim(claim: Claim) -> tuple[RequestLine, Claim]:
    """The claim's line, then the claim, locked (always in that order)."""
    line = _lock_line(claim.line)
    current = Claim.objects.select_for_update(of=("self",)).select_related("organisation")
    return line, current.get(pk=claim.pk)


def _sync(claim: Claim, current: Claim) -> None:
    claim.state = current.state
    claim.last_activity_at = current.last_activity_at


@transaction.atomic
def update_claim(
    actor: policy.Actor,
    *,
    claim: Claim,
    state: str,
    note: str = "",
    photos: Sequence[PreparedPhoto] = (),
) -> ClaimUpdate:
    """Report progress on a claim (its organisation's people, coordinators): under way, done,
    or could not (a note is required); the same state again adds a note or photos. Done adds to
    the line's ``done``; "could not" gives the quantity back to the line."""
    if not policy.can_report_on_claim(actor, claim.organisation_id):
        raise PermissionDenied(_("Only the claiming organisation's people may report on it."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            _("Attach at most %(count)d photos to one update.") % {"count": MAX_PHOTOS},
            code=TOO_MANY_PHOTOS,
        )
    line, current = _lock_claim(claim)
    allowed = TRANSITIONS.get(current.state, ())
    if state not in allowed:
        raise ValidationError(
            _("A claim that is %(current)s cannot become %(next)s.")
            % {
                "current": current.get_state_display(),
                "next": State(state).label if state in State.values else state,
            },
            code=INVALID_TRANSITION,
        )
    note = note.strip()
    if state == State.COULD_NOT and not note:
        raise ValidationError(_("Say briefly why it could not be done."), code=NOTE_REQUIRED)
    if state == current.state and not note and not photos:
        raise ValidationError(_("Write a note or attach a photo."), code=NOTE_REQUIRED)
    now = timezone.now()
    previous = current.state
    if state == State.DONE:
        _change_claimed(line, Decimal(0), current.quantity)
    elif state == State.COULD_NOT:
        _change_claimed(line, -current.quantity)
    current.state = state
    current.last_activity_at = now
    current.save(update_fields=["state", "last_activity_at"])
    update = ClaimUpdate.objects.create(
        claim=current, state=state, note=note, author=_user(actor), created_at=now
    )
    ClaimPhoto.objects.bulk_create(
        ClaimPhoto(
            update=update,
            content=photo.content,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            description=photo.description[:300],
            created_at=now,
        )
        for photo in photos
    )
    if state != previous:
        _close_pending_transfers(actor, current, now=now)
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=current,
            changes={"state": [previous, state], "photos": len(photos)},
        )
    _sync(claim, current)
    return update


@transaction.atomic
def release_claim(actor: policy.Actor, *, claim: Claim, reason: str) -> Claim:
    """Give a claim's quantity back to the line (the claiming organisation's admins or the
    request's managers), with a reason; the organisation's admins and the request's contact
    are told by email."""
    request = claim.line.request
    if not (policy.can_offer_for(actor, claim.organisation_id) or _manages(actor, request)):
        raise PermissionDenied(_("You may not release this claim."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the claim is released."), code=NOTE_REQUIRED)
    line, current = _lock_claim(claim)
    _release(actor, line=line, claim=current, reason=reason, automatic=False)
    _sync(claim, current)
    return current


def _release(
    actor: policy.Actor, *, line: RequestLine, claim: Claim, reason: str, automatic: bool
) -> None:
    if claim.state not in OPEN_STATES:
        raise ValidationError(
            _("A claim that is %(current)s cannot be released.")
            % {"current": claim.get_state_display()},
            code=INVALID_TRANSITION,
        )
    now = timezone.now()
    previous = claim.state
    _change_claimed(line, -claim.quantity)
    claim.state = State.RELEASED
    claim.last_activity_at = now
    claim.save(update_fields=["state", "last_activity_at"])
    ClaimUpdate.objects.create(
        claim=claim, state=State.RELEASED, note=reason, author=_user(actor), automatic=automatic
    )
    _close_pending_transfers(actor, claim, now=now)
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=claim,
        changes={"state": [previous, State.RELEASED], "reason": reason, "automatic": automatic},
    )
    _mail_release(line=line, claim=claim, reason=reason, automatic=automatic)


def _close_pending_transfers(actor: policy.Actor, claim: Claim, *, now: datetime.datetime) -> None:
    """A claim that is finished or released can no longer be handed over."""
    if claim.state in OPEN_STATES:
        return
    TransferRequest.objects.filter(claim=claim, state=TransferRequest.State.PENDING).update(
        state=TransferRequest.State.DECLINED, decided_by=_user(actor), decided_at=now
    )


# --- Transfers -----------------------------------------------------------------------------


@transaction.atomic
def request_transfer(
    actor: policy.Actor, *, claim: Claim, to_organisation: Organisation, note: str = ""
) -> TransferRequest:
    """Ask to take over a claim for ``to_organisation`` (its admins may); the holder's admins
    are told by email. One pending request per claim."""
    if not policy.can_offer_for(actor, to_organisation.pk):
        raise PermissionDenied(_("Only the organisation's admins may ask on its behalf."))
    if to_organisation.pk == claim.organisation_id:
        raise ValidationError(
            _("This claim is already your organisation's."), code=INVALID_TRANSITION
        )
    if not _sees(actor, claim.line.request_id):
        raise PermissionDenied(_("You may not take over this claim."))
    line, current = _lock_claim(claim)
    _check_open(line.request)
    if current.state not in OPEN_STATES:
        raise ValidationError(
            _("A claim that is %(current)s cannot be taken over.")
            % {"current": current.get_state_display()},
            code=INVALID_TRANSITION,
        )
    already = _("Someone already asked to take over this claim; wait for the answer.")
    if TransferRequest.objects.filter(claim=current, state=TransferRequest.State.PENDING).exists():
        raise ValidationError(already, code=TRANSFER_PENDING)
    try:
        with transaction.atomic():
            transfer = TransferRequest.objects.create(
                claim=current,
                to_organisation=to_organisation,
                note=note.strip()[:500],
                requested_by=_user(actor),
            )
    except IntegrityError:
        raise ValidationError(already, code=TRANSFER_PENDING) from None
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=transfer,
        changes={"claim": current.pk, "to_organisation": to_organisation.pk},
    )
    _mail_people(
        _admins_of(current.organisation_id),
        template="assistance/claims/mail/transfer_requested",
        context={"claim": current, "line": line, "transfer": transfer},
        key=f"transfer-{transfer.pk}-requested",
    )
    return transfer


def _lock_pending_transfer(transfer: TransferRequest) -> tuple[RequestLine, Claim, TransferRequest]:
    line, claim = _lock_claim(transfer.claim)
    current = TransferRequest.objects.select_for_update(of=("self",)).select_related(
        "to_organisation"
    )
    locked = current.get(pk=transfer.pk)
    if locked.state != TransferRequest.State.PENDING:
        raise ValidationError(
            _("This request to take over is already %(state)s.")
            % {"state": locked.get_state_display()},
            code=NOT_PENDING,
        )
    return line, claim, locked


def _hand_over(
    actor: policy.Actor,
    *,
    line: RequestLine,
    claim: Claim,
    transfer: TransferRequest,
    state: str,
) -> Claim:
    """Move ``claim`` to the transfer's organisation: the old claim becomes ``transferred``, a
    new one takes its quantity (the line's ``claimed`` does not change)."""
    if claim.state not in OPEN_STATES:
        raise ValidationError(
            _("A claim that is %(current)s cannot be taken over.")
            % {"current": claim.get_state_display()},
            code=INVALID_TRANSITION,
        )
    now = timezone.now()
    automatic = state == TransferRequest.State.AUTO_APPROVED
    transfer.state = state
    transfer.decided_by = _user(actor)
    transfer.decided_at = now
    transfer.save(update_fields=["state", "decided_by", "decided_at"])
    previous = claim.state
    claim.state = State.TRANSFERRED
    claim.last_activity_at = now
    claim.save(update_fields=["state", "last_activity_at"])
    name = transfer.to_organisation.name
    ClaimUpdate.objects.create(
        claim=claim,
        state=State.TRANSFERRED,
        note=_("Handed over to %(organisation)s.") % {"organisation": name},
        author=_user(actor),
        automatic=automatic,
        created_at=now,
    )
    new = _new_claim(
        actor,
        line=line,
        organisation_id=transfer.to_organisation_id,
        quantity=claim.quantity,
        transferred_from=claim,
        claimed_by=transfer.requested_by,
        note=_("Taken over from %(organisation)s.") % {"organisation": claim.organisation.name},
        now=now,
    )
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=transfer,
        changes={
            "state": ["pending", state],
            "claim": [previous, State.TRANSFERRED],
            "new_claim": new.pk,
        },
    )
    return new


@transaction.atomic
def approve_transfer(actor: policy.Actor, *, transfer: TransferRequest) -> Claim:
    """Hand the claim over (the holder's admins). Returns the new organisation's claim."""
    if not policy.can_answer_transfer(actor, holder_organisation_id=transfer.claim.organisation_id):
        raise PermissionDenied(_("Only the claim holder's admins may answer."))
    line, claim, current = _lock_pending_transfer(transfer)
    new = _hand_over(
        actor, line=line, claim=claim, transfer=current, state=TransferRequest.State.APPROVED
    )
    transfer.state = current.state
    return new


@transaction.atomic
def decline_transfer(
    actor: policy.Actor, *, transfer: TransferRequest, reason: str = ""
) -> TransferRequest:
    """Keep the claim (the holder's admins)."""
    if not policy.can_answer_transfer(actor, holder_organisation_id=transfer.claim.organisation_id):
        raise PermissionDenied(_("Only the claim holder's admins may answer."))
    _line, claim, current = _lock_pending_transfer(transfer)
    now = timezone.now()
    current.state = TransferRequest.State.DECLINED
    current.decided_by = _user(actor)
    current.decided_at = now
    current.save(update_fields=["state", "decided_by", "decided_at"])
    # Answering is word from the holder: the claim is not silent.
    claim.last_activity_at = now
    claim.save(update_fields=["last_activity_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"state": ["pending", "declined"], "reason": reason.strip()[:500]},
    )
    transfer.state = current.state
    return current


@transaction.atomic
def withdraw_transfer(actor: policy.Actor, *, transfer: TransferRequest) -> TransferRequest:
    """Withdraw one's own request to take over (the asking organisation's admins)."""
    if not policy.can_offer_for(actor, transfer.to_organisation_id):
        raise PermissionDenied(_("Only the asking organisation's admins may withdraw it."))
    _line, _claim, current = _lock_pending_transfer(transfer)
    current.state = TransferRequest.State.WITHDRAWN
    current.decided_by = _user(actor)
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "decided_by", "decided_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=current,
        changes={"state": ["pending", "withdrawn"]},
    )
    transfer.state = current.state
    return current


# --- Silence -------------------------------------------------------------------------------


def release_silent_claims(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Approve transfer requests pending longer than ``ASSISTANCE_TRANSFER_SILENCE_HOURS`` and
    release claims (claimed or under way) with no word for ``ASSISTANCE_CLAIM_SILENCE_HOURS``.
    Each row is handled in its own transaction under the line's lock and re-checked there, so
    several workers running at once act on each row once. Returns (released, transferred)."""
    now = now or timezone.now()
    transfer_before = now - datetime.timedelta(hours=settings.ASSISTANCE_TRANSFER_SILENCE_HOURS)
    claim_before = now - datetime.timedelta(hours=settings.ASSISTANCE_CLAIM_SILENCE_HOURS)
    transferred = 0
    for transfer_id in list(
        TransferRequest.objects.filter(
            state=TransferRequest.State.PENDING, created_at__lt=transfer_before
        ).values_list("pk", flat=True)
    ):
        transferred += _auto_approve(transfer_id, transfer_before)
    released = 0
    for claim_id in list(
        Claim.objects.filter(state__in=OPEN_STATES, last_activity_at__lt=claim_before).values_list(
            "pk", flat=True
        )
    ):
        released += _auto_release(claim_id, claim_before)
    return released, transferred


@transaction.atomic
def _auto_approve(transfer_id: int, before: datetime.datetime) -> int:
    transfer = (
        TransferRequest.objects.select_related("claim__line")
        .filter(pk=transfer_id, state=TransferRequest.State.PENDING, created_at__lt=before)
        .first()
    )
    if transfer is None:
        return 0
    try:
        line, claim, current = _lock_pending_transfer(transfer)
        if current.created_at >= before:
            return 0
        _hand_over(None, line=line, claim=claim, transfer=current, state="auto")
    except ValidationError:
        return 0  # answered or finished meanwhile
    return 1


@transaction.atomic
def _auto_release(claim_id: int, before: datetime.datetime) -> int:
    claim = Claim.objects.select_related("line").filter(pk=claim_id).first()
    if claim is None:
        return 0
    line, current = _lock_claim(claim)
    if current.state not in OPEN_STATES or current.last_activity_at >= before:
        return 0  # reported or released meanwhile
    hours = settings.ASSISTANCE_CLAIM_SILENCE_HOURS
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Released automatically: no update for %(hours)d hours.") % {"hours": hours}
    _release(None, line=line, claim=current, reason=reason, automatic=True)
    return 1


# --- Mail ----------------------------------------------------------------------------------


def _admins_of(organisation_id: int) -> list[Person]:
    return list(
        Person.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Membership.Role.ADMIN,
        )
        .exclude(email="")
        .distinct()
    )


def _language(person: Person | None) -> str:
    spoken = {code for code, _name in settings.LANGUAGES}
    if person is not None and person.preferred_language in spoken:
        return person.preferred_language
    return str(settings.LANGUAGE_CODE)


def _mail_release(*, line: RequestLine, claim: Claim, reason: str, automatic: bool) -> None:
    context = {"claim": claim, "line": line, "reason": reason, "automatic": automatic}
    template = "assistance/claims/mail/claim_released"
    key = f"claim-{claim.pk}-released"
    _mail_people(_admins_of(claim.organisation_id), template=template, context=context, key=key)
    if line.request.contact_email:
        _mail_address(line.request.contact_email, None, template=template, context=context, key=key)


def _mail_people(
    people: Iterable[Person], *, template: str, context: dict[str, Any], key: str
) -> None:
    for person in people:
        _mail_address(person.email, person, template=template, context=context, key=key)


def _mail_address(
    address: str, person: Person | None, *, template: str, context: dict[str, Any], key: str
) -> None:
    """Render now, in the person's language; hand to the email channel after commit."""
    language = _language(person)
    full = {"person": person, "public_url": str(settings.PUBLIC_URL).rstrip("/"), **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        text = render_to_string(f"{template}.txt", full)
    message = OutgoingMessage(
        idempotency_key=f"assistance-{key}-{address}",
        recipient=address,
        language=language,
        subject=subject,
        text=text,
    )
    transaction.on_commit(lambda: _send(message))


def _send(message: OutgoingMessage) -> None:
    channel = EmailChannel()
    try:
        channel.send(message)
    except DeliveryError as exc:
        logger.warning(
            "Assistance email %s not sent: %s (%s)", message.idempotency_key, exc.reason, exc.detail
        )
    finally:
        channel.close()
