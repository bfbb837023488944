"""Editing a draft: update_alert (drafts only, same rules as writing, audited) and its page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert, send_alert, update_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.alerts.tests.compose_support import form_data, liepaja_id
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db

DATA: dict[str, Any] = {"status": "Exercise", "event": "Plūdi", "headline": "Plūdi Ogrē"}


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def draft(author: User) -> Alert:
    return create_alert(author, data=DATA, municipalities=[place("LV-067")])


def test_it_changes_a_draft_and_audits_what_changed(coordinator: User) -> None:
    alert = draft(coordinator)
    update_alert(
        coordinator,
        alert=alert,
        data={
            **DATA,
            "headline": "Plūdi Ogrē un Ķegumā",
            "escalate_after": datetime.timedelta(minutes=5),
        },
        municipalities=[place("LV-067"), place("LV-LPX")],
        audience=AudienceFilters(roles=frozenset({"admin"})),
    )
    alert.refresh_from_db()
    assert alert.headline == "Plūdi Ogrē un Ķegumā"
    assert alert.escalate_after == datetime.timedelta(minutes=5)
    assert alert.audience["roles"] == ["admin"]
    entry = AuditEntry.objects.filter(object_id=str(alert.pk), action="update").get()
    assert entry.changes["headline"] == ["Plūdi Ogrē", "Plūdi Ogrē un Ķegumā"]
    assert entry.changes["escalate_after"] == [None, 300.0]
    assert entry.changes["area"] == [["LV-067"], ["LV-067", "LV-LPX"]]


def test_a_sent_alert_does_not_change(coordinator: User) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    with pytest.raises(ValidationError):
        update_alert(coordinator, alert=alert, data={**DATA, "headline": "Cits"})
    alert.refresh_from_db()
    assert alert.headline == "Plūdi Ogrē"


def test_an_officer_keeps_to_the_jurisdiction(officer: User, coordinator: User) -> None:
    alert = draft(officer)
    with pytest.raises(PermissionDenied):
        update_alert(officer, alert=alert, data=DATA, municipalities=[place("LV-LPX")])
    with pytest.raises(PermissionDenied):
        update_alert(officer, alert=draft(coordinator), data=DATA, municipalities=[])


def test_the_edit_page_saves_and_returns_to_review(
    client_coordinator: Client, coordinator: User
) -> None:
    alert = draft(coordinator)
    url = reverse("alerts:edit", args=[alert.pk])
    assert url == f"/alerts/{alert.pk}/edit/"
    page = client_coordinator.get(url)
    assert page.status_code == 200 and "Plūdi Ogrē" in page.content.decode()
    response = client_coordinator.post(
        url, form_data(headline="Jauns virsraksts", municipalities=[liepaja_id()])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:review", args=[alert.pk])
    alert.refresh_from_db()
    assert alert.headline == "Jauns virsraksts"
    assert list(alert.municipalities.values_list("pk", flat=True)) == [liepaja_id()]


def test_the_edit_page_shows_errors(client_coordinator: Client, coordinator: User) -> None:
    alert = draft(coordinator)
    response = client_coordinator.post(
        reverse("alerts:edit", args=[alert.pk]), form_data(headline="")
    )
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.headline == "Plūdi Ogrē"


def test_a_sent_alert_is_not_edited_from_the_page(
    client_coordinator: Client, coordinator: User
) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    response = client_coordinator.post(
        reverse("alerts:edit", args=[alert.pk]), form_data(headline="Cits")
    )
    assert response["Location"] == reverse("alerts:review", args=[alert.pk])
    alert.refresh_from_db()
    assert alert.headline == "Plūdi Ogrē"


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_outsiders_get_404(who: str, coordinator: User, request: Any) -> None:
    alert = draft(coordinator)
    client = client_for(request.getfixturevalue(who))
    url = reverse("alerts:edit", args=[alert.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(headline="Cits")).status_code == 404
    alert.refresh_from_db()
    assert alert.headline == "Plūdi Ogrē"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, coordinator: User) -> None:
    response = client.get(reverse("alerts:edit", args=[draft(coordinator).pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
