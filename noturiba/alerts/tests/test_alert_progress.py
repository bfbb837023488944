"""Who may follow an alert, and its counts by delivery state, channel and answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.selectors import alert_progress, get_alert_for_user
from noturiba.network.models import Municipality, Person

pytestmark = pytest.mark.django_db


def alert_in(code: str, created_by: User | None = None) -> Alert:
    alert = Alert.objects.create(sender="s", event="e", headline="h", created_by=created_by)
    alert.municipalities.set([Municipality.objects.get(code=code)])
    return alert


def test_the_author_coordinators_and_officers_of_the_area_see_an_alert(
    coordinator: User, officer: User, admin_a: User, admin_b: User
) -> None:
    ogre = alert_in("LV-067")
    liepaja = alert_in("LV-LPX", created_by=admin_b)
    assert get_alert_for_user(coordinator, liepaja.pk) == liepaja
    assert get_alert_for_user(officer, ogre.pk) == ogre
    assert get_alert_for_user(admin_b, liepaja.pk) == liepaja
    for actor, alert in [(officer, liepaja), (admin_a, ogre), (admin_a, liepaja)]:
        with pytest.raises(Http404):
            get_alert_for_user(actor, alert.pk)


def test_it_counts_deliveries_by_state_and_channel_and_answers(
    admin_a: User,
    member_a: User,
    admin_b: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    alert = alert_in("LV-067")
    people = list(Person.objects.order_by("pk"))
    for person, channel, state in zip(
        people, ["email", "email", "sms"], ["sent", "failed", "delivered"], strict=True
    ):
        Delivery.objects.create(
            alert=alert,
            person=person,
            channel=channel,
            address="a",
            state=state,
            idempotency_key=f"k{person.pk}",
        )
    Acknowledgement.objects.create(alert=alert, person=people[0], answer=Answer.SAFE, via="link")
    Acknowledgement.objects.create(alert=alert, person=people[2], answer=Answer.SAFE, via="sms")

    with django_assert_num_queries(2):
        progress = alert_progress(alert)

    assert progress.deliveries == 3
    assert progress.by_state == {"sent": 1, "failed": 1, "delivered": 1}
    assert progress.by_channel == {"email": {"sent": 1, "failed": 1}, "sms": {"delivered": 1}}
    assert progress.by_answer == {"safe": 2} and progress.acknowledged == 2
