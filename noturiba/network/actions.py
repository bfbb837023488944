"""Writes to the network directory. Every change checks the policy and leaves an audit entry.

Actions take already-parsed values (from a form, an API schema or an import row), validate the
resulting rows with the model's own rules (``full_clean``) and raise ``ValidationError`` with
field messages, or ``PermissionDenied`` when the policy says no. Nothing is written then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import diff, record_audit, snapshot
from noturiba.audit.models import AuditEntry
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.validators import clean_phone

ORGANISATION_FIELDS = (
    "name",
    "registration_number",
    "legal_form",
    "scope",
    "description",
    "website",
    "email",
    "phone",
    "address",
    "municipality",
    "latitude",
    "longitude",
    "is_public",
)
ORGANISATION_AUDITED = (*ORGANISATION_FIELDS, "municipalities", "target_groups")
PERSON_FIELDS = (
    "full_name",
    "email",
    "phone",
    "preferred_language",
    "preferred_channels",
    "second_contact_name",
    "second_contact_phone",
    "second_contact_email",
)
PERSON_LINKS = ("user", "institution")
INSTITUTION_FIELDS = ("name", "kind", "is_national", "email", "phone", "website", "address")
AGREEMENT_FIELDS = ("scope", "signed_on", "valid_until")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _organisation_state(organisation: Organisation) -> dict[str, Any]:
    state = snapshot(organisation, ORGANISATION_FIELDS)
    if organisation.pk:
        state["municipalities"] = sorted(organisation.municipalities.values_list("code", flat=True))
        state["target_groups"] = sorted(organisation.target_groups.values_list("code", flat=True))
    return state


def _normalise_organisation(organisation: Organisation) -> None:
    organisation.registration_number = (organisation.registration_number or "").strip() or None
    organisation.search_text = organisation.build_search_text()


@transaction.atomic
def create_organisation(
    actor: policy.Actor,
    *,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] = (),
    target_groups: Iterable[TargetGroup] = (),
) -> Organisation:
    _require(policy.can_create_organisation(actor))
    organisation = Organisation(**{key: data[key] for key in ORGANISATION_FIELDS if key in data})
    _apply_phone(organisation)
    _normalise_organisation(organisation)
    organisation.full_clean()
    organisation.save()
    organisation.municipalities.set(list(municipalities))
    organisation.target_groups.set(list(target_groups))
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=organisation,
        changes=diff({}, _organisation_state(organisation)),
    )
    return organisation


def _apply_phone(instance: Organisation | Institution) -> None:
    try:
        instance.phone = clean_phone(instance.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc


@transaction.atomic
def update_organisation(
    actor: policy.Actor,
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] | None = None,
    target_groups: Iterable[TargetGroup] | None = None,
) -> Organisation:
    _require(policy.can_edit_organisation(actor, organisation))
    before = _organisation_state(organisation)
    for key in ORGANISATION_FIELDS:
        if key in data:
            setattr(organisation, key, data[key])
    _apply_phone(organisation)
    _normalise_organisation(organisation)
    organisation.full_clean()
    organisation.updated_at = timezone.now()
    organisation.save()
    if municipalities is not None:
        organisation.municipalities.set(list(municipalities))
    if target_groups is not None:
        organisation.target_groups.set(list(target_groups))
    changes = diff(before, _organisation_state(organisation))
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=organisation, changes=changes)
    return organisation


@transaction.atomic
def delete_organisation(actor: policy.Actor, *, organisation: Organisation) -> None:
    """Delete ``organisation``; its agreements and memberships go too, each with an audit entry."""
    _require(policy.can_delete_organisation(actor, organisation))
    for agreement in Agreement.objects.filter(organisation=organisation).select_related(
        "organisation", "institution"
    ):
        delete_agreement(actor, agreement=agreement)
    for membership in Membership.objects.filter(organisation=organisation).select_related(
        "person", "organisation"
    ):
        remove_membership(actor, membership=membership)
    record_audit(
        actor,
        action=AuditEntry.Action.DELETE,
        instance=organisation,
        changes=diff(_organisation_state(organisation), {}),
    )
    organisation.delete()


def _capability_state(row: OrganisationCapability | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "quantity": str(Decimal(row.quantity).quantize(Decimal("0.01"))),
        "startup_hours": row.startup_hours,
        "availability": row.availability,
    }


@transaction.atomic
def set_capability(
    actor: policy.Actor,
    *,
    organisation: Organisation,
    capability: CapabilityType,
    quantity: Decimal,
    startup_hours: int | None = None,
    availability: str = "",
) -> OrganisationCapability:
    """Declare (or change) what ``organisation`` can offer of ``capability``."""
    _require(policy.can_edit_organisation(actor, organisation))
    row = OrganisationCapability.objects.filter(
        organisation=organisation, capability=capability
    ).first()
    before = _capability_state(row)
    if row is None:
        row = OrganisationCapability(organisation=organisation, capability=capability)
    row.quantity = quantity
    row.startup_hours = startup_hours
    row.availability = availability
    row.full_clean()
    row.save()
    after = _capability_state(row)
    if before != after:
        organisation.updated_at = timezone.now()
        organisation.save(update_fields=["updated_at"])
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=organisation,
            changes={f"capability:{capability.code}": [before, after]},
        )
    return row


@transaction.atomic
def remove_capability(actor: policy.Actor, *, row: OrganisationCapability) -> None:
    organisation = row.organisation
    _require(policy.can_edit_organisation(actor, organisation))
    before = _capability_state(row)
    code = row.capability.code
    row.delete()
    organisation.updated_at = timezone.now()
    organisation.save(update_fields=["updated_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=organisation,
        changes={f"capability:{code}": [before, None]},
    )


@dataclass(frozen=True)
class CapabilityOffer:
    """What an organisation offers of one capability type (an input to ``set_capabilities``)."""

    capability: CapabilityType
    quantity: Decimal
    startup_hours: int | None = None
    availability: str = ""


@transaction.atomic
def set_capabilities(
    actor: policy.Actor, *, organisation: Organisation, offers: Iterable[CapabilityOffer]
) -> None:
    """Make ``organisation``'s capabilities exactly ``offers``: set those listed, remove the rest.

    Unchanged rows are left alone; each change is audited by ``set_capability`` or
    ``remove_capability``.
    """
    _require(policy.can_edit_organisation(actor, organisation))
    wanted = {offer.capability.pk: offer for offer in offers}
    existing = {
        row.capability_id: row
        for row in OrganisationCapability.objects.filter(organisation=organisation).select_related(
            "capability", "organisation"
        )
    }
    for capability_id, row in existing.items():
        if capability_id not in wanted:
            remove_capability(actor, row=row)
    for capability_id, offer in wanted.items():
        wanted_state = _capability_state(
            OrganisationCapability(
                quantity=offer.quantity,
                startup_hours=offer.startup_hours,
                availability=offer.availability,
            )
        )
        if _capability_state(existing.get(capability_id)) == wanted_state:
            continue
        set_capability(
            actor,
            organisation=organisation,
            capability=offer.capability,
            quantity=offer.quantity,
            startup_hours=offer.startup_hours,
            availability=offer.availability,
        )


# --- People --------------------------------------------------------------------------------


def _clean_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    for field in ("phone", "second_contact_phone"):
        try:
            setattr(person, field, clean_phone(getattr(person, field)))
        except ValidationError as exc:
            errors[field] = exc.messages
    person.email = (person.email or "").strip().lower()
    channels = list(person.preferred_channels or [])
    allowed = set(Person.Channel.values)
    unknown = [channel for channel in channels if channel not in allowed]
    if unknown:
        errors["preferred_channels"] = [
            _("Unknown channel: %(channels)s") % {"channels": ", ".join(map(str, unknown))}
        ]
    person.preferred_channels = list(dict.fromkeys(channels))
    try:
        person.full_clean(exclude=["user", "institution"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_person(
    actor: policy.Actor,
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    role: str = Membership.Role.MEMBER,
    title: str = "",
) -> Person:
    """Add a person to ``organisation`` (an organisation admin adds only to their own)."""
    _require(policy.can_create_person(actor, organisation))
    if role == Membership.Role.ADMIN:
        _require(policy.can_edit_organisation(actor, organisation))
    person = Person(**{key: data[key] for key in PERSON_FIELDS if key in data})
    _clean_person(person)
    person.save()
    Membership.objects.create(person=person, organisation=organisation, role=role, title=title)
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=person,
        changes={
            **diff({}, snapshot(person, PERSON_FIELDS)),
            "membership": [None, f"{organisation.pk}:{role}"],
        },
    )
    return person


@transaction.atomic
def create_standalone_person(
    actor: policy.Actor,
    *,
    data: Mapping[str, Any],
    user: Any = None,
    institution: Institution | None = None,
) -> Person:
    """A person outside any organisation, e.g. an institution's officer (coordinators only)."""
    _require(policy.roles_of(actor).coordinator)
    person = Person(**{key: data[key] for key in PERSON_FIELDS if key in data})
    person.user = user
    person.institution = institution
    _clean_person(person)
    person.save()
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=person,
        changes=diff({}, snapshot(person, (*PERSON_FIELDS, *PERSON_LINKS))),
    )
    return person


@transaction.atomic
def link_person(
    actor: policy.Actor, *, person: Person, user: Any, institution: Institution | None
) -> Person:
    """Attach ``person`` to a sign-in account and an institution (coordinators only)."""
    _require(policy.roles_of(actor).coordinator)
    before = snapshot(person, PERSON_LINKS)
    person.user = user
    person.institution = institution
    person.full_clean(validate_unique=True)
    person.updated_at = timezone.now()
    person.save(update_fields=["user", "institution", "updated_at"])
    changes = diff(before, snapshot(person, PERSON_LINKS))
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=person, changes=changes)
    return person


@transaction.atomic
def update_person(actor: policy.Actor, *, person: Person, data: Mapping[str, Any]) -> Person:
    _require(policy.can_edit_person(actor, person))
    before = snapshot(person, PERSON_FIELDS)
    for key in PERSON_FIELDS:
        if key in data:
            setattr(person, key, data[key])
    _clean_person(person)
    person.updated_at = timezone.now()
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=person, changes=changes)
    return person


@transaction.atomic
def set_membership(
    actor: policy.Actor,
    *,
    person: Person,
    organisation: Organisation,
    role: str,
    title: str = "",
) -> Membership:
    """Add ``person`` to ``organisation`` or change their role there."""
    _require(policy.can_edit_organisation(actor, organisation))
    membership = Membership.objects.filter(person=person, organisation=organisation).first()
    before = f"{membership.role}:{membership.title}" if membership else None
    if membership is None:
        membership = Membership(person=person, organisation=organisation)
    membership.role = role
    membership.title = title
    membership.full_clean()
    membership.save()
    after = f"{membership.role}:{membership.title}"
    if before != after:
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=person,
            changes={f"membership:{organisation.pk}": [before, after]},
        )
    return membership


@transaction.atomic
def remove_membership(actor: policy.Actor, *, membership: Membership) -> None:
    _require(policy.can_edit_organisation(actor, membership.organisation))
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=membership.person,
        changes={
            f"membership:{membership.organisation_id}": [
                f"{membership.role}:{membership.title}",
                None,
            ]
        },
    )
    membership.delete()


@transaction.atomic
def delete_person(actor: policy.Actor, *, person: Person) -> None:
    _require(policy.roles_of(actor).coordinator)
    record_audit(
        actor,
        action=AuditEntry.Action.DELETE,
        instance=person,
        changes=diff(snapshot(person, PERSON_FIELDS), {}),
    )
    person.delete()


# --- Institutions and agreements -------------------------------------------------------------


@transaction.atomic
def create_institution(
    actor: policy.Actor,
    *,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] = (),
) -> Institution:
    _require(policy.can_manage_institutions(actor))
    institution = Institution(**{key: data[key] for key in INSTITUTION_FIELDS if key in data})
    _apply_phone(institution)
    institution.full_clean()
    institution.save()
    institution.municipalities.set(list(municipalities))
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=institution,
        changes=diff({}, snapshot(institution, INSTITUTION_FIELDS)),
    )
    return institution


@transaction.atomic
def update_institution(
    actor: policy.Actor,
    *,
    institution: Institution,
    data: Mapping[str, Any],
    municipalities: Iterable[Municipality] | None = None,
) -> Institution:
    _require(policy.can_manage_institutions(actor))
    before = snapshot(institution, INSTITUTION_FIELDS)
    before["municipalities"] = sorted(institution.municipalities.values_list("code", flat=True))
    for key in INSTITUTION_FIELDS:
        if key in data:
            setattr(institution, key, data[key])
    _apply_phone(institution)
    institution.full_clean()
    institution.updated_at = timezone.now()
    institution.save()
    if municipalities is not None:
        institution.municipalities.set(list(municipalities))
    after = snapshot(institution, INSTITUTION_FIELDS)
    after["municipalities"] = sorted(institution.municipalities.values_list("code", flat=True))
    changes = diff(before, after)
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=institution, changes=changes)
    return institution


@transaction.atomic
def delete_institution(actor: policy.Actor, *, institution: Institution) -> None:
    """Delete ``institution`` and its agreements; its officers stay, without an institution."""
    _require(policy.can_manage_institutions(actor))
    for agreement in Agreement.objects.filter(institution=institution).select_related(
        "organisation", "institution"
    ):
        delete_agreement(actor, agreement=agreement)
    for officer in Person.objects.filter(institution=institution):
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=officer,
            changes={"institution": [str(institution), None]},
        )
    before = snapshot(institution, INSTITUTION_FIELDS)
    before["municipalities"] = sorted(institution.municipalities.values_list("code", flat=True))
    record_audit(
        actor, action=AuditEntry.Action.DELETE, instance=institution, changes=diff(before, {})
    )
    institution.delete()


@transaction.atomic
def create_agreement(
    actor: policy.Actor,
    *,
    organisation: Organisation,
    institution: Institution,
    scope: str,
    signed_on: datetime.date,
    valid_until: datetime.date | None = None,
) -> Agreement:
    _require(policy.can_manage_agreements(actor))
    agreement = Agreement(
        organisation=organisation,
        institution=institution,
        scope=scope,
        signed_on=signed_on,
        valid_until=valid_until,
    )
    agreement.full_clean()
    agreement.save()
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=agreement,
        changes=diff({}, snapshot(agreement, ("organisation", "institution", *AGREEMENT_FIELDS))),
    )
    return agreement


@transaction.atomic
def update_agreement(
    actor: policy.Actor, *, agreement: Agreement, data: Mapping[str, Any]
) -> Agreement:
    _require(policy.can_manage_agreements(actor))
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for key in AGREEMENT_FIELDS:
        if key in data:
            setattr(agreement, key, data[key])
    agreement.full_clean()
    agreement.save()
    changes = diff(before, snapshot(agreement, AGREEMENT_FIELDS))
    if changes:
        record_audit(actor, action=AuditEntry.Action.UPDATE, instance=agreement, changes=changes)
    return agreement


@transaction.atomic
def delete_agreement(actor: policy.Actor, *, agreement: Agreement) -> None:
    _require(policy.can_manage_agreements(actor))
    record_audit(
        actor,
        action=AuditEntry.Action.DELETE,
        instance=agreement,
        changes=diff(snapshot(agreement, AGREEMENT_FIELDS), {}),
    )
    agreement.delete()
