"""Applying a valid import preview: one transaction, bulk writes, one audit entry per change.

The one-by-one actions of ``noturiba.network.actions`` would cost several queries per row; an
import of 10,000 rows has to finish in seconds, so this writes in bulk while keeping the same
rules: values were already cleaned by the model fields (``rows.py``), ``search_text`` and
``updated_at`` are set here, and every created or changed organisation and person gets an
``AuditEntry`` with action ``import`` and the same ``{field: [old, new]}`` changes as the actions.
Unchanged rows write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.audit.actions import diff, snapshot
from noturiba.audit.models import AuditEntry
from noturiba.network.actions import ORGANISATION_FIELDS, PERSON_FIELDS
from noturiba.network.imports.preview import ImportPreview, chunks
from noturiba.network.imports.rows import OrganisationRow, PersonRow
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Organisation,
    OrganisationCapability,
    Person,
)

BATCH = 500
State = dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    organisations_created: int = 0
    organisations_updated: int = 0
    organisations_unchanged: int = 0
    organisations_skipped: int = 0
    people_created: int = 0
    people_updated: int = 0


class AuditLog:
    """Audit entries (as ``record_audit`` writes them) collected and written at the end."""

    FIELDS = (
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "changes",
    )

    def __init__(self, actor: policy.Actor | None, at: datetime) -> None:
        user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        self.user_id = user.pk if user else None
        self.label = getattr(user, "email", "") if user else "system"
        self.at = at
        self.entries: list[tuple[Any, ...]] = []

    def add(self, instance: models.Model, changes: State) -> None:
        self.entries.append(
            (
                self.at,
                self.user_id,
                self.label,
                AuditEntry.Action.IMPORT.value,
                instance._meta.label_lower,
                str(instance.pk),
                str(instance)[:300],
                changes,
            )
        )

    def save(self) -> None:
        insert_rows(AuditEntry, self.FIELDS, self.entries)


@transaction.atomic
def apply_import(
    actor: policy.Actor | None, *, preview: ImportPreview, create_anyway: bool = False
) -> ImportResult:
    """Write ``preview`` (which must be valid) as one transaction.

    ``actor`` is the coordinator importing, or None for the command line (recorded as
    "system"). Duplicate candidates are skipped unless ``create_anyway``.
    """
    if actor is not None and not policy.can_import_directory(actor):
        raise PermissionDenied(_("You may not do this."))
    if not preview.is_valid:
        raise ValidationError(
            [str(error) for error in preview.errors[:20]]
            or [preview.file_error]
            or [_("The file has no rows to import.")]
        )
    now = timezone.now()
    audit = AuditLog(actor, now)
    rows = [row for row in preview.organisations if create_anyway or not row.duplicates]
    written, organisation_counts = _write_organisations(rows, now, audit)
    people_created, people_updated = _write_people(preview.people, written, now, audit)
    audit.save()
    created, updated, unchanged = organisation_counts
    return ImportResult(
        organisations_created=created,
        organisations_updated=updated,
        organisations_unchanged=unchanged,
        organisations_skipped=len(preview.organisations) - len(rows),
        people_created=people_created,
        people_updated=people_updated,
    )


# --- Organisations -----------------------------------------------------------------------------


def _in_bulk(model: type[Any], ids: Iterable[int], *related: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update(model.objects.select_related(*related).in_bulk(chunk))
    return found


def _relation_state(organisation_ids: list[int]) -> dict[int, State]:
    """Areas, target groups and capabilities of existing organisations, as audit values."""
    state: dict[int, State] = {
        pk: {"municipalities": [], "target_groups": []} for pk in organisation_ids
    }
    areas = Organisation.municipalities.through.objects
    groups = Organisation.target_groups.through.objects
    for chunk in chunks(organisation_ids):
        for pk, code in areas.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "municipality__code"
        ):
            state[pk]["municipalities"].append(code)
        for pk, code in groups.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "targetgroup__code"
        ):
            state[pk]["target_groups"].append(code)
        for pk, code, quantity in OrganisationCapability.objects.filter(
            organisation_id__in=chunk
        ).values_list("organisation_id", "capability__code", "quantity"):
            state[pk][f"capability:{code}"] = str(quantity)
    for values in state.values():
        values["municipalities"].sort()
        values["target_groups"].sort()
    return state


def _desired_relations(row: OrganisationRow, before: State) -> State:
    after = dict(before)
    if row.municipalities is not None:
        after["municipalities"] = sorted(m.code for m in row.municipalities)
    if row.target_groups is not None:
        after["target_groups"] = sorted(g.code for g in row.target_groups)
    for code, quantity in row.capabilities.items():
        key = f"capability:{code}"
        if quantity is None:
            after.pop(key, None)
        else:
            after[key] = str(quantity.quantize(Decimal("0.01")))
    return after


def _write_organisations(
    rows: list[OrganisationRow], now: datetime, audit: AuditLog
) -> tuple[dict[int, Organisation], tuple[int, int, int]]:
    """Create and update organisations; returns them by ``id(row)`` and the counts."""
    existing = _in_bulk(
        Organisation, [r.existing_id for r in rows if r.existing_id], "municipality"
    )
    relations = _relation_state(sorted(existing))
    written: dict[int, Organisation] = {}
    new: list[tuple[OrganisationRow, Organisation]] = []
    changed: list[tuple[OrganisationRow, Organisation, State]] = []
    unchanged = 0
    for row in rows:
        organisation = existing.get(row.existing_id) if row.existing_id else None
        if organisation is None:
            organisation = Organisation(created_at=now, updated_at=now, **row.values)
            organisation.search_text = organisation.build_search_text()
            new.append((row, organisation))
        else:
            before = snapshot(organisation, ORGANISATION_FIELDS) | relations[organisation.pk]
            for key, value in row.values.items():
                setattr(organisation, key, value)
            organisation.search_text = organisation.build_search_text()
            after = snapshot(organisation, ORGANISATION_FIELDS) | _desired_relations(
                row, relations[organisation.pk]
            )
            changes = diff(before, after)
            if changes:
                organisation.updated_at = now
                changed.append((row, organisation, changes))
            else:
                unchanged += 1
        written[id(row)] = organisation
    Organisation.objects.bulk_create([organisation for _row, organisation in new], batch_size=BATCH)
    update_changed(
        Organisation,
        [(organisation, changes) for _row, organisation, changes in changed],
        kept=ORGANISATION_FIELDS,
        always=("search_text", "updated_at"),
    )
    relation_rows = [(row, o, relations.get(o.pk, {})) for row, o in new] + [
        (row, o, relations[o.pk]) for row, o, _c in changed
    ]
    _write_relations(relation_rows)
    for row, organisation in new:
        after = snapshot(organisation, ORGANISATION_FIELDS) | _desired_relations(
            row, {"municipalities": [], "target_groups": []}
        )
        audit.add(organisation, diff({}, after))
    for _row, organisation, changes in changed:
        audit.add(organisation, changes)
    return written, (len(new), len(changed), unchanged)


def update_changed(
    model: type[models.Model],
    changed: list[tuple[Any, State]],
    *,
    kept: Sequence[str],
    always: Sequence[str],
) -> None:
    """Write the changed fields of each object (those of ``kept`` its changes name, plus
    ``always``), grouping objects that changed the same fields into one statement."""
    groups: dict[tuple[str, ...], list[Any]] = {}
    for instance, changes in changed:
        fields = tuple(name for name in kept if name in changes) + tuple(always)
        groups.setdefault(fields, []).append(instance)
    for fields, instances in groups.items():
        update_rows(model, fields, instances)


def update_rows(model: type[models.Model], fields: Sequence[str], instances: Sequence[Any]) -> None:
    """``UPDATE … SET fields WHERE pk`` for each instance, with ``executemany``.

    ``bulk_update`` writes one ``CASE WHEN`` per field and row; for thousands of rows a plain
    statement per row is many times faster and reads simpler.
    """
    if not instances:
        return
    columns = [cast(models.Field, model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    primary_key = quote(cast(models.Field, model._meta.pk).column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {primary_key} = %s"
    with connection.cursor() as cursor:
        for chunk in chunks(instances):
            cursor.executemany(
                sql,
                [
                    (*_prepared(columns, tuple(getattr(i, c.attname) for c in columns)), i.pk)
                    for i in chunk
                ],
            )


def _write_relations(rows: list[tuple[OrganisationRow, Organisation, State]]) -> None:
    """Areas, target groups and capabilities where the file has their columns and they differ."""
    areas = Organisation.municipalities.through
    groups = Organisation.target_groups.through
    replace_areas: dict[int, list[int]] = {}
    replace_groups: dict[int, list[int]] = {}
    for row, organisation, before in rows:
        pk = organisation.pk
        if row.municipalities is not None and sorted(
            m.code for m in row.municipalities
        ) != before.get("municipalities", []):
            replace_areas[pk] = [m.pk for m in row.municipalities]
        if row.target_groups is not None and sorted(
            g.code for g in row.target_groups
        ) != before.get("target_groups", []):
            replace_groups[pk] = [g.pk for g in row.target_groups]
    stored = {organisation.pk for _row, organisation, before in rows if before}
    _replace(areas, "municipality", replace_areas, stored)
    _replace(groups, "targetgroup", replace_groups, stored)
    _write_capabilities(rows)


def _replace(
    through: type[models.Model],
    target: str,
    by_organisation: dict[int, list[int]],
    stored: set[int],
) -> None:
    """Set the links of each organisation to exactly the given ids; only ``stored``
    organisations (not those just created) can have links to delete first."""
    for chunk in chunks(sorted(stored & set(by_organisation))):
        through._default_manager.filter(organisation_id__in=chunk).delete()
    links = [(pk, item) for pk, items in by_organisation.items() for item in items]
    insert_rows(through, ("organisation", target), links)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert plain rows whose primary keys are not needed back (links, audit entries).

    ``bulk_create`` builds a model object per row and compiles every value; for the tens of
    thousands of such rows of a large import, ``COPY`` (PostgreSQL) and ``executemany``
    (SQLite) are several times faster (MEASURED.md). Values are what the model fields take
    (foreign keys as ids); each field prepares its own for the database.
    """
    if not rows:
        return
    columns = [cast(models.Field, model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column.column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(_prepared(columns, row))
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        for chunk in chunks(rows):
            cursor.executemany(sql, [_prepared(columns, row) for row in chunk])


def _prepared(columns: list[models.Field], row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        column.get_db_prep_save(value, connection)
        for column, value in zip(columns, row, strict=True)
    )


def _write_capabilities(rows: list[tuple[OrganisationRow, Organisation, State]]) -> None:
    codes = {code for row, _o, _b in rows for code in row.capabilities}
    if not codes:
        return
    types = {c.code: c for c in CapabilityType.objects.filter(code__in=codes)}
    ids = [o.pk for _row, o, before in rows if before]
    existing: dict[tuple[int, str], OrganisationCapability] = {}
    for chunk in chunks(ids):
        for found in OrganisationCapability.objects.filter(
            organisation_id__in=chunk, capability__code__in=codes
        ).select_related("capability"):
            existing[(found.organisation_id, found.capability.code)] = found
    create: list[tuple[int, int, Decimal, str]] = []
    update: list[OrganisationCapability] = []
    delete: list[int] = []
    for row, organisation, _before in rows:
        for code, quantity in row.capabilities.items():
            item = existing.get((organisation.pk, code))
            if quantity is None:
                if item is not None:
                    delete.append(item.pk)
            elif item is None:
                create.append((organisation.pk, types[code].pk, quantity, ""))
            elif item.quantity != quantity:
                item.quantity = quantity
                update.append(item)
    for chunk in chunks(delete):
        OrganisationCapability.objects.filter(pk__in=chunk).delete()
    update_rows(OrganisationCapability, ["quantity"], update)
    insert_rows(
        OrganisationCapability, ("organisation", "capability", "quantity", "availability"), create
    )


# --- People ------------------------------------------------------------------------------------


def _organisation_of(person: PersonRow, written: dict[int, Organisation]) -> int | None:
    """The primary key of the person row's organisation, or None when that row was skipped."""
    if person.organisation_row is not None:
        organisation = written.get(id(person.organisation_row))
        return organisation.pk if organisation is not None else None
    return person.organisation_id


def _write_people(
    rows: list[PersonRow], written: dict[int, Organisation], now: datetime, audit: AuditLog
) -> tuple[int, int]:
    placed = [(row, pk) for row in rows if (pk := _organisation_of(row, written)) is not None]
    primaries = list({id(p): p for p in (row.same_as or row for row, _pk in placed)}.values())
    existing = _in_bulk(Person, [p.existing_id for p in primaries if p.existing_id])
    persons: dict[int, Person] = {}
    before: dict[int, State] = {}
    for primary in primaries:
        person = existing.get(primary.existing_id) if primary.existing_id else None
        if person is None:
            person = Person(created_at=now, updated_at=now)
        else:
            before[id(primary)] = snapshot(person, PERSON_FIELDS)
        for name, value in primary.values.items():
            setattr(person, name, value)
        persons[id(primary)] = person
    new = [p for key, p in persons.items() if key not in before]
    Person.objects.bulk_create(new, batch_size=BATCH)
    membership_changes = _write_memberships(placed, persons, set(existing))
    changed: list[tuple[Person, State]] = []
    created = 0
    for key, person in persons.items():
        changes = diff(before.get(key, {}), snapshot(person, PERSON_FIELDS))
        changes |= membership_changes.get(person.pk, {})
        if key not in before:
            created += 1
        elif changes:
            person.updated_at = now
            changed.append((person, changes))
        if changes:
            audit.add(person, changes)
    update_changed(Person, changed, kept=PERSON_FIELDS, always=("updated_at",))
    return created, len(changed)


def _write_memberships(
    placed: list[tuple[PersonRow, int]], persons: dict[int, Person], existing_ids: set[int]
) -> dict[int, State]:
    """Create or change memberships; returns the audit changes by person primary key."""
    existing: dict[tuple[int, int], Membership] = {}
    for chunk in chunks(sorted(existing_ids)):
        for membership in Membership.objects.filter(person_id__in=chunk):
            existing[(membership.person_id, membership.organisation_id)] = membership
    create: dict[tuple[int, int], Membership] = {}
    update: dict[tuple[int, int], Membership] = {}
    changes: dict[int, State] = {}
    for row, organisation_id in placed:
        person = persons[id(row.same_as or row)]
        key = (person.pk, organisation_id)
        current = existing.get(key)
        old = f"{current.role}:{current.title}" if current is not None else None
        membership = current or create.setdefault(
            key, Membership(person_id=person.pk, organisation_id=organisation_id)
        )
        if row.role is not None:
            membership.role = row.role
        if row.title is not None:
            membership.title = row.title
        new = f"{membership.role}:{membership.title}"
        if old != new:
            if key in existing:
                update[key] = membership
            changes.setdefault(person.pk, {})[f"membership:{organisation_id}"] = [old, new]
    insert_rows(
        Membership,
        ("person", "organisation", "role", "title"),
        [(m.person_id, m.organisation_id, m.role, m.title) for m in create.values()],
    )
    update_rows(Membership, ["role", "title"], list(update.values()))
    return changes
