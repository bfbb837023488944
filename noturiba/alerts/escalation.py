"""Escalation: a person who has not answered is tried on their next channel, then via their
second contact.

Each person's preferred channel goes first (step 0, written by the fan-out). When the latest
message to an unanswering person was handed over at least ``alert.escalate_after`` ago — or
failed for good, which does not wait — the next channel the person has an address for gets a
delivery (step 1, 2 …, recipient *person*). When the person's channels are used up, their second
contact (``Person.second_contact_email`` / ``second_contact_phone``, in the person's channel
order) gets one message (recipient *second contact*): in the person's language, it says who could
not be reached and asks them to check on that person.

The second contact's acknowledgement link (and an SMS reply from their number) records the answer
**for the person** (``Acknowledgement.person`` is the person, ``via`` link or SMS): the second
contact answers on their behalf after checking on them, and the person then counts as reached.

:func:`escalate_alert` is a task: scheduled ``escalate_after`` after the alert is sent, it writes
the due escalations in bulk, enqueues them in batches like the fan-out, and schedules itself again
while escalations remain. It stops when the alert is cancelled or expired, and is idempotent: a
person's next step is computed from the deliveries already written, and the unique constraint
(alert, person, recipient, channel) and the idempotency keys (with step and recipient) keep a
second run from writing anything twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.selectors import DEFAULT_CHANNEL_ORDER
from noturiba.alerts.tasks import enqueue_batches
from noturiba.network.models import Person

State = Delivery.State
Recipient = Delivery.Recipient
# An escalation still waiting for a message in progress is looked at again this often at most.
LONGEST_WAIT = datetime.timedelta(minutes=5)
_CHUNK = 2000  # ids per IN (…) query


@dataclass
class Outcome:
    """What one escalation run did: the deliveries written, and when to look again (or None)."""

    created: list[int] = field(default_factory=list)
    next_check: datetime.datetime | None = None


@dataclass
class _Chain:
    """The deliveries an alert has already made for one person."""

    used_channels: set[str] = field(default_factory=set)
    latest_step: int = -1
    latest_state: str = ""
    latest_sent_at: datetime.datetime | None = None
    reached_second_contact: bool = False


def channel_order(
    preferred: Sequence[str] | None, addresses: dict[str, str]
) -> list[tuple[str, str]]:
    """Every (channel, address) in the order to try: the preferred ones, then the defaults."""
    known = [kind for kind in (preferred or ()) if kind in addresses]
    order = [*known, *(kind for kind in DEFAULT_CHANNEL_ORDER if kind not in known)]
    return [(kind, addresses[kind]) for kind in order if addresses.get(kind)]


def escalation_key(alert: Alert, person_id: int, recipient: str, channel: str, step: int) -> str:
    return f"{alert.identifier}/{person_id}/{channel}/{recipient}/step{step}"


def schedule_escalation(alert: Alert) -> None:
    """Schedule the alert's first escalation run ``escalate_after`` from now (when set)."""
    if alert.escalate_after is None or not escalate_alert.get_backend().supports_defer:
        return
    run_after = timezone.now() + alert.escalate_after
    escalate_alert.using(run_after=run_after).enqueue(alert.pk, True)


@task()
def escalate_alert(alert_id: int, reschedule: bool = True) -> int:
    """Write the alert's due escalations and queue them; returns how many were written.

    With ``reschedule``, runs itself again when the next escalation becomes due.
    """
    outcome = escalate(alert_id)
    backend = escalate_alert.get_backend()
    if reschedule and outcome.next_check is not None and backend.supports_defer:
        escalate_alert.using(run_after=outcome.next_check).enqueue(alert_id, True)
    return len(outcome.created)


def escalate(alert_id: int, *, now: datetime.datetime | None = None) -> Outcome:
    """One escalation run for the alert (see the module's description)."""
    current = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or alert.escalate_after is None or not _open(alert, current):
            return Outcome()
        chains = _chains(alert)
        if not chains:
            return Outcome()
        people = _people(list(chains))
        new: list[Delivery] = []
        next_check: datetime.datetime | None = None
        delay = alert.escalate_after
        for person_id, chain in chains.items():
            person = people.get(person_id)
            following = _next_delivery(alert, person, chain, current) if person else None
            if following is None:
                continue  # nothing left to try for this person
            if chain.latest_state == State.FAILED:
                due_at = current
            elif chain.latest_state in {State.SENT, State.DELIVERED} and chain.latest_sent_at:
                due_at = chain.latest_sent_at + delay
            else:  # queued or being sent: look again later
                wait = current + min(delay, LONGEST_WAIT)
                next_check = min(next_check or wait, wait)
                continue
            if due_at <= current:
                new.append(following)
            else:
                next_check = min(next_check or due_at, due_at)
        created = _write(new)
        if created:
            # New messages for whoever is still unreached: check on them after the delay.
            later = current + delay
            next_check = min(next_check or later, later)
            Alert.objects.filter(pk=alert.pk, state=Alert.State.SENT).update(
                state=Alert.State.SENDING
            )
            transaction.on_commit(lambda: enqueue_batches(created))
    return Outcome(created=created, next_check=next_check)


def _open(alert: Alert, now: datetime.datetime) -> bool:
    return alert.state in {Alert.State.SENDING, Alert.State.SENT} and not alert.is_expired(now)


def _chains(alert: Alert) -> dict[int, _Chain]:
    """Per unanswering person: the channels used and their latest step."""
    answered = Acknowledgement.objects.filter(alert=alert).values("person_id")
    rows = (
        Delivery.objects.filter(alert=alert, person__isnull=False)
        .exclude(recipient=Recipient.ENDPOINT)
        .exclude(person_id__in=answered)
        .order_by()
        .values_list("person_id", "recipient", "channel", "step", "state", "sent_at")
    )
    chains: dict[int, _Chain] = {}
    for person_id, recipient, channel, step, state, sent_at in rows.iterator(chunk_size=_CHUNK):
        chain = chains.setdefault(person_id, _Chain())
        if recipient == Recipient.PERSON:
            chain.used_channels.add(channel)
        else:
            chain.reached_second_contact = True
        if step > chain.latest_step:
            chain.latest_step, chain.latest_state, chain.latest_sent_at = step, state, sent_at
    return chains


def write_second_contact_deliveries(
    alert: Alert, person_ids: list[int], *, created_at: datetime.datetime
) -> list[int]:
    """At fan-out: the first delivery of people with no channel of their own goes to their
    second contact (the escalation's last step, taken at once); returns the new ids.

    People with neither are left out (the compose page warned about them). Runs inside the
    caller's transaction; writing twice adds nothing (the idempotency key is unique).
    """
    people = _people(person_ids)
    deliveries = [
        delivery
        for person_id in person_ids
        if person_id in people
        and (delivery := _next_delivery(alert, people[person_id], _Chain(), created_at)) is not None
    ]
    return _write(deliveries)


def _people(ids: list[int]) -> dict[int, dict[str, Any]]:
    fields = (
        "id",
        "email",
        "phone",
        "preferred_channels",
        "second_contact_email",
        "second_contact_phone",
    )
    people: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in Person.objects.filter(pk__in=chunk).order_by().values(*fields):
            people[row["id"]] = row
    return people


def _next_delivery(
    alert: Alert, person: dict[str, Any], chain: _Chain, now: datetime.datetime
) -> Delivery | None:
    """The person's next step: their next channel, then their second contact; None when done."""
    if chain.reached_second_contact:
        return None
    preferred = person["preferred_channels"]
    preferred = preferred if isinstance(preferred, list) else None
    own = channel_order(preferred, {"email": person["email"], "sms": person["phone"]})
    remaining = [(kind, address) for kind, address in own if kind not in chain.used_channels]
    recipient: str = Recipient.PERSON
    if not remaining:
        recipient = Recipient.SECOND_CONTACT
        remaining = channel_order(
            preferred,
            {"email": person["second_contact_email"], "sms": person["second_contact_phone"]},
        )
    if not remaining:
        return None
    channel, address = remaining[0]
    step = chain.latest_step + 1
    return Delivery(
        alert=alert,
        person_id=person["id"],
        channel=channel,
        recipient=recipient,
        step=step,
        address=address,
        idempotency_key=escalation_key(alert, person["id"], recipient, channel, step),
        created_at=now,
    )


def _write(deliveries: list[Delivery]) -> list[int]:
    """Insert the escalations (ignoring any another run already wrote); returns their ids."""
    if not deliveries:
        return []
    Delivery.objects.bulk_create(deliveries, batch_size=_CHUNK, ignore_conflicts=True)
    keys = [delivery.idempotency_key for delivery in deliveries]
    ids: list[int] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        queued = Delivery.objects.filter(idempotency_key__in=chunk, state=State.QUEUED)
        ids.extend(queued.values_list("pk", flat=True))
    return sorted(ids)
