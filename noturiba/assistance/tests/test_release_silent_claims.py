"""Claims silent too long are released, transfer requests unanswered too long approved, by the
task worker; running it twice (or in two workers) acts once."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, TransferRequest
from noturiba.assistance.tasks import SilenceScheduler
from noturiba.assistance.tests.claims_support import Mailbox, mailbox, make_line
from noturiba.audit.models import AuditEntry
from noturiba.conftest import needs_row_locks
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]


def claim_of_a(admin_a: User, org_a: Organisation, officer: User, quantity: int = 4) -> Claim:
    line = make_line(created_by=officer)
    offer = actions.offer_line_part(
        admin_a, line=line, organisation=org_a, quantity=Decimal(quantity)
    )
    return Claim.objects.get(offer=offer)


def hours_later(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


def test_a_silent_claim_is_released_once_and_everyone_told(
    admin_a: User,
    org_a: Organisation,
    officer: User,
    settings: Any,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.ASSISTANCE_CLAIM_SILENCE_HOURS = 48
    claim = claim_of_a(admin_a, org_a, officer)

    assert actions.release_silent_claims(now=hours_later(47)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.release_silent_claims(now=hours_later(49)) == (1, 0)
    assert actions.release_silent_claims(now=hours_later(50)) == (0, 0)

    claim.refresh_from_db()
    claim.line.refresh_from_db()
    assert (claim.state, claim.line.claimed) == ("released", 0)
    update = claim.updates.get(state="released")
    assert update.automatic and update.author is None
    assert AuditEntry.objects.filter(
        object_type="assistance.claim", object_id=str(claim.pk), actor_label="system"
    ).exists()
    assert sorted(str(m["To"]) for m in mailbox.messages()) == [
        "admin.a@noturiba.example",
        "kontakts@ogre.example",
    ]


def test_an_update_resets_the_silence(
    admin_a: User, org_a: Organisation, officer: User, settings: Any
) -> None:
    settings.ASSISTANCE_CLAIM_SILENCE_HOURS = 48
    claim = claim_of_a(admin_a, org_a, officer)
    Claim.objects.filter(pk=claim.pk).update(last_activity_at=hours_later(-40))

    actions.update_claim(admin_a, claim=claim, state="under_way")

    assert actions.release_silent_claims(now=hours_later(20)) == (0, 0)
    assert actions.release_silent_claims(now=hours_later(49)) == (1, 0)


def test_done_claims_are_never_released(admin_a: User, org_a: Organisation, officer: User) -> None:
    claim = claim_of_a(admin_a, org_a, officer)
    actions.update_claim(admin_a, claim=claim, state="done")

    assert actions.release_silent_claims(now=hours_later(1000)) == (0, 0)


def test_an_unanswered_transfer_is_approved_before_the_claim_is_released(
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
    settings: Any,
) -> None:
    settings.ASSISTANCE_TRANSFER_SILENCE_HOURS = 24
    settings.ASSISTANCE_CLAIM_SILENCE_HOURS = 48
    claim = claim_of_a(admin_a, org_a, officer)
    transfer = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    assert actions.release_silent_claims(now=hours_later(23)) == (0, 0)
    assert actions.release_silent_claims(now=hours_later(25)) == (0, 1)

    transfer.refresh_from_db()
    claim.refresh_from_db()
    assert (transfer.state, claim.state) == (TransferRequest.State.AUTO_APPROVED, "transferred")
    new = Claim.objects.get(transferred_from=claim)
    assert (new.organisation, new.state, new.quantity) == (org_b, "claimed", 4)
    claim.line.refresh_from_db()
    assert claim.line.claimed == 4


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_releases_a_silent_claim_once(
    admin_a: User, org_a: Organisation, officer: User, settings: Any
) -> None:
    settings.ASSISTANCE_CLAIM_SILENCE_HOURS = 1
    claim = claim_of_a(admin_a, org_a, officer)
    Claim.objects.filter(pk=claim.pk).update(last_activity_at=hours_later(-2))
    scheduler = SilenceScheduler(interval=0.05)

    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        while Claim.objects.get(pk=claim.pk).state != "released" and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # a few more rounds: none may act again
    finally:
        scheduler.stopped.set()
        scheduler.join()

    assert Claim.objects.get(pk=claim.pk).state == "released"
    assert claim.updates.filter(state="released").count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_release_each_claim_once(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claims = [claim_of_a(admin_a, org_a, officer, quantity=1) for _ in range(5)]
    transferred = claims.pop()
    actions.request_transfer(admin_b, claim=transferred, to_organisation=org_b)
    later = hours_later(1000)
    barrier = threading.Barrier(2)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(actions.release_silent_claims(now=later))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # The four silent claims and the claim handed over (silent itself, after the transfer).
    assert sum(released for released, _ in results) == 5
    assert sum(moved for _, moved in results) == 1
    for claim in claims:
        assert claim.updates.filter(state="released").count() == 1
    assert Claim.objects.filter(transferred_from=transferred).count() == 1
