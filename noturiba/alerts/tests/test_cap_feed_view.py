"""GET /cap/feed.atom: the Atom feed of public Actual alerts, each linking to its CAP file."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from noturiba.accounts.models import User
from noturiba.alerts.actions import send_alert
from noturiba.alerts.feeds import FEED_SIZE
from noturiba.alerts.models import Alert
from noturiba.conftest import municipality
from noturiba.lib import cap
from noturiba.lib.cap.formats import format_datetime

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://noturiba.example.lv/"


@pytest.fixture(autouse=True)
def _public_url(settings: Any) -> None:
    settings.PUBLIC_URL = BASE_URL


def sent_alert(coordinator: User, headline: str, **fields: Any) -> Alert:
    alert = Alert.objects.create(
        sender="noturiba@noturiba.example",
        event="Plūdi",
        headline=headline,
        description=f"{headline}: apraksts",
        scope=fields.pop("scope", "Public"),
        created_by=coordinator,
        **fields,
    )
    alert.municipalities.set([municipality("LV-067")])
    send_alert(coordinator, alert=alert)
    return alert


def entries(response: Any) -> list[etree._Element]:
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_it_lists_public_actual_alerts_newest_first_with_cap_links(coordinator: User) -> None:
    older = sent_alert(coordinator, "Plūdi Ogrē")
    Alert.objects.filter(pk=older.pk).update(sent=timezone.now() - timedelta(hours=1))
    newer = sent_alert(coordinator, "Vētra Ogrē")

    response = Client().get("/cap/feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    root = etree.fromstring(response.content)
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    found = entries(response)
    assert [entry.findtext(f"{ATOM}title") for entry in found] == ["Vētra Ogrē", "Plūdi Ogrē"]
    first = found[0]
    cap_url = f"{BASE_URL}alerts/{newer.pk}/cap.xml"
    assert first.findtext(f"{ATOM}id") == cap_url
    assert first.findtext(f"{ATOM}summary") == "Vētra Ogrē: apraksts"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "noturiba@noturiba.example"
    assert newer.sent is not None
    assert first.findtext(f"{ATOM}updated") == format_datetime(newer.sent)
    link = first.find(f"{ATOM}link")
    assert link is not None
    assert (link.get("rel"), link.get("type"), link.get("href")) == (
        "alternate",
        "application/cap+xml",
        cap_url,
    )


def test_its_cap_links_download_anonymously_and_parse(coordinator: User) -> None:
    alert = sent_alert(coordinator, "Plūdi Ogrē")
    feed = Client().get("/cap/feed.atom").content

    links = cap.parse_feed(feed, base_url=BASE_URL).links

    assert links == (f"{BASE_URL}alerts/{alert.pk}/cap.xml",)
    response = Client().get(links[0].removeprefix(BASE_URL.rstrip("/")))
    assert response.status_code == 200
    assert cap.parse(response.content).identifier == alert.identifier


def test_it_includes_cancel_messages(coordinator: User) -> None:
    original = sent_alert(coordinator, "Plūdi Ogrē")
    sent_alert(coordinator, "Atcelts: plūdi Ogrē", msg_type="Cancel", references=original)

    titles = [entry.findtext(f"{ATOM}title") for entry in entries(Client().get("/cap/feed.atom"))]

    assert set(titles) == {"Plūdi Ogrē", "Atcelts: plūdi Ogrē"}


def test_it_never_lists_restricted_draft_test_exercise_or_expired_alerts(
    coordinator: User,
) -> None:
    sent_alert(coordinator, "Restricted", scope="Restricted")
    sent_alert(coordinator, "Test", status="Test")
    sent_alert(coordinator, "Exercise", status="Exercise")
    sent_alert(coordinator, "Draft status", status="Draft")
    Alert.objects.create(sender="s", event="e", headline="Unsent", scope="Public")
    now = timezone.now()
    sent_alert(coordinator, "Expired", effective=now - timedelta(days=2), expires=now)
    sent_alert(coordinator, "Shown")

    response = Client().get("/cap/feed.atom")

    titles = [entry.findtext(f"{ATOM}title") for entry in entries(response)]
    assert titles == ["Shown"]
    for hidden in ("Restricted", "Test", "Exercise", "Draft status", "Unsent", "Expired"):
        assert f"<title>{hidden}</title>".encode() not in response.content


def test_it_answers_not_modified_for_a_matching_etag(coordinator: User) -> None:
    sent_alert(coordinator, "Plūdi Ogrē")
    first = Client().get("/cap/feed.atom")

    again = Client().get("/cap/feed.atom", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304 and again.content == b""


def test_it_is_an_empty_valid_feed_without_public_alerts() -> None:
    response = Client().get(reverse("cap_feed"))

    assert response.status_code == 200
    assert entries(response) == []
    assert cap.parse_feed(response.content, base_url=BASE_URL).links == ()


def test_it_lists_at_most_a_hundred_alerts_in_one_query(
    coordinator: User, django_assert_num_queries: Any
) -> None:
    now = timezone.now().replace(microsecond=0)
    Alert.objects.bulk_create(
        Alert(
            sender="s",
            event="e",
            headline=f"Alert {number}",
            scope="Public",
            state=Alert.State.SENT,
            sent=now - timedelta(minutes=number),
        )
        for number in range(FEED_SIZE + 5)
    )
    client = Client()

    with django_assert_num_queries(1):
        response = client.get("/cap/feed.atom")

    found = entries(response)
    assert len(found) == FEED_SIZE
    assert found[0].findtext(f"{ATOM}title") == "Alert 0"
