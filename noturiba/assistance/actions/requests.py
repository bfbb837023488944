"""Posting and managing assistance requests: post, change, close, cancel.

Coordinators and institution officers post (officers in their jurisdiction,
``policy.can_post_request_in``); coordinators, the author and the officers of the request's
municipality manage it (``policy.can_manage_request``). The rules of a request's facts
(coordinates in pairs and within Latvia, a time window in order, at least one line with a
positive quantity, a related alert the poster may see) live here, so the pages and the API
refuse the same. Every write leaves an audit entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.alerts.selectors import visible_alerts
from noturiba.assistance.models import AssistanceRequest, Claim, Offer, RequestLine
from noturiba.audit.actions import diff, record_audit, snapshot
from noturiba.audit.models import AuditEntry
from noturiba.network.models import CapabilityType, Unit
from noturiba.network.validators import clean_phone

# The facts of a request its poster sets (lines apart).
REQUEST_FIELDS = (
    "title",
    "description",
    "municipality",
    "address",
    "latitude",
    "longitude",
    "urgency",
    "starts_at",
    "ends_at",
    "deadline",
    "contact_name",
    "contact_phone",
    "contact_email",
    "alert",
    "offered_to_network",
    "offers_need_approval",
)
_TEXT_FIELDS = frozenset(
    {"description", "address", "contact_phone", "contact_email", "title", "contact_name"}
)
# Latvia's bounding box, roughly (with a margin for the coast and the borders).
LATITUDE_RANGE = (Decimal("55.6"), Decimal("58.1"))
LONGITUDE_RANGE = (Decimal("20.9"), Decimal("28.3"))
MAX_REASON = 500
MAX_LINES = 50
MAX_QUANTITY = Decimal("9999999999.99")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_facts(
    actor: policy.Actor, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    """Collect by field the facts that do not fit together."""
    for name in ("title", "contact_name"):
        if name in data and not (data.get(name) or "").strip():
            _add(errors, name, _("This field is required."))
    if "deadline" in data and data.get("deadline") is None:
        _add(errors, "deadline", _("This field is required."))
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        _add(
            errors,
            "longitude" if latitude is not None else "latitude",
            _("Give both the latitude and the longitude, or neither."),
        )
    elif latitude is not None and longitude is not None:
        if not LATITUDE_RANGE[0] <= Decimal(latitude) <= LATITUDE_RANGE[1]:
            _add(
                errors,
                "latitude",
                _("The place must be in Latvia: latitude between 55.6 and 58.1."),
            )
        if not LONGITUDE_RANGE[0] <= Decimal(longitude) <= LONGITUDE_RANGE[1]:
            _add(
                errors,
                "longitude",
                _("The place must be in Latvia: longitude between 20.9 and 28.3."),
            )
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is not None and ends is not None and ends < starts:
        _add(errors, "ends_at", _("The help cannot be needed until before it is needed from."))
    urgency = data.get("urgency")
    if urgency is not None and urgency not in AssistanceRequest.UrgencyChoice.values:
        _add(errors, "urgency", _("Choose an urgency of the list."))
    phone = data.get("contact_phone")
    if phone:
        try:
            clean_phone(phone)
        except ValidationError as error:
            errors.setdefault("contact_phone", []).extend(error.messages)
    email = data.get("contact_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "contact_email", _("Enter a valid email address."))
    municipality = data.get("municipality")
    if "municipality" in data:
        if municipality is None:
            _add(errors, "municipality", _("This field is required."))
        elif not policy.can_post_request_in(actor, municipality.pk):
            _add(errors, "municipality", _("You may not post requests in this municipality."))
    alert = data.get("alert")
    if alert is not None and not visible_alerts(actor).filter(pk=alert.pk).exists():
        _add(errors, "alert", _("Choose an alert you can see."))


def _clean_line(line: Mapping[str, Any], index: int, errors: dict[str, list[str]]) -> None:
    capability = line.get("capability")
    prefix = f"lines.{index}"
    if not isinstance(capability, CapabilityType):
        _add(errors, f"{prefix}.capability", _("Choose a capability of the catalogue."))
    quantity = line.get("quantity")
    if quantity is None or Decimal(quantity) <= 0:
        _add(errors, f"{prefix}.quantity", _("The quantity must be more than zero."))
    elif Decimal(quantity) > MAX_QUANTITY:
        _add(errors, f"{prefix}.quantity", _("The quantity is too large."))
    unit = line.get("unit") or ""
    if unit and unit not in Unit.values:
        _add(errors, f"{prefix}.unit", _("Choose a unit of the list."))
    if len(line.get("notes") or "") > 500:
        _add(errors, f"{prefix}.notes", _("At most 500 characters, please."))


def _check_lines(
    lines: Sequence[Mapping[str, Any]], errors: dict[str, list[str]], *, existing: int = 0
) -> None:
    if existing + len(lines) == 0:
        _add(errors, "lines", _("Add at least one line: what is needed, and how much."))
    if existing + len(lines) > MAX_LINES:
        _add(errors, "lines", _("At most %(limit)d lines, please.") % {"limit": MAX_LINES})
    for index, line in enumerate(lines):
        _clean_line(line, index, errors)


def _apply(request: AssistanceRequest, data: Mapping[str, Any]) -> None:
    for name in REQUEST_FIELDS:
        if name in data:
            value = data[name]
            if name in _TEXT_FIELDS:
                value = (value or "").strip()
            if name == "contact_phone" and value:
                value = clean_phone(value)
            setattr(request, name, value)


def _new_line(request: AssistanceRequest, line: Mapping[str, Any], position: int) -> RequestLine:
    capability: CapabilityType = line["capability"]
    return RequestLine(
        request=request,
        capability=capability,
        quantity=Decimal(line["quantity"]),
        unit=line.get("unit") or capability.unit,
        notes=(line.get("notes") or "").strip(),
        position=position,
    )


def _facts(request: AssistanceRequest) -> dict[str, Any]:
    values = snapshot(request, (*REQUEST_FIELDS, "state", "institution"))
    for name in ("starts_at", "ends_at", "deadline"):
        moment = getattr(request, name)
        values[name] = moment.astimezone(datetime.UTC).isoformat() if moment else None
    return values


def _line_facts(lines: Sequence[RequestLine]) -> list[str]:
    return [
        f"{line.capability.code} {line.quantity} {line.unit}"
        + (f" ({line.notes})" if line.notes else "")
        for line in lines
    ]


@transaction.atomic
def post_request(
    actor: policy.Actor, *, data: Mapping[str, Any], lines: Sequence[Mapping[str, Any]]
) -> AssistanceRequest:
    """A new open request with its lines. ``lines`` are mappings of ``capability`` (a
    ``CapabilityType``), ``quantity``, optional ``unit`` (default: the capability's) and
    ``notes``. An officer's request carries their institution."""
    if not policy.can_post_request(actor):
        raise PermissionDenied(_("You may not post assistance requests."))
    errors: dict[str, list[str]] = {}
    full = {name: data.get(name) for name in REQUEST_FIELDS}
    full.setdefault("offered_to_network", True)
    if full["offered_to_network"] is None:
        full["offered_to_network"] = True
    if full["offers_need_approval"] is None:
        full["offers_need_approval"] = False
    if not full.get("urgency"):
        full["urgency"] = AssistanceRequest.UrgencyChoice.IMMEDIATE
    _check_facts(actor, full, errors)
    _check_lines(lines, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = AssistanceRequest(
        created_by=actor,
        institution_id=policy.roles_of(actor).institution_id,
        created_at=now,
        updated_at=now,
    )
    _apply(request, full)
    request.save()
    created = RequestLine.objects.bulk_create(
        [_new_line(request, line, position) for position, line in enumerate(lines)]
    )
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=request,
        changes={**diff({}, _facts(request)), "lines": [None, _line_facts(created)]},
    )
    return request


def _lock(request: AssistanceRequest) -> AssistanceRequest:
    return AssistanceRequest.objects.select_for_update().get(pk=request.pk)


def _check_may_manage(actor: policy.Actor, request: AssistanceRequest) -> None:
    if not policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    ):
        raise PermissionDenied(_("You may not change this request."))


def _check_open(request: AssistanceRequest) -> None:
    if request.state != AssistanceRequest.State.OPEN:
        raise ValidationError(
            _("This request is %(state)s: it can no longer be changed.")
            % {"state": request.get_state_display()},
            code="not_open",
        )


@transaction.atomic
def update_request(
    actor: policy.Actor,
    *,
    request: AssistanceRequest,
    data: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]] = (),
) -> AssistanceRequest:
    """Change an open request. ``lines`` with an ``id`` change that line (quantity, notes; its
    capability and unit only while nothing of it is claimed; the quantity never below what is
    already claimed) or, with ``remove``, remove it while no organisation has offered for or
    claimed any of it (its invitations go with it); lines without an ``id`` are added. Lines
    not mentioned stay; at least one line must remain."""
    locked = _lock(request)
    _check_may_manage(actor, locked)
    _check_open(locked)
    errors: dict[str, list[str]] = {}
    changed = {name: value for name, value in data.items() if name in REQUEST_FIELDS}
    # Keeping the place or the alert is always allowed; only a new one is checked.
    for name in ("municipality", "alert"):
        if name in changed and getattr(changed[name], "pk", None) == getattr(locked, f"{name}_id"):
            changed.pop(name)
    merged = {
        name: getattr(locked, name)
        for name in REQUEST_FIELDS
        if name not in {"municipality", "alert"}
    }
    _check_facts(actor, {**merged, **changed}, errors)
    existing = {
        line.pk: line
        for line in RequestLine.objects.select_for_update()
        .filter(request=locked)
        .select_related("capability")
    }
    new_lines = [line for line in lines if not line.get("id")]
    _check_lines(new_lines, errors, existing=len(existing))
    changes_to_lines: list[tuple[RequestLine, Mapping[str, Any]]] = []
    removed: list[RequestLine] = []
    engaged = _engaged_lines(existing)
    for index, line in enumerate(lines):
        if not line.get("id"):
            continue
        prefix = f"lines.{index}"
        current = existing.get(int(line["id"]))
        if current is None:
            _add(errors, f"{prefix}.id", _("This line is not part of the request."))
            continue
        if line.get("remove"):
            if current.pk in engaged or current.claimed > 0:
                _add(
                    errors,
                    f"{prefix}.remove",
                    _(
                        "Organisations have offered for or claimed this line: it cannot be "
                        "removed. Lower its quantity to what is claimed instead."
                    ),
                )
            else:
                removed.append(current)
            continue
        _clean_line({"capability": current.capability, **line}, index, errors)
        quantity = line.get("quantity")
        if quantity is not None and Decimal(quantity) < current.claimed:
            _add(
                errors,
                f"{prefix}.quantity",
                _(
                    "%(claimed)s %(unit)s of this line are already claimed: the quantity cannot "
                    "be less. Release claims first, or keep at least %(claimed)s."
                )
                % {
                    "claimed": f"{current.claimed.normalize():f}",
                    "unit": current.get_unit_display(),
                },
            )
        capability = line.get("capability")
        unit = line.get("unit")
        if current.claimed > 0 and (
            (capability is not None and capability.pk != current.capability_id)
            or (unit and unit != current.unit)
        ):
            _add(
                errors,
                f"{prefix}.capability",
                _("Part of this line is claimed: what it asks for can no longer change."),
            )
        changes_to_lines.append((current, line))
    if removed and len(existing) - len(removed) + len(new_lines) < 1:
        _add(errors, "lines", _("Add at least one line: what is needed, and how much."))
    if errors:
        raise ValidationError(errors)
    before = _facts(locked)
    before_lines = _line_facts(list(existing.values()))
    if removed:
        RequestLine.objects.filter(pk__in=[gone.pk for gone in removed]).delete()
        for gone in removed:
            existing.pop(gone.pk)
    _apply(locked, changed)
    for current, line in changes_to_lines:
        if line.get("capability") is not None:
            current.capability = line["capability"]
        if line.get("quantity") is not None:
            current.quantity = Decimal(line["quantity"])
        if line.get("unit"):
            current.unit = line["unit"]
        if "notes" in line:
            current.notes = (line.get("notes") or "").strip()
        current.save(update_fields=["capability", "quantity", "unit", "notes"])
    position = max((line.position for line in existing.values()), default=-1) + 1
    added = RequestLine.objects.bulk_create(
        [_new_line(locked, line, position + index) for index, line in enumerate(new_lines)]
    )
    all_lines = list(existing.values()) + added
    changes = diff(before, _facts(locked))
    after_lines = _line_facts(sorted(all_lines, key=lambda line: (line.position, line.pk or 0)))
    if after_lines != before_lines:
        changes["lines"] = [before_lines, after_lines]
    if changes:
        locked.updated_at = timezone.now()
        locked.save()
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=locked, changes=changes)
    return locked


def _engaged_lines(lines: Mapping[int, RequestLine]) -> set[int]:
    """The lines some organisation has offered for or claimed (in any state: their history
    stays with the line)."""
    return {
        *Claim.objects.filter(line_id__in=lines).values_list("line_id", flat=True),
        *Offer.objects.filter(line_id__in=lines).values_list("line_id", flat=True),
    }


@transaction.atomic
def close_request(actor: policy.Actor, *, request: AssistanceRequest) -> AssistanceRequest:
    """Close an open request: the need is met (or no longer there). Claims stay as they are,
    so the organisations keep their record; nobody may offer any more."""
    locked = _lock(request)
    _check_may_manage(actor, locked)
    _check_open(locked)
    now = timezone.now()
    locked.state = AssistanceRequest.State.CLOSED
    locked.closed_at = now
    locked.updated_at = now
    locked.save(update_fields=["state", "closed_at", "updated_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={"state": [AssistanceRequest.State.OPEN, AssistanceRequest.State.CLOSED]},
    )
    return locked


@transaction.atomic
def cancel_request(
    actor: policy.Actor, *, request: AssistanceRequest, reason: str
) -> AssistanceRequest:
    """Cancel an open request, saying why: the reason is shown on the request and kept in the
    audit log."""
    locked = _lock(request)
    _check_may_manage(actor, locked)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the request is cancelled.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("At most %(limit)d characters, please.") % {"limit": MAX_REASON}}
        )
    _check_open(locked)
    now = timezone.now()
    locked.state = AssistanceRequest.State.CANCELLED
    locked.cancel_reason = reason
    locked.closed_at = now
    locked.updated_at = now
    locked.save(update_fields=["state", "cancel_reason", "closed_at", "updated_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        changes={
            "state": [AssistanceRequest.State.OPEN, AssistanceRequest.State.CANCELLED],
            "reason": [None, reason],
        },
    )
    return locked
