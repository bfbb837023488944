"""Sending deliveries: a task hands one batch of outbox rows to the channels.

A delivery is claimed before it is sent — *queued* → *sending* by a conditional UPDATE, under
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL — so a second worker, or the same batch run
again, never sends it twice. A permanent refusal marks it *failed*; a temporary one puts it back
to *queued* with the time of its next attempt (exponential backoff), and the batch is enqueued
again for that time when the task backend can defer. Each delivery is marked *sent* right after
the channel accepted it, so a worker killed mid-batch leaves at most the one message it was
sending unrecorded.

A claim is a lease (``ALERT_DELIVERY_LEASE_SECONDS``), renewed chunk by chunk while the batch is
being sent: a delivery left *sending* past its lease belongs to a worker that died.
:func:`requeue_abandoned` (run by every ``run_worker`` in a :class:`RecoveryThread`) puts such
deliveries back in the queue; the one that was in flight may then reach the receiver twice, with
the same idempotency key (the Message-ID, the gateway's and the webhook's key).

Messages go out at each channel's rate, shared by all workers (:mod:`noturiba.alerts.throttle`):
slots are reserved a chunk at a time.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from urllib.parse import urljoin

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from noturiba.alerts import throttle
from noturiba.alerts.channels.base import (
    Attachment,
    Channel,
    DeliveryError,
    OutgoingMessage,
)
from noturiba.alerts.channels.registry import get_channel
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.retry import next_attempt_delay
from noturiba.lib.cap import to_xml

logger = logging.getLogger(__name__)
State = Delivery.State
Recipient = Delivery.Recipient
# The default lease; the one in force is claim_lease() (the ALERT_DELIVERY_LEASE_SECONDS setting).
CLAIM_LEASE = datetime.timedelta(minutes=10)
# Deliveries per task, as send_alert batches them (recovered deliveries are queued the same way).
BATCH_SIZE = 500


def claim_lease() -> datetime.timedelta:
    """How long a claimed delivery stays its worker's before counting as abandoned."""
    seconds = getattr(settings, "ALERT_DELIVERY_LEASE_SECONDS", None)
    return datetime.timedelta(seconds=seconds) if seconds else CLAIM_LEASE


def batches(ids: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


@task()
def deliver_batch(delivery_ids: list[int]) -> None:
    send_deliveries(delivery_ids)


def enqueue_batches(ids: Sequence[int]) -> None:
    """One ``deliver_batch`` task per :data:`BATCH_SIZE` deliveries."""
    for batch in batches(ids):
        deliver_batch.enqueue(batch)


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
            state=State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + claim_lease()
        )
    return claimed


def _renew_lease(delivery_ids: list[int]) -> None:
    """Keep the still unsent claimed deliveries this worker's while it works through them."""
    Delivery.objects.filter(pk__in=delivery_ids, state=State.SENDING).update(
        next_attempt_at=timezone.now() + claim_lease()
    )


def _chunks(items: Sequence[Delivery], size: int) -> Iterator[list[Delivery]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def send_deliveries(delivery_ids: list[int]) -> None:
    """Send the deliveries of ``delivery_ids`` that are still queued and due.

    Claims the batch, then works through it channel by channel in chunks: each chunk renews the
    lease of what is left, reserves its sending slots and sends, marking each delivery as it goes.
    """
    claimed = claim(delivery_ids)
    if not claimed:
        return
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    rows = Delivery.objects.filter(pk__in=claimed).select_related("alert", "person", "endpoint")
    for delivery in rows.order_by("pk"):
        by_channel[delivery.channel].append(delivery)
    remaining = set(claimed)
    cap_files: dict[int, bytes] = {}
    retry_at: datetime.datetime | None = None
    permanently_failed: set[int] = set()
    with ExitStack() as stack:
        for kind, deliveries in by_channel.items():
            channel: Channel = stack.enter_context(get_channel(kind))
            rate = channel.rate_per_second
            for chunk in _chunks(deliveries, throttle.chunk_size(rate)):
                _renew_lease(sorted(remaining))
                reservation = throttle.reserve(kind, len(chunk), rate_per_second=rate)
                for index, delivery in enumerate(chunk):
                    throttle.wait_until(reservation.slot(index))
                    if delivery.alert_id not in cap_files:
                        cap_files[delivery.alert_id] = to_xml(delivery.alert.to_cap())
                    outcome = _send_one(channel, delivery, cap_files[delivery.alert_id])
                    remaining.discard(delivery.pk)
                    if outcome is None:
                        permanently_failed.add(delivery.alert_id)
                    elif isinstance(outcome, datetime.datetime):
                        retry_at = min(retry_at or outcome, outcome)
    for alert_id in cap_files:
        _finish_alert_when_done(alert_id)
    if permanently_failed:
        _escalate_now(permanently_failed)
    if retry_at is not None and deliver_batch.get_backend().supports_defer:
        deliver_batch.using(run_after=retry_at).enqueue(claimed)


def _send_one(
    channel: Channel, delivery: Delivery, cap_file: bytes
) -> datetime.datetime | bool | None:
    """Send one delivery and record the outcome: True (sent), the next attempt's time, or None
    (failed for good)."""
    message = build_message(delivery, cap_file)
    try:
        result = channel.send(message)
    except DeliveryError as error:
        return _record_failure(delivery, error)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=State.SENT,
        next_attempt_at=None,
        sent_at=result.accepted_at,
        provider_id=result.provider_message_id or "",
        last_error="",
    )
    return True


def _escalate_now(alert_ids: set[int]) -> None:
    """A permanent failure does not wait for the escalation delay: escalate its alerts now."""
    from noturiba.alerts.escalation import escalate_alert

    escalating = Alert.objects.filter(pk__in=alert_ids, escalate_after__isnull=False)
    for alert_id in escalating.values_list("pk", flat=True):
        escalate_alert.enqueue(alert_id, False)


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


def requeue_abandoned(now: datetime.datetime | None = None) -> int:
    """Queue again the deliveries whose worker died; returns how many.

    Abandoned: *sending* past the lease (the worker was killed while holding the claim), or
    *queued* for a retry that is a whole lease overdue (killed before it enqueued the retry).
    They are put back to *queued* and enqueued in batches in the same transaction, so another
    recovery run does not queue them again. The lease being over, no live worker holds them.
    """
    current = now or timezone.now()
    lease = claim_lease()
    stale = Q(state=State.SENDING, next_attempt_at__lte=current) | Q(
        state=State.QUEUED, next_attempt_at__lte=current - lease
    )
    with transaction.atomic():
        rows = Delivery.objects.filter(stale).exclude(alert__state=Alert.State.CANCELLED)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows.order_by("pk").values_list("pk", flat=True)[: BATCH_SIZE * 20])
        if not ids:
            return 0
        Delivery.objects.filter(stale, pk__in=ids).update(state=State.QUEUED, next_attempt_at=None)
        enqueue_batches(ids)
    logger.warning("Requeued %s abandoned deliveries", len(ids))
    return len(ids)


class RecoveryThread(threading.Thread):
    """Runs :func:`requeue_abandoned` every ``interval`` seconds, on its own connection."""

    def __init__(self, interval: float | None = None) -> None:
        super().__init__(name="delivery-recovery", daemon=True)
        lease_seconds = claim_lease().total_seconds()
        self.interval = interval or max(0.5, min(60.0, lease_seconds / 2))
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                close_old_connections()
                requeue_abandoned()
            except DatabaseError:
                logger.warning("Recovery of abandoned deliveries failed; trying again later")
        connection.close()


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
    """The alert's text in the recipient's language, with the acknowledgement link and CAP file.

    A person gets the alert and their link; a second contact gets a note that the person could
    not be reached, the alert, and a link that answers *for the person*; a webhook endpoint
    (no person) gets the alert without a link, signed with the endpoint's own secret when set.
    """
    alert = delivery.alert
    language = message_language(delivery)
    link = ack_url(delivery) if delivery.person_id is not None else ""
    headline, description, instruction = alert.text_in(language)
    subject = headline
    html = None
    with translation.override(language):
        if delivery.recipient == Recipient.SECOND_CONTACT and delivery.person is not None:
            name = delivery.person.full_name
            subject = _("%(name)s could not be reached: please check on them") % {"name": name}
            intro = _(
                "We sent %(name)s an alert and have had no answer. You are their second "
                "contact: please check on them."
            ) % {"name": name}
            answer_line = _(
                "Tell us how %(name)s is (safe, needs help, available to help): %(link)s"
            ) % {"name": name, "link": link}
            if delivery.channel == "sms":
                text = "\n".join(filter(None, [intro, headline, answer_line]))
            else:
                text = "\n\n".join(
                    filter(None, [intro, headline, description, instruction, answer_line])
                )
                html = render_to_string(
                    "alerts/email/second_contact.html",
                    {
                        "language": language,
                        "subject": subject,
                        "name": name,
                        "headline": headline,
                        "description": description,
                        "instruction": instruction,
                        "link": link,
                        "web": alert.web,
                    },
                )
        elif delivery.person_id is None:  # a webhook endpoint: the alert, no answer link
            text = "\n\n".join(filter(None, [headline, description, instruction]))
        else:
            answer_line = _(
                "Tell us how you are (safe, need help, available to help): %(link)s"
            ) % {"link": link}
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
    endpoint = delivery.endpoint if delivery.endpoint_id is not None else None
    return OutgoingMessage(
        idempotency_key=delivery.idempotency_key,
        recipient=delivery.address,
        language=language,
        subject=subject,
        text=text,
        html=html,
        attachments=[Attachment(f"{alert.identifier}.cap.xml", cap_file, "application/cap+xml")],
        ack_url=link,
        metadata={
            "alert_id": alert.pk,
            "cap_identifier": alert.identifier,
            "recipient": delivery.recipient,
            "step": delivery.step,
        },
        signing_secret=endpoint.secret if endpoint is not None else "",
    )
