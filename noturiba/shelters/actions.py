"""Writes to shelters: add and edit (managers), status and occupancy (the operator's people).

Occupancy above the short-stay capacity is accepted only with the status *full*: an operator
who counts more people than the floor holds at 0.75 m² each is told to set the status to Full
(the shelter is then off the "free places" list); with any other status it is refused with a
message saying so. A shelter without a floor area has no capacity and takes any occupancy.

Concurrent updates: the last write wins for the shelter's current status and occupancy, and
every write is kept as a :class:`ShelterUpdate`, so both appear in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.shelters.models import Shelter, ShelterUpdate

# Fields a manager sets on the add/edit form (capacities are computed, never typed).
EDITABLE_FIELDS = (
    "name",
    "kind",
    "address",
    "municipality",
    "latitude",
    "longitude",
    "operator_organisation",
    "operator_institution",
    "contact_phone",
    "floor_area",
    "step_free",
    "accessible_toilet",
    "lift",
    "hearing_loop",
    "wheelchair_spaces",
    "water",
    "toilets",
    "heating",
    "power_backup",
    "first_aid",
    "is_public",
    "notes",
)


def _audit_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def _check_data(data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if data.get("operator_organisation") is not None and data.get("operator_institution"):
        raise ValidationError(
            {"operator_institution": _("Choose an organisation or an institution, not both.")}
        )


@transaction.atomic
def create_shelter(actor: policy.Actor, *, data: Mapping[str, Any]) -> Shelter:
    """Add a shelter in a municipality ``actor`` manages."""
    _check_data(data)
    municipality = data["municipality"]
    if not policy.can_manage_shelters_in(actor, municipality.pk):
        raise PermissionDenied
    shelter = Shelter(**data)
    shelter.full_clean()
    shelter.save()
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=shelter,
        changes={name: _audit_value(value) for name, value in data.items()},
    )
    return shelter


@transaction.atomic
def update_shelter(actor: policy.Actor, *, shelter: Shelter, data: Mapping[str, Any]) -> Shelter:
    """Edit a shelter; ``actor`` must manage both its old and (if moved) its new municipality."""
    _check_data(data)
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    if not policy.can_manage_shelters_in(actor, shelter.municipality_id):
        raise PermissionDenied
    municipality = data.get("municipality")
    if municipality is not None and not policy.can_manage_shelters_in(actor, municipality.pk):
        raise PermissionDenied
    changes: dict[str, Any] = {}
    for name, value in data.items():
        old = getattr(shelter, name)
        if old != value:
            changes[name] = [_audit_value(old), _audit_value(value)]
            setattr(shelter, name, value)
    if not changes:
        return shelter
    shelter.updated_at = timezone.now()
    shelter.full_clean()
    shelter.save()
    record_audit(actor, action=AuditEntry.Action.UPDATE, instance=shelter, changes=changes)
    return shelter


def occupancy_error(shelter: Shelter, *, status: str, occupancy: int) -> str | None:
    """Why ``occupancy`` with ``status`` cannot be saved for ``shelter``, or None."""
    capacity = shelter.short_stay_capacity
    if capacity is not None and occupancy > capacity and status != Shelter.Status.FULL:
        return _(
            "%(occupancy)s people is more than this shelter holds (%(capacity)s for a short "
            "stay). Set the status to Full to save it."
        ) % {"occupancy": occupancy, "capacity": capacity}
    return None


@transaction.atomic
def update_shelter_occupancy(
    actor: policy.Actor, *, shelter: Shelter, status: str, occupancy: int, note: str = ""
) -> Shelter:
    """Set the status and the number of people inside now, and keep the change in the history."""
    if status not in Shelter.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if occupancy < 0:
        raise ValidationError({"occupancy": _("The number of people cannot be negative.")})
    if len(note) > ShelterUpdate._meta.get_field("note").max_length:  # type: ignore[operator]
        raise ValidationError({"note": _("The note is too long.")})
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    if not policy.can_update_shelter(
        actor,
        municipality_id=shelter.municipality_id,
        operator_organisation_id=shelter.operator_organisation_id,
        operator_institution_id=shelter.operator_institution_id,
    ):
        raise PermissionDenied
    error = occupancy_error(shelter, status=status, occupancy=occupancy)
    if error:
        raise ValidationError({"occupancy": error})
    now = timezone.now()
    previous = (shelter.status, shelter.occupancy)
    shelter.status = status
    shelter.occupancy = occupancy
    shelter.occupancy_updated_at = now
    shelter.save(update_fields=["status", "occupancy", "occupancy_updated_at"])
    author = actor if getattr(actor, "is_authenticated", False) else None
    ShelterUpdate.objects.create(
        shelter=shelter,
        status=status,
        occupancy=occupancy,
        note=note,
        author=author,
        created_at=now,
    )
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=shelter,
        changes={"status": [previous[0], status], "occupancy": [previous[1], occupancy]},
    )
    return shelter
