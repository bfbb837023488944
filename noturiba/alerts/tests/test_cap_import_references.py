"""import_cap links Updates and Cancels to the alerts they reference, in either arrival order."""

from __future__ import annotations

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import import_cap
from noturiba.alerts.models import ExternalAlert
from noturiba.alerts.tests.cap_support import followup, storm
from noturiba.lib import cap

UPLOAD = ExternalAlert.Source.UPLOAD


def receive(actor: User, alert: cap.Alert) -> ExternalAlert:
    return import_cap(actor, data=cap.to_xml(alert), source=UPLOAD).alert


def test_an_update_after_its_original_is_linked(coordinator: User) -> None:
    original = storm()
    stored = receive(coordinator, original)

    update = receive(coordinator, followup(original, "update-1", cap.MsgType.UPDATE))

    assert list(update.references.all()) == [stored]
    assert update.references_text == ""
    assert list(stored.followups.all()) == [update]
    stored.refresh_from_db()
    assert not stored.cancelled


def test_an_update_before_its_original_is_linked_when_the_original_arrives(
    coordinator: User,
) -> None:
    original = storm()
    update = receive(coordinator, followup(original, "update-1", cap.MsgType.UPDATE))
    assert not update.references.exists()
    assert update.references_text.startswith("bridinajumi@lvgmc.example,lvgmc-storm-1,")

    stored = receive(coordinator, original)

    update.refresh_from_db()
    assert list(update.references.all()) == [stored]
    assert update.references_text == ""


def test_a_cancel_marks_the_original_cancelled(coordinator: User) -> None:
    original = storm()
    stored = receive(coordinator, original)

    cancel = receive(coordinator, followup(original, "cancel-1", cap.MsgType.CANCEL))

    stored.refresh_from_db()
    assert stored.cancelled
    assert list(cancel.references.all()) == [stored]
    assert not cancel.cancelled


def test_a_cancel_before_its_original_cancels_it_on_arrival(coordinator: User) -> None:
    original = storm()
    receive(coordinator, followup(original, "cancel-1", cap.MsgType.CANCEL))

    stored = receive(coordinator, original)

    stored.refresh_from_db()
    assert stored.cancelled
    assert stored.followups.get().identifier == "cancel-1"


def test_only_the_known_references_are_linked_the_rest_kept(coordinator: User) -> None:
    first, second = storm("first"), storm("second")
    stored_first = receive(coordinator, first)
    update = cap.Alert(
        **{
            **followup(first, "update-both", cap.MsgType.UPDATE).__dict__,
            "references": (first.as_reference(), second.as_reference()),
        }
    )

    stored_update = receive(coordinator, update)

    assert list(stored_update.references.all()) == [stored_first]
    assert ",second," in stored_update.references_text
    assert ",first," not in stored_update.references_text
    stored_second = receive(coordinator, second)
    stored_update.refresh_from_db()
    assert set(stored_update.references.all()) == {stored_first, stored_second}
    assert stored_update.references_text == ""


def test_a_cancel_from_another_sender_links_but_does_not_cancel(coordinator: User) -> None:
    original = storm()
    stored = receive(coordinator, original)
    forged = cap.Alert(
        **{
            **followup(original, "cancel-x", cap.MsgType.CANCEL).__dict__,
            "sender": "someone@else.example",
        }
    )

    cancel = receive(coordinator, forged)

    stored.refresh_from_db()
    assert list(cancel.references.all()) == [stored]
    assert not stored.cancelled
