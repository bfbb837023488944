"""The dashboard's reads: counts, the table by municipality, the unreached and who needs help.

Each is a fixed number of aggregated queries, whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from noturiba.accounts import policy
from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.alerts.replies import Answer
from noturiba.alerts.selectors import (
    alerts_with_counts,
    dashboard_counts,
    describe_unreached,
    organisation_names,
    people_needing_help,
    progress_by_municipality,
    unreached_people,
)
from noturiba.alerts.tests.dashboard_support import Scene, answer, deliver, make_scene, person
from noturiba.network.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


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
    page = list(unreached_people(scene.alert))
    assert [row.full_name for row in page] == ["Cilda", "Frida", "Dace", "Elza"]
    rows: list[Any] = describe_unreached(scene.alert, page)  # annotated
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
    names = organisation_names(scene.alert, [row.person_id for row in rows])
    assert names[scene.people["berta"].pk] == "Liepājas Jauniešu centrs"  # first by name


def test_organisations_outside_the_audience_are_not_named(
    scene: Scene, org_a: Organisation
) -> None:
    scene.alert.audience = {"roles": [Membership.Role.ADMIN]}
    scene.alert.save(update_fields=["audience"])
    Membership.objects.filter(person=scene.people["anna"]).update(role=Membership.Role.ADMIN)
    names = organisation_names(scene.alert, [p.pk for p in scene.people.values()])
    assert names == {scene.people["anna"].pk: org_a.name}


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
            (
                "unreached",
                lambda: describe_unreached(scene.alert, list(unreached_people(scene.alert)[:25])),
            ),
            ("help", lambda: [row.person.full_name for row in people_needing_help(scene.alert)]),
        ]:
            with CaptureQueriesContext(connection) as captured:
                read()
            counted[name] = len(captured)
        return counted

    before = queries()
    add_people(scene.alert, org_a, 30)
    assert queries() == before
    assert before == {"counts": 3, "table": 3, "unreached": 4, "help": 1}


def test_the_alerts_list_counts_without_a_query_per_alert(
    scene: Scene,
    coordinator: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for _ in range(5):
        Alert.objects.create(sender="s", event="e", headline="more")
    policy.roles_of(coordinator)  # read once per request, before the list
    with django_assert_num_queries(1):
        alerts: list[Any] = list(alerts_with_counts(coordinator)[:25])  # annotated
    assert len(alerts) == 6
    counted = {alert.pk: (alert.acknowledged_count, alert.delivery_count) for alert in alerts}
    assert counted[scene.alert.pk] == (2, 9)
    assert [alert.pk for alert in alerts_with_counts(coordinator, state="sending")] == [
        scene.alert.pk
    ]
