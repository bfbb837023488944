"""Sending deliveries: a task hands one batch of outbox rows to the channels.

A delivery is claimed before it is sent — *queued* → *sending* by a conditional UPDATE, under
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL — so a second worker, or the same batch run
again, never sends it twice. A permanent refusal marks it *failed*; a temporary one puts it back
to *queued* with the time of its next attempt (exponential backoff), and the batch is enqueued
again for that time when the task backend can defer.

A claim is a lease: a delivery left *sending* past :data:`CLAIM_LEASE` belongs to a worker that
died, and the next run of its batch claims it again. That one may reach the person twice; the
channels pass the idempotency key on (the Message-ID, the gateway's key) so receivers can tell.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from urllib.parse import urljoin

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from noturiba.alerts.channels.base import Attachment, DeliveryError, OutgoingMessage
from noturiba.alerts.channels.registry import get_channel
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.retry import next_attempt_delay
from noturiba.lib.cap import to_xml

logger = logging.getLogger(__name__)
State = Delivery.State
# How long a claimed delivery may stay *sending* before it counts as abandoned by its worker.
CLAIM_LEASE = datetime.timedelta(minutes=10)


@task()
def deliver_batch(delivery_ids: list[int]) -> None:
    send_deliveries(delivery_ids)


def claim(delivery_ids: list[int]) -> list[int]:
    """Claim the due deliveries among ``delivery_ids`` (queued, or abandoned by a dead worker):
    mark them *sending* under a lease and return their ids."""
    now = timezone.now()
    queued_and_due = Q(state=State.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(state=State.SENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        due = Delivery.objects.filter(queued_and_due | abandoned, pk__in=delivery_ids).exclude(
            alert__state=Alert.State.CANCELLED
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.values_list("pk", flat=True))
        Delivery.objects.filter(queued_and_due | abandoned, pk__in=claimed).update(
            state=State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE
        )
    return claimed


def send_deliveries(delivery_ids: list[int]) -> None:
    """Send the deliveries of ``delivery_ids`` that are still queued and due."""
    claimed = claim(delivery_ids)
    if not claimed:
        return
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    rows = Delivery.objects.filter(pk__in=claimed).select_related("alert", "person")
    for delivery in rows.order_by("pk"):
        by_channel[delivery.channel].append(delivery)
    cap_files: dict[int, bytes] = {}
    retry_at: datetime.datetime | None = None
    for kind, deliveries in by_channel.items():
        with get_channel(kind) as channel:
            for delivery in deliveries:
                if delivery.alert_id not in cap_files:
                    cap_files[delivery.alert_id] = to_xml(delivery.alert.to_cap())
                message = build_message(delivery, cap_files[delivery.alert_id])
                try:
                    result = channel.send(message)
                except DeliveryError as error:
                    next_attempt_at = _record_failure(delivery, error)
                    if next_attempt_at is not None:
                        retry_at = min(retry_at or next_attempt_at, next_attempt_at)
                else:
                    Delivery.objects.filter(pk=delivery.pk).update(
                        state=State.SENT,
                        next_attempt_at=None,
                        sent_at=result.accepted_at,
                        provider_id=result.provider_message_id or "",
                        last_error="",
                    )
    for alert_id in cap_files:
        _finish_alert_when_done(alert_id)
    if retry_at is not None and deliver_batch.get_backend().supports_defer:
        deliver_batch.using(run_after=retry_at).enqueue(claimed)


def _record_failure(delivery: Delivery, error: DeliveryError) -> datetime.datetime | None:
    """Mark the delivery failed or queue it again; returns the time of its next attempt."""
    if error.permanent:
        state, next_attempt_at = State.FAILED, None
    else:
        delay = next_attempt_delay(delivery.attempts + 1, retry_after=error.retry_after)
        state, next_attempt_at = State.QUEUED, timezone.now() + delay
    logger.info("Delivery %s: %s", delivery.pk, error)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state, next_attempt_at=next_attempt_at, last_error=str(error)[:2000]
    )
    return next_attempt_at


def _finish_alert_when_done(alert_id: int) -> None:
    """An alert whose deliveries all left the outbox (sent or failed) is *sent*."""
    pending = Delivery.objects.filter(alert_id=alert_id, state__in=[State.QUEUED, State.SENDING])
    if not pending.exists():
        Alert.objects.filter(pk=alert_id, state=Alert.State.SENDING).update(state=Alert.State.SENT)


def ack_url(delivery: Delivery) -> str:
    return urljoin(settings.PUBLIC_URL, reverse("alerts:ack", args=[delivery.ack_token]))


def message_language(delivery: Delivery) -> str:
    """The person's language when the platform speaks it, otherwise Latvian."""
    spoken = {code for code, _name in settings.LANGUAGES}
    if delivery.person is None:  # a webhook endpoint
        return str(settings.LANGUAGE_CODE)
    preferred = delivery.person.preferred_language
    return preferred if preferred in spoken else settings.LANGUAGE_CODE


def build_message(delivery: Delivery, cap_file: bytes) -> OutgoingMessage:
    """The alert's text in the person's language, with their acknowledgement link and CAP file."""
    alert = delivery.alert
    language = message_language(delivery)
    link = ack_url(delivery)
    headline, description, instruction = alert.text_in(language)
    with translation.override(language):
        answer_line = _("Tell us how you are (safe, need help, available to help): %(link)s") % {
            "link": link
        }
        html = None
        if delivery.channel == "sms":
            text = "\n".join(filter(None, [headline, instruction, answer_line]))
        else:
            text = "\n\n".join(filter(None, [headline, description, instruction, answer_line]))
            html = render_to_string(
                "alerts/email/alert.html",
                {
                    "language": language,
                    "headline": headline,
                    "description": description,
                    "instruction": instruction,
                    "link": link,
                    "web": alert.web,
                },
            )
    return OutgoingMessage(
        idempotency_key=delivery.idempotency_key,
        recipient=delivery.address,
        language=language,
        subject=headline,
        text=text,
        html=html,
        attachments=[Attachment(f"{alert.identifier}.cap.xml", cap_file, "application/cap+xml")],
        ack_url=link,
        metadata={"alert_id": alert.pk, "cap_identifier": alert.identifier},
    )
