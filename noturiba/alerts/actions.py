"""Writes for alerts: writing and sending an alert (the fan-out into the outbox), answers."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from email.utils import parseaddr
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.alerts.channels.sms import ReportState
from noturiba.alerts.escalation import schedule_escalation, write_second_contact_deliveries
from noturiba.alerts.models import CONTENT_FIELDS, Acknowledgement, Alert, Delivery, SavedList
from noturiba.alerts.outbox import write_deliveries
from noturiba.alerts.replies import Answer
from noturiba.alerts.selectors import (
    AudienceFilters,
    PlannedDelivery,
    alert_filters,
    audience_for,
    planned_deliveries,
)
from noturiba.alerts.tasks import deliver_batch
from noturiba.alerts.webhooks import write_endpoint_deliveries
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.lib.cap import CapError, to_xml
from noturiba.network.models import Municipality

# Deliveries one task hands to the channels: 100,000 people make 200 queued tasks, not 100,000.
BATCH_SIZE = 500


class AlertClosed(ValidationError):
    """The alert is cancelled or expired: answers are no longer recorded."""


def default_sender() -> str:
    """CAP's sender: the platform's own address, without a display name."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noturiba@localhost"


def batches(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


ALERT_FIELDS = (
    "status",
    "references",
    "scope",
    *CONTENT_FIELDS,
    "web",
    "effective",
    "expires",
    "area_polygon",
    "area_circle",
    "escalate_after",
)


@transaction.atomic
def create_alert(
    actor: policy.Actor,
    *,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] = (),
    audience: AudienceFilters | None = None,
) -> Alert:
    """Save a draft alert with its area and audience, checked as the CAP 1.2 document it makes.

    Officers write only for their jurisdiction (area and audience municipalities).
    """
    area = list(municipalities)
    filters = audience or AudienceFilters()
    if not policy.can_write_alerts(actor) or not policy.can_send_alert(
        actor, {m.pk for m in area} | filters.municipalities
    ):
        raise PermissionDenied(_("You may not send an alert to this area."))
    _check_audience_and_reference(actor, filters, data.get("references"))
    alert = Alert(**{key: data[key] for key in ALERT_FIELDS if key in data})
    alert.sender = default_sender()
    alert.audience = filters.to_json()
    alert.created_by = actor if getattr(actor, "is_authenticated", False) else None
    alert.full_clean()
    alert.save()
    alert.municipalities.set(area)
    try:
        to_xml(alert.to_cap())
    except CapError as error:
        raise ValidationError(error.reason, code=str(error.code)) from error
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=alert,
        changes={
            "headline": [None, alert.headline],
            "status": [None, alert.status],
            "msg_type": [None, alert.msg_type],
            "area": [None, sorted(m.code for m in area)],
            "audience": [None, alert.audience],
        },
    )
    return alert


def _check_audience_and_reference(
    actor: policy.Actor, filters: AudienceFilters, references: Alert | None
) -> None:
    """Saved lists must be the actor's to use; an Update or Cancel refers to an alert the actor
    may view (the compose page offers only alerts already sent)."""
    for saved in SavedList.objects.filter(pk__in=filters.lists).only("pk", "created_by_id"):
        if not policy.can_use_saved_list(actor, created_by_id=saved.created_by_id):
            raise PermissionDenied(_("You may not use this saved list."))
    if len(filters.lists) != SavedList.objects.filter(pk__in=filters.lists).count():
        raise ValidationError({"lists": _("A saved list no longer exists.")})
    if references is None:
        return
    area = references.municipalities.values_list("id", flat=True)
    if not policy.can_view_alert(
        actor, created_by_id=references.created_by_id, municipalities=area
    ):
        raise ValidationError({"references": _("Choose an alert you may see.")})


@transaction.atomic
def update_alert(
    actor: policy.Actor,
    *,
    alert: Alert,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] = (),
    audience: AudienceFilters | None = None,
) -> Alert:
    """Change a draft (its fields, area and audience), with the same checks as ``create_alert``.

    Only drafts change; what changed is audited.
    """
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state != Alert.State.DRAFT:
        raise ValidationError(_("Only a draft can be changed."), code="not_draft")
    old_area = set(locked.municipalities.values_list("id", flat=True))
    if not policy.can_view_alert(
        actor, created_by_id=locked.created_by_id, municipalities=old_area
    ):
        raise PermissionDenied(_("You may not change this alert."))
    area = list(municipalities)
    filters = audience or AudienceFilters()
    if not policy.can_write_alerts(actor) or not policy.can_send_alert(
        actor, {m.pk for m in area} | filters.municipalities
    ):
        raise PermissionDenied(_("You may not send an alert to this area."))
    _check_audience_and_reference(actor, filters, data.get("references"))
    changes: dict[str, list[Any]] = {}
    for key in ALERT_FIELDS:
        if key in data and getattr(locked, key) != data[key]:
            before = getattr(locked, key)
            changes[key] = [_audit_value(before), _audit_value(data[key])]
            setattr(locked, key, data[key])
    if filters.to_json() != AudienceFilters.from_json(locked.audience or {}).to_json():
        changes["audience"] = [locked.audience, filters.to_json()]
        locked.audience = filters.to_json()
    new_area = {m.pk for m in area}
    if new_area != old_area:
        codes = dict(
            Municipality.objects.filter(pk__in=old_area | new_area).values_list("pk", "code")
        )
        changes["area"] = [
            sorted(codes[pk] for pk in old_area),
            sorted(codes[pk] for pk in new_area),
        ]
    locked.full_clean()
    locked.save()
    locked.municipalities.set(area)
    try:
        to_xml(locked.to_cap())
    except CapError as error:
        raise ValidationError(error.reason, code=str(error.code)) from error
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=locked, changes=changes)
    return locked


def _audit_value(value: Any) -> Any:
    """A field's value as the audit log keeps it (JSON): ids, ISO dates, seconds, text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


@transaction.atomic
def send_alert(actor: policy.Actor, *, alert: Alert) -> int:
    """Save one delivery per person of the audience and queue them in batches; returns the count.

    The deliveries are written in the same transaction that marks the alert *sending*; the
    tasks are enqueued only once it commits, so a worker never looks for rows not yet there.
    With two-person approval on, an Actual alert waits for another sender's approval instead
    (no deliveries yet, returns 0): ``approve_alert`` then fans it out.
    """
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state != Alert.State.DRAFT:
        raise ValidationError(_("This alert has already been sent."), code="not_draft")
    filters = alert_filters(locked)
    area = set(locked.municipalities.values_list("id", flat=True))
    if not policy.can_send_alert(actor, area | filters.municipalities):
        raise PermissionDenied(_("You may not send an alert to this area."))
    if settings.ALERT_TWO_PERSON_APPROVAL and locked.status == "Actual":
        locked.state = Alert.State.AWAITING_APPROVAL
        locked.save(update_fields=["state"])
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            changes={"state": [Alert.State.DRAFT, locked.state]},
        )
        alert.state = locked.state
        return 0
    return _fan_out(actor, locked=locked, alert=alert, filters=filters)


@transaction.atomic
def approve_alert(actor: policy.Actor, *, alert: Alert) -> int:
    """The second person's approval of an alert awaiting it: recorded, then the fan-out.

    The author may not approve their own alert. Returns the deliveries written.
    """
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state != Alert.State.AWAITING_APPROVAL:
        raise ValidationError(_("This alert is not waiting for approval."), code="not_awaiting")
    filters = alert_filters(locked)
    area = set(locked.municipalities.values_list("id", flat=True))
    if locked.created_by_id is not None and locked.created_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Another person must approve your alert."))
    if not policy.can_approve_alert(
        actor, created_by_id=locked.created_by_id, municipalities=area | filters.municipalities
    ):
        raise PermissionDenied(_("You may not approve this alert."))
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save(update_fields=["approved_by", "approved_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"approved_by": [None, getattr(actor, "email", "")]},
    )
    alert.approved_by, alert.approved_at = locked.approved_by, locked.approved_at
    return _fan_out(actor, locked=locked, alert=alert, filters=filters)


def _fan_out(actor: policy.Actor, *, locked: Alert, alert: Alert, filters: AudienceFilters) -> int:
    """Write the deliveries of ``locked`` (held FOR UPDATE) and queue them once committed."""
    before = locked.state
    now = timezone.now().replace(microsecond=0)
    unreachable: list[int] = []
    planned = _reachable(planned_deliveries(audience_for(filters)), unreachable)
    ids = write_deliveries(locked, planned, created_at=now)
    ids += write_second_contact_deliveries(locked, unreachable, created_at=now)
    ids += write_endpoint_deliveries(locked, audience_for(filters), created_at=now, known=ids)
    locked.sender = locked.sender or default_sender()
    locked.sent = now
    locked.state = Alert.State.SENDING if ids else Alert.State.SENT
    locked.save(update_fields=["sender", "sent", "state"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"state": [before, locked.state], "deliveries": [0, len(ids)]},
    )
    transaction.on_commit(lambda: _enqueue(batches(ids, BATCH_SIZE)))
    transaction.on_commit(lambda: schedule_escalation(locked))
    alert.state, alert.sent, alert.sender = locked.state, locked.sent, locked.sender
    return len(ids)


def _reachable(
    planned: Iterable[PlannedDelivery | int], unreachable: list[int]
) -> Iterator[PlannedDelivery]:
    """The planned deliveries; the ids of people with no channel of their own go to
    ``unreachable`` as they pass."""
    for item in planned:
        if isinstance(item, PlannedDelivery):
            yield item
        else:
            unreachable.append(item)


@transaction.atomic
def cancel_alert(actor: policy.Actor, *, alert: Alert) -> int:
    """Cancel an alert: deliveries not yet handed over are stopped, answers no longer recorded.

    Returns how many queued deliveries were stopped (they are marked failed, with the reason).
    """
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.state == Alert.State.CANCELLED:
        raise ValidationError(_("This alert is already cancelled."), code="cancelled")
    area = set(locked.municipalities.values_list("id", flat=True))
    if not policy.can_write_alerts(actor) or not policy.can_send_alert(
        actor, area | alert_filters(locked).municipalities
    ):
        raise PermissionDenied(_("You may not send an alert to this area."))
    stopped = Delivery.objects.filter(alert=locked, state=Delivery.State.QUEUED).update(
        state=Delivery.State.FAILED,
        next_attempt_at=None,
        last_error=_("The alert was cancelled before this message was sent."),
    )
    before = locked.state
    locked.state = Alert.State.CANCELLED
    locked.save(update_fields=["state"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"state": [before, locked.state], "stopped_deliveries": [0, stopped]},
    )
    alert.state = locked.state
    return stopped


def _enqueue(id_batches: list[list[int]]) -> None:
    # One transaction for all the tasks (200 for 100,000 people): one commit, not one each.
    with transaction.atomic():
        for ids in id_batches:
            deliver_batch.enqueue(ids)


@transaction.atomic
def acknowledge_alert(
    actor: policy.Actor, *, delivery: Delivery, answer: Answer, note: str = ""
) -> Acknowledgement:
    """Record the answer of the person a delivery went to; a second answer updates the first.

    ``actor`` is whoever holds the delivery's link (usually not signed in): the token is the
    permission. Raises :class:`AlertClosed` when the alert is cancelled or expired.
    """
    if not delivery.alert.accepts_answers:
        raise AlertClosed(_("This alert is closed; answers are no longer recorded."))
    return _record_answer(delivery, answer, note, Acknowledgement.Via.LINK)


_ANSWER_COLUMNS = ("alert", "person", "answer", "note", "answered_at", "via", "delivery")


def acknowledge_by_token(
    actor: policy.Actor, *, token: str, answer: Answer, note: str = ""
) -> int | None:
    """Record the answer for the delivery with acknowledgement ``token``, in one statement.

    Returns the answer's id, or None when no delivery to a person has that token or its alert
    no longer takes answers (the caller tells which apart, off the busy path). The token is the
    permission: ``actor`` is whoever holds the link.

    ``INSERT … SELECT … ON CONFLICT (alert, person) DO UPDATE … RETURNING id`` finds the delivery,
    checks its alert is out and unexpired, and saves or replaces the answer in one statement —
    the floor BENCHMARKS.md measures against is one committed insert per request, and SQLite
    serialises writers, so nothing else runs while the write lock is held.
    """
    return _save_answer(token=token, answer=answer, note=note, via=Acknowledgement.Via.LINK)


def _save_answer(*, token: str, answer: Answer, note: str, via: str) -> int | None:
    """The one statement every answer is saved with (link or SMS); the answer's id or None."""
    now = timezone.now()
    answered_at = Acknowledgement._meta.get_field("answered_at").get_db_prep_save(now, connection)
    expires = Alert._meta.get_field("expires").get_db_prep_save(now, connection)
    params = [
        str(answer),
        note.strip(),
        answered_at,
        str(via),
        token,
        Alert.State.SENDING.value,
        Alert.State.SENT.value,
        expires,
    ]
    with transaction.atomic(), _statement_cursor() as cursor:
        cursor.execute(_answer_by_token_sql(connection.vendor), params)
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _statement_cursor() -> CursorWrapper:
    """A cursor for the answer's statement that is planned once per connection, not per answer.

    SQLite keeps its own cache of prepared statements. Django's PostgreSQL cursors bind
    parameters on the client and never prepare, so the server plans every statement anew — for
    this join a third of a millisecond, as long as the insert itself. This psycopg cursor binds
    on the server and prepares the statement (once per connection; psycopg keeps the prepared
    statements of a connection); Django's wrapper keeps query logging and query counts.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = _PreparingCursor(connection.connection)
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(raw, connection)


class _PreparingCursor(psycopg.Cursor[Any]):
    """A server-binding psycopg cursor that prepares what it executes."""

    def execute(  # type: ignore[override]
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> _PreparingCursor:
        super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
        return self


@functools.cache
def _answer_by_token_sql(vendor: str) -> str:
    """The statement of :func:`acknowledge_by_token` (built once per database vendor)."""
    quote = connection.ops.quote_name
    ack = Acknowledgement._meta
    by_name = {field.name: field for field in ack.concrete_fields}
    columns = [quote(str(by_name[name].column)) for name in _ANSWER_COLUMNS]
    changed = ", ".join(f"{column} = excluded.{column}" for column in columns[2:])
    delivery, alert = quote(Delivery._meta.db_table), quote(Alert._meta.db_table)
    return (
        f"INSERT INTO {quote(ack.db_table)} ({', '.join(columns)}) "
        f"SELECT d.{quote('alert_id')}, d.{quote('person_id')}, %s, %s, %s, %s, d.{quote('id')} "
        f"FROM {delivery} d JOIN {alert} a ON a.{quote('id')} = d.{quote('alert_id')} "
        f"WHERE d.{quote('ack_token')} = %s AND d.{quote('person_id')} IS NOT NULL "
        f"AND a.{quote('state')} IN (%s, %s) "
        f"AND (a.{quote('expires')} IS NULL OR a.{quote('expires')} > %s) "
        f"ON CONFLICT ({columns[0]}, {columns[1]}) DO UPDATE SET {changed} "
        f"RETURNING {quote(str(ack.pk.column))}"
    )


@transaction.atomic
def acknowledge_by_sms(
    actor: policy.Actor, *, sender: str, answer: Answer
) -> Acknowledgement | None:
    """An SMS reply answers the latest open alert sent to the person with that phone number.

    ``sender`` is E.164 (``replies.parse_inbound_sms``); ``actor`` is the gateway's callback
    (None). Returns None when no open alert went to that number: the reply is then nobody's.
    """
    now = timezone.now()
    delivery = (
        Delivery.objects.filter(Q(channel="sms", address=sender) | Q(person__phone=sender))
        .filter(alert__state__in=[Alert.State.SENDING, Alert.State.SENT])
        .exclude(alert__expires__lte=now)
        .select_related("alert")
        .order_by("-alert__sent", "-pk")
        .first()
    )
    if delivery is None:
        return None
    return _record_answer(delivery, answer, "", Acknowledgement.Via.SMS)


def _record_answer(
    delivery: Delivery, answer: Answer, note: str, via: Acknowledgement.Via
) -> Acknowledgement:
    if delivery.person_id is None:
        raise ValueError("A delivery to a connected system has no person to answer for.")
    answer_id = _save_answer(token=delivery.ack_token, answer=answer, note=note, via=via)
    if answer_id is None:  # the alert closed since the caller looked
        raise AlertClosed(_("This alert is closed; answers are no longer recorded."))
    return Acknowledgement.objects.get(pk=answer_id)


@transaction.atomic
def record_delivery_report(
    actor: policy.Actor, *, provider_id: str, report: ReportState, detail: str = ""
) -> int:
    """Apply the SMS gateway's delivery report to the delivery with that provider message id.

    *delivered* and *failed* are final; a pending report changes nothing. A report never moves a
    delivery back (a late "failed" after "delivered" is ignored). Returns the rows changed.
    """
    if report == ReportState.PENDING or not provider_id:
        return 0
    matching = Delivery.objects.filter(
        provider_id=provider_id, state__in=[Delivery.State.SENDING, Delivery.State.SENT]
    )
    if report == ReportState.DELIVERED:
        return matching.update(state=Delivery.State.DELIVERED)
    return matching.update(
        state=Delivery.State.FAILED,
        last_error=_("The gateway reported the message undelivered.")
        + (f" ({detail[:500]})" if detail else ""),
    )


# --- Saved lists ---------------------------------------------------------------------------


@transaction.atomic
def create_saved_list(
    actor: policy.Actor, *, name: str, audience: AudienceFilters | None = None
) -> SavedList:
    """A named list of the people of ``audience`` (none: an empty list), the actor's own.

    Officers save only audiences within their jurisdiction, as they alert.
    """
    name = name.strip()
    if not policy.can_write_alerts(actor):
        raise PermissionDenied(_("You may not keep saved lists."))
    if not name:
        raise ValidationError({"name": _("Give the list a name.")})
    if audience is not None:
        if not policy.can_send_alert(actor, audience.municipalities) and not (
            audience.lists and not audience.has_criteria
        ):
            raise PermissionDenied(_("You may not send an alert to this area."))
        _check_audience_and_reference(actor, audience, None)
    saved = SavedList.objects.create(name=name[:100], created_by=actor)
    people = list(audience_for(audience).values_list("pk", flat=True)) if audience else []
    saved.people.set(people)
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=saved,
        changes={"name": [None, saved.name], "people": [0, len(people)]},
    )
    return saved


@transaction.atomic
def remove_from_saved_list(actor: policy.Actor, *, saved_list: SavedList, person_id: int) -> None:
    """Take one person off a saved list (the list's author or a coordinator)."""
    if not policy.can_use_saved_list(actor, created_by_id=saved_list.created_by_id):
        raise PermissionDenied(_("You may not change this saved list."))
    saved_list.people.remove(person_id)
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=saved_list,
        changes={"removed_person": [person_id, None]},
    )


@transaction.atomic
def delete_saved_list(actor: policy.Actor, *, saved_list: SavedList) -> None:
    """Delete a saved list; alerts that used it keep their deliveries."""
    if not policy.can_use_saved_list(actor, created_by_id=saved_list.created_by_id):
        raise PermissionDenied(_("You may not delete this saved list."))
    record_audit(
        actor,
        action=AuditEntry.Action.DELETE,
        instance=saved_list,
        changes={"name": [saved_list.name, None]},
    )
    saved_list.delete()
