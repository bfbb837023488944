"""The dashboard's reads: counts, the table by municipality, the unreached and who needs help.

Each is a fixed number of aggregated queries, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery, WebhookEndpoint
from noturiba.alerts.replies import Answer
from noturiba.alerts.selectors import (
    alerts_with_counts,
    dashboard_counts,
    people_needing_help,
    progress_by_municipality,
    unreached_people,
)
from noturiba.network.models import Membership, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    alert: Alert
    people: dict[str, Person]


def deliver(alert: Alert, person: Person, channel: str, state: str, error: str = "") -> Delivery:
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel=channel,
        address=f"{person.pk}@{channel}",
        state=state,
        last_error=error,
        idempotency_key=f"{alert.pk}-{person.pk}-{channel}",
    )


def answer(alert: Alert, person: Person, kind: str, note: str = "") -> Acknowledgement:
    delivery = Delivery.objects.filter(alert=alert, person=person).first()
    return Acknowledgement.objects.create(
        alert=alert, person=person, answer=kind, note=note, via="link", delivery=delivery
    )


def person(name: str, *organisations: Organisation) -> Person:
    someone = Person.objects.create(full_name=name, email=f"{name.lower()}@x.example")
    for organisation in organisations:
        Membership.objects.create(person=someone, organisation=organisation)
    return someone


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    """An alert to Ogre and Liepāja: org A (Ogre), org B (Liepāja), an Ogre organisation
    without a seat recorded, and people in one, both or the seatless one."""
    seatless = Organisation.objects.create(name="Bez adreses")
    seatless.municipalities.set([Municipality.objects.get(code="LV-067")])
    alert = Alert.objects.create(
        sender="s", event="e", headline="Plūdi", created_by=coordinator, state="sending"
    )
    alert.municipalities.set(Municipality.objects.filter(code__in=["LV-067", "LV-LPX"]))
    people = {
        "anna": person("Anna", org_a),
        "berta": person("Berta", org_a, org_b),
        "cilda": person("Cilda", org_b),
        "dace": person("Dace", seatless),
        "elza": person("Elza", org_a),
        "frida": person("Frida", org_b),
    }
    deliver(alert, people["anna"], "email", "sent")
    deliver(alert, people["berta"], "email", "delivered")
    deliver(alert, people["cilda"], "sms", "failed", "Numurs neeksistē")
    deliver(alert, people["dace"], "email", "queued")
    deliver(alert, people["elza"], "email", "failed", "550 no such user")
    deliver(alert, people["elza"], "sms", "sent")
    deliver(alert, people["frida"], "email", "failed", "550 no such user")
    deliver(alert, people["frida"], "sms", "failed", "gateway said no")
    endpoint = WebhookEndpoint.objects.create(name="Sistēma", url="https://example.lv/hook")
    Delivery.objects.create(
        alert=alert,
        endpoint=endpoint,
        channel="webhook",
        recipient="system",
        address=endpoint.url,
        state="sent",
        idempotency_key=f"{alert.pk}-hook",
    )
    answer(alert, people["anna"], Answer.SAFE)
    answer(alert, people["berta"], Answer.NEED_HELP, "Pagrabs applūdis")
    return Scene(alert=alert, people=people)


def test_it_counts_people_answers_failures_and_deliveries_by_channel(scene: Scene) -> None:
    counts = dashboard_counts(scene.alert)
    assert counts.people == 6
    assert counts.by_answer == {"safe": 1, "need_help": 1, "available": 0}
    assert counts.answered == 2
    assert counts.unanswered == 4
    assert counts.failed == 2  # Cilda and Frida; Elza's SMS went out
    assert counts.deliveries == 9
    channels = {channel.channel: channel for channel in counts.channels}
    assert channels["email"].by_state == {"sent": 1, "delivered": 1, "queued": 1, "failed": 2}
    assert channels["email"].acknowledged == 2
    assert channels["sms"].by_state == {"failed": 2, "sent": 1}
    assert channels["sms"].acknowledged == 0
    assert channels["webhook"].by_state == {"sent": 1}
    assert counts.percent == 33


def test_an_alert_without_deliveries_counts_zero(coordinator: User, reference: None) -> None:
    alert = Alert.objects.create(sender="s", event="e", headline="h")
    counts = dashboard_counts(alert)
    assert (counts.people, counts.answered, counts.deliveries, counts.percent) == (0, 0, 0, 0)
    assert [channel.channel for channel in counts.channels] == ["email", "sms", "webhook"]
    assert progress_by_municipality(alert) == []
    assert list(unreached_people(alert)) == []


def test_the_table_counts_each_person_once_in_each_seat_municipality(scene: Scene) -> None:
    rows = {row.name: row for row in progress_by_municipality(scene.alert)}
    assert set(rows) == {"Ogres novads", "Liepāja", ""}
    ogre, liepaja, unplaced = rows["Ogres novads"], rows["Liepāja"], rows[""]
    # Ogre: Anna, Berta, Elza; Liepāja: Berta, Cilda, Frida; no seat: Dace.
    assert (ogre.people, ogre.safe, ogre.need_help, ogre.available, ogre.failed) == (3, 1, 1, 0, 0)
    assert (liepaja.people, liepaja.safe, liepaja.need_help, liepaja.failed) == (3, 0, 1, 2)
    assert (unplaced.people, unplaced.unanswered, unplaced.municipality_id) == (1, 1, None)
    assert ogre.latitude is not None and liepaja.longitude is not None
    assert ogre.unanswered == 1


def test_the_table_follows_the_audience_roles(scene: Scene, org_a: Organisation) -> None:
    Membership.objects.filter(person=scene.people["anna"]).update(role=Membership.Role.ADMIN)
    scene.alert.audience = {"roles": [Membership.Role.ADMIN]}
    scene.alert.save(update_fields=["audience"])
    rows = {row.name: row.people for row in progress_by_municipality(scene.alert)}
    # Only Anna is an admin in an audience organisation; the others have no place.
    assert rows == {"Ogres novads": 1, "": 5}


def test_municipality_names_follow_the_language(scene: Scene, english: None) -> None:
    names = [row.name for row in progress_by_municipality(scene.alert)]
    assert names == ["Liepāja", "Ogre Municipality", ""]


def test_the_unreached_are_those_without_an_answer_failed_first(scene: Scene) -> None:
    rows = list(unreached_people(scene.alert))
    assert [row.full_name for row in rows] == ["Cilda", "Frida", "Dace", "Elza"]
    cilda, frida, dace, elza = rows
    assert (cilda.all_failed, cilda.last_error) == (True, "Numurs neeksistē")
    assert frida.all_failed and frida.last_error == "gateway said no"  # the latest failure
    assert not dace.all_failed and not elza.all_failed
    assert cilda.organisation_name == "Liepājas Jauniešu centrs"
    assert dace.organisation_name == "Bez adreses"


def test_those_needing_help_come_with_a_note_first(scene: Scene) -> None:
    answer(scene.alert, scene.people["cilda"], Answer.NEED_HELP)
    rows = list(people_needing_help(scene.alert))
    assert [row.person.full_name for row in rows] == ["Berta", "Cilda"]
    assert rows[0].note == "Pagrabs applūdis"
    assert rows[0].organisation_name == "Liepājas Jauniešu centrs"  # first by name


def add_people(alert: Alert, organisation: Organisation, how_many: int) -> None:
    for number in range(how_many):
        someone = person(f"Extra{number}", organisation)
        deliver(alert, someone, "email", ["sent", "failed", "queued"][number % 3])
        if number % 2:
            answer(alert, someone, Answer.AVAILABLE)


def test_the_reads_ask_the_database_a_fixed_number_of_times(
    scene: Scene, org_a: Organisation
) -> None:
    def queries() -> dict[str, int]:
        counted: dict[str, int] = {}
        for name, read in [
            ("counts", lambda: dashboard_counts(scene.alert)),
            ("table", lambda: progress_by_municipality(scene.alert)),
            ("unreached", lambda: list(unreached_people(scene.alert)[:25])),
            ("help", lambda: [row.person.full_name for row in people_needing_help(scene.alert)]),
        ]:
            with CaptureQueriesContext(connection) as captured:
                read()
            counted[name] = len(captured)
        return counted

    before = queries()
    add_people(scene.alert, org_a, 30)
    assert queries() == before
    assert before == {"counts": 3, "table": 3, "unreached": 2, "help": 2}


def test_the_alerts_list_counts_without_a_query_per_alert(
    scene: Scene,
    coordinator: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for _ in range(5):
        Alert.objects.create(sender="s", event="e", headline="more")
    policy.roles_of(coordinator)  # read once per request, before the list
    with django_assert_num_queries(1):
        alerts = list(alerts_with_counts(coordinator)[:25])
    assert len(alerts) == 6
    counted = {alert.pk: (alert.acknowledged_count, alert.delivery_count) for alert in alerts}
    assert counted[scene.alert.pk] == (2, 9)
    assert [alert.pk for alert in alerts_with_counts(coordinator, state="sending")] == [
        scene.alert.pk
    ]
