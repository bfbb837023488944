"""Assistance requests: an institution or coordinator asks, the network answers without duplication.

A :class:`AssistanceRequest` has one or more :class:`RequestLine` rows, each a capability of the
catalogue with a quantity. Organisations answer a line with an :class:`Offer`; an accepted offer
becomes a :class:`Claim` on part of the line. ``RequestLine.claimed`` is the sum of the line's
active claims, kept by ``noturiba.assistance.actions`` under a row lock on the line, and the
database refuses a line claimed beyond its quantity. A claim can be handed to another
organisation through a :class:`TransferRequest` (Crisis Cleanup's request/approve pattern); a
claim or transfer request left silent too long is released or approved by the task worker.
Every write goes through ``noturiba.assistance.actions``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.lib.cap.model import Urgency
from noturiba.network.models import (
    CapabilityType,
    Institution,
    Municipality,
    Organisation,
    Unit,
    coordinate_constraints,
)


class AssistanceRequest(models.Model):
    """A need posted by an institution officer (in their jurisdiction) or a coordinator."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    class UrgencyChoice(models.TextChoices):
        # CAP 1.2's urgency scale; "Past" makes no sense for a need still to be met.
        IMMEDIATE = Urgency.IMMEDIATE.value, _("immediate")
        EXPECTED = Urgency.EXPECTED.value, _("expected (within the hour)")
        FUTURE = Urgency.FUTURE.value, _("future")
        UNKNOWN = Urgency.UNKNOWN.value, _("unknown")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("requesting institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    urgency = models.CharField(
        _("urgency"),
        max_length=10,
        choices=UrgencyChoice.choices,
        default=UrgencyChoice.IMMEDIATE,
    )
    starts_at = models.DateTimeField(_("needed from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("needed until"), null=True, blank=True)
    deadline = models.DateTimeField(_("answer by"), help_text=_("When the help must be in place."))
    contact_name = models.CharField(_("contact: name"), max_length=200)
    contact_phone = models.CharField(_("contact: phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("contact: email"), blank=True)
    alert = models.ForeignKey(
        "alerts.Alert",
        verbose_name=_("related alert"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
    )
    offered_to_network = models.BooleanField(
        _("offered to the whole network"),
        default=True,
        help_text=_(
            "Every organisation sees the request and may offer. Otherwise only the organisations "
            "invited see it."
        ),
    )
    offers_need_approval = models.BooleanField(
        _("offers need my approval"),
        default=False,
        help_text=_("Otherwise an offer becomes a claim at once, while quantity remains."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=500, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["state", "deadline"], name="request_state_deadline_idx"),
            models.Index(fields=["municipality", "state"], name="request_municipality_idx"),
        ]
        constraints = [
            *coordinate_constraints("request"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="request_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.state == self.State.OPEN and self.deadline < (now or timezone.now())


class RequestLine(models.Model):
    """One thing a request needs: a capability of the catalogue and how much of it."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="lines")
    capability = models.ForeignKey(
        CapabilityType, verbose_name=_("capability"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    # The sum of the line's active claims (claimed, under way, done): kept by the actions under
    # a row lock on this line; the constraint below makes over-claiming impossible.
    claimed = models.DecimalField(
        _("claimed"), max_digits=12, decimal_places=2, default=Decimal(0), editable=False
    )
    done = models.DecimalField(
        _("done"), max_digits=12, decimal_places=2, default=Decimal(0), editable=False
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        ordering = ["request", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(claimed__gte=0) & Q(claimed__lte=F("quantity")),
                name="line_not_over_claimed",
            ),
            models.CheckConstraint(
                condition=Q(done__gte=0) & Q(done__lte=F("claimed")),
                name="line_done_within_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capability} · {self.quantity} {self.get_unit_display()}"

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.claimed

    @property
    def is_covered(self) -> bool:
        return self.claimed >= self.quantity


class Offer(models.Model):
    """An organisation's offer of part of a line; accepted, it becomes a claim."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    line = models.ForeignKey(RequestLine, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assistance_offers"
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("offered at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
        ]
        indexes = [models.Index(fields=["line", "state"], name="offer_line_state_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.quantity}"


class Claim(models.Model):
    """Part of a line an organisation has taken on, and how it is going."""

    class State(models.TextChoices):
        CLAIMED = "claimed", _("claimed")
        UNDER_WAY = "under_way", _("under way")
        DONE = "done", _("done")
        COULD_NOT = "could_not", _("could not do it")
        RELEASED = "released", _("released")
        TRANSFERRED = "transferred", _("transferred")

    # The states that count towards the line's ``claimed``.
    ACTIVE = (State.CLAIMED, State.UNDER_WAY, State.DONE)

    line = models.ForeignKey(RequestLine, on_delete=models.CASCADE, related_name="claims")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assistance_claims"
    )
    offer = models.OneToOneField(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="claim"
    )
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CLAIMED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("claimed at"), default=timezone.now, editable=False)
    # The last word from the claiming organisation: what the automatic release measures from.
    last_activity_at = models.DateTimeField(_("last update"), default=timezone.now)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="claim_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["line", "state"], name="claim_line_state_idx"),
            models.Index(fields=["organisation", "state"], name="claim_org_state_idx"),
            models.Index(fields=["state", "last_activity_at"], name="claim_silence_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.quantity} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class ClaimUpdate(models.Model):
    """A step of a claim: a change of state or a note, with optional photos."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="updates")
    state = models.CharField(_("state"), max_length=12, choices=Claim.State.choices)
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(_("by the platform"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("claim update")
        verbose_name_plural = _("claim updates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.get_state_display()}"


class ClaimPhoto(models.Model):
    """A photo attached to a claim update, kept in the database (re-encoded, metadata dropped)
    and served only to those who may see the claim."""

    update = models.ForeignKey(ClaimUpdate, on_delete=models.CASCADE, related_name="photos")
    content = models.BinaryField(editable=False)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField(
        _("photo description"), max_length=300, blank=True, help_text=_("For screen readers.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("claim photo")
        verbose_name_plural = _("claim photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description or f"photo {self.pk}"


class TransferRequest(models.Model):
    """Another organisation asks to take over a claim; its holder approves or declines. Left
    unanswered past the configured silence, the task worker approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        AUTO_APPROVED = "auto", _("approved after no answer")
        WITHDRAWN = "withdrawn", _("withdrawn")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transfer_requests")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assistance_transfer_requests"
    )
    note = models.CharField(_("why"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(state="pending"),
                name="one_pending_transfer_per_claim",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="transfer_state_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.to_organisation}"


class Invitation(models.Model):
    """An organisation invited to a line, from the ranking, through the alert channels."""

    line = models.ForeignKey(RequestLine, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assistance_invitations"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    alert = models.ForeignKey(
        "alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["line", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "organisation"], name="invitation_line_org_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → line {self.line_id}"


class MatchingOffer(models.Model):
    """What ranking reads of each capability offer (``selectors.matching``): the offer's
    quantity and start-up time as numbers, where its organisation is — its own coordinates
    when it has both, else its seat municipality's centre (``at_seat``), else none — and the
    organisation's training coverage (``training.OrganisationTrainingCoverage``).

    A read model kept by the database itself: triggers on the offers, the organisations, the
    municipalities and the training coverage (migration ``0003_matching_offers``) rewrite the
    rows concerned whenever an offer, an organisation's coordinates or seat, a seat's centre or
    an organisation's coverage changes, whatever wrote them (forms, API, imports, the admin,
    bulk writes). The application never writes it. Ranking then reads one table per candidate
    instead of joining four and converting decimals (BENCHMARKS.md, ranking). On SQLite the
    migration also adds an index holding every column ranking reads."""

    offer_id = models.BigIntegerField(primary_key=True)
    organisation_id = models.BigIntegerField(db_index=True)
    capability_id = models.BigIntegerField()
    quantity = models.FloatField()
    startup_hours = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    at_seat = models.BooleanField(default=False)
    people = models.IntegerField(null=True)  # its organisation's training coverage, if known
    trained_people = models.IntegerField(null=True)

    class Meta:
        verbose_name = _("offer as ranked")
        verbose_name_plural = _("offers as ranked")
        indexes = [
            models.Index(
                fields=["capability_id", "quantity"], name="matching_offer_capability_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.capability_id}"
