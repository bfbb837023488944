"""CAP subscriptions on the task queue: the poll task and the scheduler that enqueues it.

Every worker (``noturiba run_worker``) runs a :class:`PollScheduler` thread that looks for due
subscriptions every :data:`SCHEDULE_INTERVAL_SECONDS`: active, and never polled or last polled
at least their interval ago (and at least ``CAP_POLL_MINIMUM_SECONDS`` ago). A subscription is
claimed by an atomic UPDATE of ``last_polled_at`` from the value read, so with several workers
only one enqueues its poll.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from noturiba.accounts import policy
from noturiba.alerts import cap_polling
from noturiba.alerts.models import CapSubscription
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry

logger = logging.getLogger(__name__)

SCHEDULE_INTERVAL_SECONDS = 15


@task()
def poll_subscription(subscription_id: int) -> None:
    subscription = CapSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return  # deleted since it was enqueued
    report = cap_polling.poll(subscription)
    logger.info(
        "CAP subscription %s polled: %s new, %s known, %s errors%s",
        subscription_id,
        report.imported,
        report.known,
        len(report.errors),
        " (not modified)" if report.not_modified else "",
    )


def due_subscriptions(now: datetime.datetime) -> list[tuple[int, datetime.datetime | None]]:
    """(id, last_polled_at) of the active subscriptions due at ``now``."""
    minimum = datetime.timedelta(seconds=settings.CAP_POLL_MINIMUM_SECONDS)
    next_poll = ExpressionWrapper(
        F("last_polled_at") + F("poll_every"), output_field=DateTimeField()
    )
    rows = (
        CapSubscription.objects.filter(is_active=True)
        .annotate(next_poll=next_poll)
        .filter(
            Q(last_polled_at__isnull=True)
            | (Q(next_poll__lte=now) & Q(last_polled_at__lte=now - minimum))
        )
        .values_list("pk", "last_polled_at")
    )
    return list(rows)


def enqueue_due_polls(now: datetime.datetime | None = None) -> list[int]:
    """Claim the due subscriptions and enqueue a poll of each; returns the ids enqueued."""
    now = now or timezone.now()
    enqueued = []
    for pk, last_polled_at in due_subscriptions(now):
        if claim_poll(pk, last_polled_at, now):
            poll_subscription.enqueue(pk)
            enqueued.append(pk)
    return enqueued


def claim_poll(pk: int, last_polled_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    """Set ``last_polled_at`` to ``now`` if it is still the value read: only one claim wins."""
    if last_polled_at is None:
        claimed = CapSubscription.objects.filter(pk=pk, last_polled_at__isnull=True)
    else:
        claimed = CapSubscription.objects.filter(pk=pk, last_polled_at=last_polled_at)
    return bool(claimed.update(last_polled_at=now))


class PollScheduler(threading.Thread):
    """Enqueues due subscription polls until stopped, on its own database connection."""

    def __init__(self, interval: float = SCHEDULE_INTERVAL_SECONDS) -> None:
        super().__init__(name="cap-poll-scheduler", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                enqueue_due_polls()
            except DatabaseError:
                logger.warning("CAP poll scheduling failed; trying again", exc_info=True)
            self.stopped.wait(self.interval)
        connection.close()


# --- Managing subscriptions (coordinators) -------------------------------------------------


def _check_manager(actor: policy.Actor) -> None:
    if not policy.can_manage_cap_subscriptions(actor):
        raise PermissionDenied(_("You may not manage CAP subscriptions."))


def minimum_poll_interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CAP_POLL_MINIMUM_SECONDS)


@transaction.atomic
def add_subscription(
    actor: policy.Actor, *, name: str, url: str, poll_every: datetime.timedelta
) -> CapSubscription:
    """Subscribe to a CAP feed or file; it is polled from the next scheduler round on."""
    _check_manager(actor)
    subscription = CapSubscription(
        name=name.strip(), url=url.strip(), poll_every=poll_every, created_by=actor
    )
    errors: dict[str, list[str]] = {}
    if not cap_polling.is_http(subscription.url):
        errors["url"] = [_("Only http and https addresses can be polled.")]
    if poll_every < minimum_poll_interval():
        errors["poll_every"] = [
            _("Poll at most every %(seconds)s seconds.")
            % {"seconds": settings.CAP_POLL_MINIMUM_SECONDS}
        ]
    if errors:
        raise ValidationError(errors)
    subscription.full_clean()
    subscription.save()
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=subscription,
        changes={
            "name": [None, subscription.name],
            "url": [None, subscription.url],
            "poll_every": [None, str(poll_every)],
        },
    )
    return subscription


@transaction.atomic
def set_subscription_active(
    actor: policy.Actor, *, subscription: CapSubscription, active: bool
) -> None:
    """Pause (``active`` False) or resume polling."""
    _check_manager(actor)
    before = subscription.is_active
    CapSubscription.objects.filter(pk=subscription.pk).update(is_active=active)
    subscription.is_active = active
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=subscription,
        changes={"is_active": [before, active]},
    )


@transaction.atomic
def delete_subscription(actor: policy.Actor, *, subscription: CapSubscription) -> None:
    """Stop polling and forget the subscription; the alerts it brought stay."""
    _check_manager(actor)
    record_audit(
        actor,
        action=AuditEntry.Action.DELETE,
        instance=subscription,
        changes={"url": [subscription.url, None]},
    )
    subscription.delete()


def request_poll(actor: policy.Actor, *, subscription: CapSubscription) -> None:
    """Poll now ("poll now" button): the poll is enqueued once this transaction commits."""
    _check_manager(actor)
    pk = subscription.pk
    transaction.on_commit(lambda: poll_subscription.enqueue(pk))
