"""Operators reporting at once (PostgreSQL): each report is kept in the history and the
shelter holds the last one (the row lock serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from noturiba.accounts.models import User
from noturiba.conftest import needs_row_locks
from noturiba.shelters.actions import update_shelter_occupancy
from noturiba.shelters.models import Shelter

REPORTS = 8


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_parallel_reports_are_all_kept_and_the_last_stands(
    member_a: User, ogre_shelter: Shelter
) -> None:
    barrier = threading.Barrier(REPORTS)
    errors: list[BaseException] = []

    def report(occupancy: int) -> None:
        try:
            barrier.wait(timeout=30)
            actor = User.objects.get(pk=member_a.pk)
            shelter = Shelter.objects.get(pk=ogre_shelter.pk)
            update_shelter_occupancy(actor, shelter=shelter, status="open", occupancy=occupancy)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(20 + n,)) for n in range(REPORTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    ogre_shelter.refresh_from_db()
    history = list(ogre_shelter.updates.order_by("created_at", "id"))
    assert sorted(update.occupancy for update in history) == [20 + n for n in range(REPORTS)]
    # The shelter holds the report written last (the newest in the history).
    assert ogre_shelter.occupancy == history[-1].occupancy
    assert ogre_shelter.occupancy_updated_at == history[-1].created_at
