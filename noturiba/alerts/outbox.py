"""Writing the outbox: the delivery rows of an alert, saved in bulk before anything is sent.

A national alert writes ~100,000 rows in one transaction. Building that many model instances and
letting the ORM insert them costs seconds of Python, so on SQLite and PostgreSQL the rows are
written as plain tuples: ``executemany`` on SQLite, ``COPY`` on PostgreSQL (psycopg 3). Every
column gets what the ORM would write — the model's defaults, prepared by the fields once, and a
fresh ``new_ack_token()`` per row — which ``tests/test_outbox.py`` checks column by column
against :func:`write_deliveries_with_orm`, the path other databases take.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection

from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.selectors import PlannedDelivery

_INSERT_BATCH = 2000
# The columns that differ from row to row; every other column is the same for the whole alert.
_PER_ROW = ("person_id", "channel", "address", "idempotency_key", "ack_token")


def idempotency_key(alert: Alert, person_id: int, channel: str) -> str:
    return f"{alert.identifier}/{person_id}/{channel}"


def write_deliveries(
    alert: Alert, planned: Iterable[PlannedDelivery], *, created_at: datetime.datetime
) -> list[int]:
    """Insert one queued delivery per planned (person, channel); returns their ids in order.

    Runs inside the caller's transaction.
    """
    if connection.vendor == "sqlite":
        _write_with_executemany(alert, planned, created_at)
    elif connection.vendor == "postgresql":
        _write_with_copy(alert, planned, created_at)
    else:
        return write_deliveries_with_orm(alert, planned, created_at=created_at)
    return _ids(alert)


def write_deliveries_with_orm(
    alert: Alert, planned: Iterable[PlannedDelivery], *, created_at: datetime.datetime
) -> list[int]:
    """The same rows through the ORM's ``bulk_create`` (slower; the reference for the others)."""
    deliveries = [
        Delivery(
            alert=alert,
            person_id=item.person_id,
            channel=item.channel,
            address=item.address,
            idempotency_key=idempotency_key(alert, item.person_id, item.channel),
            created_at=created_at,
        )
        for item in planned
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=_INSERT_BATCH)
    return _ids(alert)


def _ids(alert: Alert) -> list[int]:
    return list(Delivery.objects.filter(alert=alert).order_by("pk").values_list("pk", flat=True))


def _columns(alert: Alert, created_at: datetime.datetime) -> tuple[list[str], list[Any]]:
    """The table's columns (per-row ones first) and the prepared value of each constant one."""
    given = {"alert_id": alert.pk, "created_at": created_at}
    fields = {field.attname: field for field in Delivery._meta.concrete_fields}
    names = [str(fields[name].column) for name in _PER_ROW]
    constants: list[Any] = []
    for field in fields.values():
        if field.primary_key or field.attname in _PER_ROW:
            continue
        value = given[field.attname] if field.attname in given else field.get_default()
        names.append(str(field.column))
        constants.append(field.get_db_prep_save(value, connection))
    return names, constants


def _rows(
    alert: Alert, planned: Iterable[PlannedDelivery], constants: list[Any]
) -> Iterator[tuple[Any, ...]]:
    new_token = Delivery._meta.get_field("ack_token").default
    prefix = f"{alert.identifier}/"
    tail = tuple(constants)
    for item in planned:
        person_id, channel = item.person_id, item.channel
        yield (
            person_id,
            channel,
            item.address,
            f"{prefix}{person_id}/{channel}",
            new_token(),
            *tail,
        )


def _sqlite_literal(value: Any) -> str | None:
    """``value`` as an SQLite literal (NULL, an integer, a quoted string), or None to bind it."""
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        # Quotes doubled for SQL; % doubled for the placeholder conversion of Django's cursor.
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"
    return None


def _write_with_executemany(
    alert: Alert, planned: Iterable[PlannedDelivery], created_at: datetime.datetime
) -> None:
    names, constants = _columns(alert, created_at)
    # The constant columns are written into the statement once: binding 5 values a row instead
    # of 16 saves about a third of the insert's time.
    literals = [_sqlite_literal(value) for value in constants]
    bound = [value for value, literal in zip(constants, literals, strict=True) if literal is None]
    placeholders = ["%s"] * len(_PER_ROW) + [literal or "%s" for literal in literals]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({', '.join(map(quote, names))}) "
        f"VALUES ({', '.join(placeholders)})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(_rows(alert, planned, bound)))


def _write_with_copy(
    alert: Alert, planned: Iterable[PlannedDelivery], created_at: datetime.datetime
) -> None:
    names, constants = _columns(alert, created_at)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(Delivery._meta.db_table)} ({', '.join(map(quote, names))}) FROM STDIN"
    # Built before COPY starts: ``planned`` is often a lazy query on this same connection,
    # which cannot run while the connection is busy copying.
    rows = list(_rows(alert, planned, constants))
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrappers
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
