"""The outbox's fast write (executemany on SQLite, COPY on PostgreSQL) stores exactly the rows
the ORM's bulk_create stores: every column, in the database's own representation."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.outbox import idempotency_key, write_deliveries, write_deliveries_with_orm
from noturiba.alerts.selectors import PlannedDelivery
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db

CREATED_AT = datetime.datetime(2026, 11, 26, 8, 30, 15, tzinfo=datetime.UTC)


def make_alert() -> Alert:
    return Alert.objects.create(event="Plūdi", headline="Plūdi Ogrē", description="Ūdens ceļas.")


@pytest.fixture
def planned() -> list[PlannedDelivery]:
    people = Person.objects.bulk_create(
        Person(full_name=f"Brīvprātīgā {n}", email=f"b{n}@example.lv", phone=f"+3712000000{n}")
        for n in range(6)
    )
    return [
        PlannedDelivery(person.pk, *(("sms", person.phone) if n % 3 else ("email", person.email)))
        for n, person in enumerate(people)
    ]


def raw_rows(alert: Alert) -> list[dict[str, Any]]:
    """Every column as the database returns it (no ORM conversion), in id order."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE alert_id = %s ORDER BY id", [alert.pk])
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def comparable(rows: list[dict[str, Any]], alert: Alert) -> list[dict[str, Any]]:
    """The rows without what must differ between two alerts: ids, the alert, the random token;
    the idempotency key is checked against the alert's own."""
    result = []
    for row in rows:
        row = dict(row)
        assert row.pop("idempotency_key") == idempotency_key(
            alert, row["person_id"], row["channel"]
        )
        for name in ("id", "alert_id", "ack_token"):
            row.pop(name)
        result.append(row)
    return result


def test_the_fast_path_writes_exactly_the_rows_the_orm_writes(
    planned: list[PlannedDelivery],
) -> None:
    fast_alert, orm_alert = make_alert(), make_alert()

    with transaction.atomic():
        fast_ids = write_deliveries(fast_alert, iter(planned), created_at=CREATED_AT)
    with transaction.atomic():
        orm_ids = write_deliveries_with_orm(orm_alert, iter(planned), created_at=CREATED_AT)

    fast, orm = raw_rows(fast_alert), raw_rows(orm_alert)
    assert len(fast) == len(orm) == len(planned)
    assert fast_ids == [row["id"] for row in fast]
    assert orm_ids == [row["id"] for row in orm]
    assert comparable(fast, fast_alert) == comparable(orm, orm_alert)
    # The same through the ORM's eyes: the defaults read back as the model declares them.
    delivery = Delivery.objects.get(pk=fast_ids[1])
    assert (delivery.state, delivery.attempts, delivery.step, delivery.recipient) == (
        Delivery.State.QUEUED,
        0,
        0,
        Delivery.Recipient.PERSON,
    )
    assert (delivery.endpoint_id, delivery.next_attempt_at, delivery.sent_at) == (None, None, None)
    assert (delivery.provider_id, delivery.last_error) == ("", "")
    assert delivery.created_at == CREATED_AT
    assert (delivery.person_id, delivery.channel, delivery.address) == (
        planned[1].person_id,
        "sms",
        planned[1].address,
    )


def test_every_row_gets_its_own_unguessable_ack_token(planned: list[PlannedDelivery]) -> None:
    alert = make_alert()

    write_deliveries(alert, planned, created_at=timezone.now())

    tokens = list(Delivery.objects.filter(alert=alert).values_list("ack_token", flat=True))
    assert len(set(tokens)) == len(planned)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", token) for token in tokens)  # 24 random bytes


def test_the_rows_belong_to_the_callers_transaction(planned: list[PlannedDelivery]) -> None:
    alert = make_alert()

    with pytest.raises(RuntimeError), transaction.atomic():
        write_deliveries(alert, planned, created_at=timezone.now())
        raise RuntimeError("the caller fails after the write")

    assert not Delivery.objects.filter(alert=alert).exists()


def test_an_empty_plan_writes_nothing() -> None:
    assert write_deliveries(make_alert(), [], created_at=timezone.now()) == []
