"""Alert templates and saved lists in the admin site: coordinators manage them (audited); the
built-in templates can be edited but not deleted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import AlertTemplate, SavedList
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_coordinator_lists_and_edits_a_builtin_template(client_coordinator: Client) -> None:
    template = AlertTemplate.objects.get(key="stand-down")
    assert (
        client_coordinator.get(reverse("admin:alerts_alerttemplate_changelist")).status_code == 200
    )
    url = reverse("admin:alerts_alerttemplate_change", args=[template.pk])
    page = client_coordinator.get(url)
    assert page.status_code == 200 and "Gatavība atcelta" in page.content.decode()
    data = {
        field: getattr(template, field)
        for field in [
            "key",
            "name",
            "name_en",
            "msg_type",
            "category",
            "event",
            "urgency",
            "severity",
            "certainty",
            "headline",
            "description",
            "instruction",
            "headline_en",
            "description_en",
            "instruction_en",
        ]
    }
    response = client_coordinator.post(url, {**data, "headline": "Gatavība beigusies"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.headline == "Gatavība beigusies" and template.is_builtin
    entry = AuditEntry.objects.get(object_type="alerts.alerttemplate")
    assert entry.changes["headline"] == ["Gatavība atcelta", "Gatavība beigusies"]


def test_a_builtin_template_cannot_be_deleted(client_coordinator: Client) -> None:
    template = AlertTemplate.objects.get(key="stand-down")
    url = reverse("admin:alerts_alerttemplate_delete", args=[template.pk])
    assert client_coordinator.post(url, {"post": "yes"}).status_code == 403
    assert AlertTemplate.objects.filter(pk=template.pk).exists()


def test_an_own_template_can_be_deleted(client_coordinator: Client, coordinator: User) -> None:
    template = AlertTemplate.objects.create(key="mine", name="Mana", event="E", headline="H")
    url = reverse("admin:alerts_alerttemplate_delete", args=[template.pk])
    assert client_coordinator.post(url, {"post": "yes"}).status_code == 302
    assert not AlertTemplate.objects.filter(pk=template.pk).exists()


def test_saved_lists_are_in_the_admin(client_coordinator: Client, coordinator: User) -> None:
    SavedList.objects.create(name="Sargi", created_by=coordinator)
    page = client_coordinator.get(reverse("admin:alerts_savedlist_changelist"))
    assert page.status_code == 200 and "Sargi" in page.content.decode()


@pytest.mark.parametrize("who", ["officer", "admin_a", "trainer"])
def test_others_are_kept_out(who: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(who))
    for name in ["admin:alerts_alerttemplate_changelist", "admin:alerts_savedlist_changelist"]:
        assert client.get(reverse(name)).status_code in {302, 403}
