"""An alert with deliveries and answers for the dashboard's tests (selectors, pages, browser)."""

from __future__ import annotations

from dataclasses import dataclass

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery, WebhookEndpoint
from noturiba.alerts.replies import Answer
from noturiba.network.models import Membership, Municipality, Organisation, Person


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


def person(name: str, *organisations: Organisation, phone: str = "") -> Person:
    someone = Person.objects.create(full_name=name, email=f"{name.lower()}@x.example", phone=phone)
    for organisation in organisations:
        Membership.objects.create(person=someone, organisation=organisation)
    return someone


def make_scene(org_a: Organisation, org_b: Organisation, author: User | None) -> Scene:
    """An alert to Ogre and Liepāja: org A (Ogre), org B (Liepāja), an Ogre organisation
    without a seat recorded, and people in one, both or the seatless one."""
    seatless = Organisation.objects.create(name="Bez adreses")
    seatless.municipalities.set([Municipality.objects.get(code="LV-067")])
    alert = Alert.objects.create(
        sender="s",
        event="Plūdi",
        headline="Plūdi Ogrē un Liepājā",
        created_by=author,
        state="sending",
    )
    alert.municipalities.set(Municipality.objects.filter(code__in=["LV-067", "LV-LPX"]))
    people = {
        "anna": person("Anna", org_a, phone="+37121000001"),
        "berta": person("Berta", org_a, org_b, phone="+37121000002"),
        "cilda": person("Cilda", org_b, phone="+37121000003"),
        "dace": person("Dace", seatless),
        "elza": person("Elza", org_a, phone="+37121000005"),
        "frida": person("Frida", org_b, phone="+37121000006"),
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
