"""Alerts (modelled on OASIS CAP 1.2), their deliveries (the outbox) and acknowledgements.

An :class:`Alert` is written as a draft with its area (municipalities) and audience filters, then
sent: one :class:`Delivery` row per person and channel is saved before anything goes out, and
task workers hand batches of them to the channels. Every delivery carries an unguessable token
for the acknowledgement page ``/ack/<token>``; the answer is one :class:`Acknowledgement` per
alert and person. Writes go through ``noturiba.alerts.actions``.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.replies import Answer
from noturiba.lib import cap
from noturiba.lib.cap import CapError
from noturiba.lib.cap.formats import parse_circle, parse_polygon
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


class AlertContent(models.Model):
    """What an alert says (CAP's message type and info, Latvian and English): shared by alerts
    and the templates they start from."""

    msg_type = models.CharField(
        _("message type"),
        max_length=10,
        choices=_choices(MsgType, MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL),
        default=MsgType.ALERT.value,
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

    class Meta:
        abstract = True

    def text_in(self, language: str) -> tuple[str, str, str]:
        """Headline, description and instruction in ``language`` (English when written)."""
        if language.startswith("en") and self.headline_en:
            return self.headline_en, self.description_en, self.instruction_en
        return self.headline, self.description, self.instruction


# The fields of AlertContent, in order: what a template gives an alert, and what both audit.
CONTENT_FIELDS: tuple[str, ...] = tuple(field.name for field in AlertContent._meta.local_fields)


class Alert(AlertContent):
    """An alert to the network, with CAP 1.2's fields and one Latvian and one English info."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_APPROVAL = "approval", _("awaiting approval")
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
    area_polygon = models.TextField(
        _("area polygon"),
        blank=True,
        help_text=_(
            "Optional: CAP polygon, space-separated latitude,longitude pairs, the first pair "
            "repeated at the end."
        ),
    )
    area_circle = models.CharField(
        _("area circle"),
        max_length=100,
        blank=True,
        help_text=_("Optional: CAP circle, a latitude,longitude centre and a radius in km."),
    )
    escalate_after = models.DurationField(
        _("escalate after"),
        null=True,
        blank=True,
        help_text=_(
            "Unanswered after this long → the next channel, then the person's second contact. "
            "Empty: never."
        ),
    )
    relayed_from = models.ForeignKey(
        "ExternalAlert",
        verbose_name=_("relays"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relays",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
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

    def clean(self) -> None:
        """The polygon and circle must be what CAP 1.2 accepts."""
        errors: dict[str, str] = {}
        if self.area_polygon.strip():
            try:
                polygon = parse_polygon(self.area_polygon.strip())
            except CapError as error:
                errors["area_polygon"] = error.reason
            else:
                if len(polygon.points) < 4 or polygon.points[0] != polygon.points[-1]:
                    errors["area_polygon"] = str(
                        _("A polygon needs at least four points, the last equal to the first.")
                    )
        if self.area_circle.strip():
            try:
                parse_circle(self.area_circle.strip())
            except CapError as error:
                errors["area_circle"] = error.reason
        if errors:
            raise ValidationError(errors)

    @property
    def accepts_answers(self) -> bool:
        """Answers count while the alert is out, neither cancelled nor expired."""
        return self.state in {self.State.SENDING, self.State.SENT} and not self.is_expired()

    def to_cap(self) -> cap.Alert:
        """This alert as a CAP 1.2 document (a Latvian info and, when written, an English one)."""
        sent = (self.sent or self.created_at).replace(microsecond=0)
        names = [m.name_lv for m in self.municipalities.all()]
        polygons = (parse_polygon(self.area_polygon.strip()),) if self.area_polygon.strip() else ()
        circles = (parse_circle(self.area_circle.strip()),) if self.area_circle.strip() else ()
        areas: tuple[cap.Area, ...] = ()
        if names or polygons or circles:
            description = ", ".join(names) or str(_("the area drawn"))
            areas = (cap.Area(area_desc=description, polygons=polygons, circles=circles),)
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

    class Recipient(models.TextChoices):
        PERSON = "person", _("the person")
        SECOND_CONTACT = "second", _("the person's second contact")
        ENDPOINT = "system", _("a connected system (webhook)")

    # No index of its own: the (alert, person, …) and (alert, state) indexes start with it.
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Indexed only where set (webhook deliveries): most rows have no endpoint.
    endpoint = models.ForeignKey(
        "WebhookEndpoint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=20)
    recipient = models.CharField(
        _("recipient"), max_length=6, choices=Recipient.choices, default=Recipient.PERSON
    )
    step = models.PositiveSmallIntegerField(
        _("escalation step"), default=0, help_text=_("0: the first channel; 1, 2 …: escalations.")
    )
    address = models.CharField(_("address"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Unique through Meta.constraints, not ``unique=True``: on PostgreSQL that would add a second
    # (LIKE-pattern) index to each, and every index costs a 100,000-person fan-out (BENCHMARKS.md).
    idempotency_key = models.CharField(max_length=200)
    ack_token = models.CharField(max_length=40, default=new_ack_token)
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
                fields=["alert", "person", "recipient", "channel"],
                name="delivery_alert_person_recipient_channel",
            ),
            models.UniqueConstraint(fields=["idempotency_key"], name="delivery_idempotency_key"),
            models.UniqueConstraint(fields=["ack_token"], name="delivery_ack_token"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(endpoint__isnull=False),
                name="delivery_has_person_or_endpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["alert", "state"], name="delivery_alert_state_idx"),
            models.Index(
                fields=["endpoint"],
                condition=Q(endpoint__isnull=False),
                name="delivery_endpoint_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.address} ({self.channel}, {self.state})"


class Acknowledgement(models.Model):
    """A person's answer to an alert; answering again updates it."""

    class Via(models.TextChoices):
        LINK = "link", _("acknowledgement link")
        SMS = "sms", _("SMS reply")

    # No index of its own: the (alert, person) unique constraint starts with it.
    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="acknowledgements", db_index=False
    )
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


class AlertTemplate(AlertContent):
    """A reusable starting point for an alert ("Activate the network", "Stand down" …)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alert template")
        verbose_name_plural = _("alert templates")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name


class SavedList(models.Model):
    """A named list of people to alert together (e.g. "Ogre shelter wardens")."""

    name = models.CharField(_("name"), max_length=100)
    people = models.ManyToManyField(Person, verbose_name=_("people"), related_name="+")
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
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookEndpoint(models.Model):
    """A system that receives every alert sent to an audience it belongs to, as signed JSON.

    With an organisation, it receives the alerts whose audience includes that organisation's
    people; without one, every alert. Requests are signed with HMAC-SHA256 (its own secret, or
    ``NOTURIBA_WEBHOOK_SECRET``).
    """

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ChannelThrottle(models.Model):
    """The rate limit of one channel, shared by every worker: the next free sending slot."""

    channel = models.CharField(max_length=20, primary_key=True)
    next_free_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("channel throttle")
        verbose_name_plural = _("channel throttles")

    def __str__(self) -> str:
        return self.channel


class CapSubscription(models.Model):
    """An external CAP source (an Atom/RSS feed or a single CAP file) polled for alerts."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address"), max_length=500, unique=True)
    poll_every = models.DurationField(_("poll every"), default=datetime.timedelta(minutes=5))
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    etag = models.CharField(max_length=200, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
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
        verbose_name = _("CAP subscription")
        verbose_name_plural = _("CAP subscriptions")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ExternalAlert(models.Model):
    """A CAP alert received from outside (a subscription, an upload or the API), as parsed.

    The same alert (identifier, sender, sent) is stored once; Update and Cancel messages are
    linked to the alerts they reference when those are known.
    """

    class Source(models.TextChoices):
        FEED = "feed", _("subscription")
        UPLOAD = "upload", _("upload")
        API = "api", _("API")

    identifier = models.CharField(_("identifier"), max_length=500)
    sender = models.CharField(_("sender"), max_length=500)
    sent = models.DateTimeField(_("sent at"))
    status = models.CharField(_("status"), max_length=10)
    msg_type = models.CharField(_("message type"), max_length=10)
    scope = models.CharField(_("scope"), max_length=10)
    language = models.CharField(_("language"), max_length=20, blank=True)
    event = models.CharField(_("event"), max_length=500, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, blank=True)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    certainty = models.CharField(_("certainty"), max_length=10, blank=True)
    headline = models.CharField(_("headline"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    web = models.CharField(_("web link"), max_length=500, blank=True)
    area_desc = models.TextField(_("area"), blank=True)
    effective = models.DateTimeField(_("effective from"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    references_text = models.TextField(_("references"), blank=True)
    references = models.ManyToManyField(
        "self", verbose_name=_("refers to"), symmetrical=False, related_name="followups"
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    xml = models.TextField(_("CAP document"))
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    subscription = models.ForeignKey(
        CapSubscription,
        verbose_name=_("subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("external CAP alert")
        verbose_name_plural = _("external CAP alerts")
        ordering = ["-sent", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "sender", "sent"], name="external_alert_identity"
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.event or self.identifier

    def is_expired(self, now: Any = None) -> bool:
        return self.expires is not None and self.expires <= (now or timezone.now())
