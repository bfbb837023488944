"""Alerts (modelled on OASIS CAP 1.2), their deliveries (the outbox) and acknowledgements.

An :class:`Alert` is written as a draft with its area (municipalities) and audience filters, then
sent: one :class:`Delivery` row per person and channel is saved before anything goes out, and
task workers hand batches of them to the channels. Every delivery carries an unguessable token
for the acknowledgement page ``/ack/<token>``; the answer is one :class:`Acknowledgement` per
alert and person. Writes go through ``noturiba.alerts.actions``.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.replies import Answer
from noturiba.lib import cap
from noturiba.lib.cap.model import Category, Certainty, MsgType, Scope, Severity, Status, Urgency
from noturiba.network.models import Municipality, Person

# CAP's <restriction> text for alerts meant only for the network's members.
RESTRICTION = "Noturiba network members only"


def new_identifier() -> str:
    """A CAP identifier: unique, without spaces, commas or reserved characters."""
    return f"noturiba-{uuid.uuid4().hex}"


def new_ack_token() -> str:
    """The unguessable part of an acknowledgement link (192 random bits)."""
    return secrets.token_urlsafe(24)


def _choices(enum: Any, *values: str) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum if not values or member in values]


class Alert(models.Model):
    """An alert to the network, with CAP 1.2's fields and one Latvian and one English info."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    identifier = models.CharField(
        _("identifier"), max_length=100, unique=True, default=new_identifier, editable=False
    )
    sender = models.CharField(_("sender"), max_length=200)
    sent = models.DateTimeField(_("sent at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=_choices(Status, Status.ACTUAL, Status.EXERCISE, Status.TEST, Status.DRAFT),
        default=Status.ACTUAL.value,
    )
    msg_type = models.CharField(
        _("message type"),
        max_length=10,
        choices=_choices(MsgType, MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL),
        default=MsgType.ALERT.value,
    )
    references = models.ForeignKey(
        "self",
        verbose_name=_("refers to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=_choices(Scope, Scope.PUBLIC, Scope.RESTRICTED),
        default=Scope.RESTRICTED.value,
    )
    category = models.CharField(
        _("category"), max_length=10, choices=_choices(Category), default=Category.SAFETY.value
    )
    event = models.CharField(_("event"), max_length=200)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=_choices(Urgency), default=Urgency.IMMEDIATE.value
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=_choices(Severity), default=Severity.SEVERE.value
    )
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=_choices(Certainty), default=Certainty.LIKELY.value
    )
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    headline_en = models.CharField(_("headline (English)"), max_length=160, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    instruction_en = models.TextField(_("instruction (English)"), blank=True)
    web = models.URLField(_("web link"), blank=True)
    effective = models.DateTimeField(_("effective from"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("area"), blank=True, related_name="+"
    )
    audience = models.JSONField(
        _("audience"),
        default=dict,
        blank=True,
        help_text=_(
            "Who receives the alert: lists of municipality, target group, capability and "
            "organisation ids and of membership roles; empty means the people of the area."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__isnull=True)
                | Q(effective__isnull=True)
                | Q(expires__gt=models.F("effective")),
                name="alert_expires_after_effective",
            ),
            models.CheckConstraint(
                condition=Q(msg_type="Alert") | Q(references__isnull=False),
                name="alert_update_cancel_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def is_expired(self, now: Any = None) -> bool:
        return self.expires is not None and self.expires <= (now or timezone.now())

    @property
    def accepts_answers(self) -> bool:
        """Answers count while the alert is out, neither cancelled nor expired."""
        return self.state in {self.State.SENDING, self.State.SENT} and not self.is_expired()

    def text_in(self, language: str) -> tuple[str, str, str]:
        """Headline, description and instruction in ``language`` (English when written)."""
        if language.startswith("en") and self.headline_en:
            return self.headline_en, self.description_en, self.instruction_en
        return self.headline, self.description, self.instruction

    def to_cap(self) -> cap.Alert:
        """This alert as a CAP 1.2 document (a Latvian info and, when written, an English one)."""
        sent = (self.sent or self.created_at).replace(microsecond=0)
        names = [m.name_lv for m in self.municipalities.all()]
        areas = (cap.Area(area_desc=", ".join(names)),) if names else ()
        references: tuple[cap.Reference, ...] = ()
        if self.references is not None:
            earlier = self.references
            references = (
                cap.Reference(
                    sender=earlier.sender,
                    identifier=earlier.identifier,
                    sent=(earlier.sent or earlier.created_at).replace(microsecond=0),
                ),
            )
        texts = [("lv-LV", self.headline, self.description, self.instruction)]
        if self.headline_en:
            texts.append(("en-US", self.headline_en, self.description_en, self.instruction_en))
        infos = tuple(
            cap.Info(
                language=language,
                categories=(Category(self.category),),
                event=self.event,
                urgency=Urgency(self.urgency),
                severity=Severity(self.severity),
                certainty=Certainty(self.certainty),
                effective=self.effective.replace(microsecond=0) if self.effective else None,
                expires=self.expires.replace(microsecond=0) if self.expires else None,
                headline=headline,
                description=description or None,
                instruction=instruction or None,
                web=self.web or None,
                areas=areas,
            )
            for language, headline, description, instruction in texts
        )
        return cap.Alert(
            identifier=self.identifier,
            sender=self.sender,
            sent=sent,
            status=Status(self.status),
            msg_type=MsgType(self.msg_type),
            scope=Scope(self.scope),
            restriction=RESTRICTION if self.scope == Scope.RESTRICTED else None,
            references=references,
            infos=infos,
        )


class Delivery(models.Model):
    """One message of an alert to one person over one channel: a row of the outbox."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=20)
    address = models.CharField(_("address"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    ack_token = models.CharField(max_length=40, unique=True, default=new_ack_token)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "person", "channel"], name="delivery_alert_person_channel"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.address} ({self.channel}, {self.state})"


class Acknowledgement(models.Model):
    """A person's answer to an alert; answering again updates it."""

    class Via(models.TextChoices):
        LINK = "link", _("acknowledgement link")
        SMS = "sms", _("SMS reply")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    via = models.CharField(_("answered by"), max_length=5, choices=Via.choices)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "person"], name="acknowledgement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_answer_display()}"
