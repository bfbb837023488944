"""Twenty organisations claim the same line at the same moment: it is never over-claimed
(PostgreSQL; SQLite has one writer at a time)."""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, RequestLine
from noturiba.assistance.tests.claims_support import make_line, make_organisation
from noturiba.conftest import needs_row_locks
from noturiba.network.models import Organisation

THREADS = 20


def _claim_at_once(
    line: RequestLine, offerers: list[tuple[Organisation, User]], quantities: list[int]
) -> tuple[list[int], list[ValidationError], list[BaseException]]:
    barrier = threading.Barrier(len(quantities))
    granted: list[int] = []
    refused: list[ValidationError] = []
    errors: list[BaseException] = []

    def claim(index: int) -> None:
        organisation, admin = offerers[index % len(offerers)]
        try:
            # A fresh user per thread: the policy caches roles on the object.
            actor = User.objects.get(pk=admin.pk)
            barrier.wait(timeout=30)
            actions.offer_line_part(
                actor, line=line, organisation=organisation, quantity=Decimal(quantities[index])
            )
            granted.append(quantities[index])
        except ValidationError as error:
            refused.append(error)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(len(quantities))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return granted, refused, errors


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_twenty_claims_of_one_unit_on_a_line_of_ten_claim_exactly_ten() -> None:
    offerers = [make_organisation(f"Org{n}") for n in range(THREADS)]
    line = make_line(quantity=10)

    granted, refused, errors = _claim_at_once(line, offerers, [1] * THREADS)

    assert errors == []
    assert (len(granted), len(refused)) == (10, 10)
    assert all(error.code == actions.OVER_CLAIMED for error in refused)
    line.refresh_from_db()
    assert line.claimed == 10
    active = Claim.objects.filter(line=line, state__in=Claim.ACTIVE)
    assert sum(claim.quantity for claim in active) == 10
    assert active.count() == 10


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_one_organisation_clicking_twenty_times_claims_exactly_ten() -> None:
    offerer = make_organisation("Vienīgā")
    line = make_line(quantity=10)

    granted, refused, errors = _claim_at_once(line, [offerer], [1] * THREADS)

    assert errors == []
    assert (len(granted), len(refused)) == (10, 10)
    line.refresh_from_db()
    assert line.claimed == 10


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_random_quantities_never_exceed_the_line() -> None:
    offerers = [make_organisation(f"Org{n}") for n in range(THREADS)]
    rng = random.Random(5)
    for _round in range(3):
        line = make_line(quantity=10)
        quantities = [rng.randint(1, 4) for _ in range(THREADS)]

        granted, refused, errors = _claim_at_once(line, offerers, quantities)

        assert errors == []
        assert len(granted) + len(refused) == THREADS
        line.refresh_from_db()
        active = Claim.objects.filter(line=line, state__in=Claim.ACTIVE)
        assert line.claimed == sum(granted) == sum(c.quantity for c in active) <= 10
        # Every refusal was right when it was made: what it asked exceeded what was left.
        assert line.remaining < 4 or not refused
