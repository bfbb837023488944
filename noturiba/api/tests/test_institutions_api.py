"""``/api/v1/institutions``: state and municipal institutions the network works with."""

from __future__ import annotations

import pytest

from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Institution

NEW_INSTITUTION = {
    "name": "VUGD Zemgales reģiona brigāde",
    "kind": "fire_rescue",
    "municipalities": ["LV-054", "LV-JEL"],
    "phone": "+371 67 075 555",
    "email": "zemgale@vugd.example",
}


@pytest.mark.parametrize(
    "caller", ["api_coordinator", "api_admin_a", "api_member_a", "api_officer", "api_trainer"]
)
def test_it_lists_institutions_to_signed_in_callers(
    request: pytest.FixtureRequest, caller: str, ogre_commission: Institution
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    response = api.get("/institutions")

    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "id": ogre_commission.pk,
            "name": "Ogres novada civilās aizsardzības komisija",
            "kind": "municipality",
            "is_national": False,
            "municipalities": ["LV-067"],
            "email": "",
            "phone": "",
            "website": "",
            "address": "",
        }
    ]


def test_it_shows_one_institution(api_admin_b: ApiClient, ogre_commission: Institution) -> None:
    response = api_admin_b.get(f"/institutions/{ogre_commission.pk}")

    assert response.status_code == 200
    assert response.json()["municipalities"] == ["LV-067"]


def test_it_answers_a_missing_institution_with_404(
    api_coordinator: ApiClient, reference: None
) -> None:
    assert api_coordinator.get("/institutions/777").status_code == 404


def test_it_answers_anonymous_callers_with_401_and_no_institutions(
    api_anonymous: ApiClient, ogre_commission: Institution
) -> None:
    listed = api_anonymous.get("/institutions")
    one = api_anonymous.get(f"/institutions/{ogre_commission.pk}")

    assert listed.status_code == one.status_code == 401
    assert b"Ogres" not in listed.content + one.content


def test_it_lets_a_coordinator_add_an_institution(
    api_coordinator: ApiClient, reference: None
) -> None:
    response = api_coordinator.post("/institutions", NEW_INSTITUTION)

    assert response.status_code == 201, response.content
    assert sorted(response.json()["municipalities"]) == ["LV-054", "LV-JEL"]
    assert Institution.objects.get(pk=response.json()["id"]).kind == "fire_rescue"
    assert AuditEntry.objects.filter(object_type="network.institution", action="create").exists()


def test_it_refuses_an_unknown_kind_or_jurisdiction(
    api_coordinator: ApiClient, reference: None
) -> None:
    response = api_coordinator.post(
        "/institutions", {**NEW_INSTITUTION, "kind": "army", "municipalities": ["LV-000"]}
    )

    assert response.status_code == 422
    assert "kind" in error_of(response)["fields"]
    assert not Institution.objects.exists()


def test_it_reports_unknown_jurisdiction_codes(api_coordinator: ApiClient, reference: None) -> None:
    response = api_coordinator.post(
        "/institutions", {**NEW_INSTITUTION, "municipalities": ["LV-000"]}
    )

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["municipalities"]


@pytest.mark.parametrize("caller", ["api_admin_a", "api_officer", "api_trainer"])
def test_it_lets_no_one_but_coordinators_add_or_change_institutions(
    request: pytest.FixtureRequest, caller: str, ogre_commission: Institution
) -> None:
    api: ApiClient = request.getfixturevalue(caller)

    created = api.post("/institutions", NEW_INSTITUTION)
    changed = api.patch(f"/institutions/{ogre_commission.pk}", {"name": "Cits"})

    assert created.status_code == changed.status_code == 403
    assert Institution.objects.count() == 1
    ogre_commission.refresh_from_db()
    assert ogre_commission.name == "Ogres novada civilās aizsardzības komisija"


def test_it_lets_a_coordinator_change_the_jurisdiction(
    api_coordinator: ApiClient, ogre_commission: Institution
) -> None:
    response = api_coordinator.patch(
        f"/institutions/{ogre_commission.pk}", {"municipalities": ["LV-067", "LV-068"]}
    )

    assert response.status_code == 200
    assert sorted(response.json()["municipalities"]) == ["LV-067", "LV-068"]
    assert response.json()["name"] == "Ogres novada civilās aizsardzības komisija"
