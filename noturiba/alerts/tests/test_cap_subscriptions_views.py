"""Coordinators add, pause, resume, poll and delete CAP subscriptions on their page."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from pytest_httpserver import HTTPServer

from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.alerts.tests.cap_support import storm_xml
from noturiba.audit.models import AuditEntry

URL = "/alerts/cap/subscriptions/"


def test_a_coordinator_adds_a_subscription(client_coordinator: Client, settings: Any) -> None:
    settings.CAP_POLL_MINIMUM_SECONDS = 60
    response = client_coordinator.post(
        URL, {"name": "LVĢMC", "url": "https://lvgmc.example/cap.atom", "poll_minutes": "5"}
    )

    assert response.status_code == 302
    subscription = CapSubscription.objects.get()
    assert subscription.poll_every == datetime.timedelta(minutes=5)
    assert subscription.is_active
    assert AuditEntry.objects.filter(object_type="alerts.capsubscription").exists()


def test_polling_more_often_than_the_minimum_is_refused(
    client_coordinator: Client, settings: Any, english: None
) -> None:
    settings.CAP_POLL_MINIMUM_SECONDS = 600
    response = client_coordinator.post(
        URL, {"name": "x", "url": "https://lvgmc.example/cap.atom", "poll_minutes": "5"}
    )

    assert response.status_code == 400
    assert "Poll at most every 600 seconds." in response.content.decode()
    assert not CapSubscription.objects.exists()


def test_a_non_http_address_is_refused(client_coordinator: Client) -> None:
    response = client_coordinator.post(
        URL, {"name": "x", "url": "ftp://lvgmc.example/cap.atom", "poll_minutes": "5"}
    )

    assert response.status_code == 400
    assert not CapSubscription.objects.exists()


def test_pause_resume_and_delete(client_coordinator: Client, db: None) -> None:
    subscription = CapSubscription.objects.create(name="x", url="https://lvgmc.example/a")
    active_url = reverse("alerts:subscription_active", args=[subscription.pk])

    client_coordinator.post(active_url, {"active": "0"})
    subscription.refresh_from_db()
    assert not subscription.is_active
    client_coordinator.post(active_url, {"active": "1"})
    subscription.refresh_from_db()
    assert subscription.is_active

    client_coordinator.post(reverse("alerts:subscription_delete", args=[subscription.pk]))
    assert not CapSubscription.objects.exists()


def test_poll_now_polls_and_the_page_shows_the_result(
    client_coordinator: Client,
    settings: Any,
    httpserver: HTTPServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    httpserver.expect_request("/one.xml").respond_with_data(
        storm_xml("one"), content_type="application/cap+xml"
    )
    httpserver.expect_request("/bad.xml").respond_with_data("nope", status=404)
    good = CapSubscription.objects.create(name="good", url=httpserver.url_for("/one.xml"))
    bad = CapSubscription.objects.create(name="bad", url=httpserver.url_for("/bad.xml"))

    with django_capture_on_commit_callbacks(execute=True):
        client_coordinator.post(reverse("alerts:subscription_poll", args=[good.pk]))
        client_coordinator.post(reverse("alerts:subscription_poll", args=[bad.pk]))

    assert ExternalAlert.objects.get().subscription == good
    page = client_coordinator.get(URL).content.decode()
    assert "HTTP 404" in page
