"""Every role on every shelter page and endpoint, for a public shelter run by org A in Ogre
and a hidden one run by org B in Liepāja."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for
from noturiba.conftest import client_for
from noturiba.shelters.models import Shelter

ROLES = ("anonymous", "coordinator", "officer", "admin_a", "member_a", "admin_b", "trainer")

# (role) → expected status for: detail, update page, edit page, on (ogre public, liepaja hidden)
EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    #               ogre  liepaja
    "anonymous": {
        "detail": (200, 404),
        "update": (302, 302),
        "edit": (302, 302),
        "api": (200, 404),
    },
    "coordinator": {
        "detail": (200, 200),
        "update": (200, 200),
        "edit": (200, 200),
        "api": (200, 200),
    },
    "officer": {"detail": (200, 404), "update": (200, 404), "edit": (200, 404), "api": (200, 404)},
    "admin_a": {"detail": (200, 404), "update": (200, 404), "edit": (403, 404), "api": (200, 404)},
    "member_a": {"detail": (200, 404), "update": (200, 404), "edit": (403, 404), "api": (200, 404)},
    "admin_b": {"detail": (200, 200), "update": (403, 200), "edit": (403, 403), "api": (200, 200)},
    "trainer": {"detail": (200, 404), "update": (403, 404), "edit": (403, 404), "api": (200, 404)},
}
# POST /api/v1/shelters/{id}/occupancy
EXPECTED_OCCUPANCY: dict[str, tuple[int, int]] = {
    "anonymous": (401, 401),
    "coordinator": (200, 200),
    "officer": (200, 404),
    "admin_a": (200, 404),
    "member_a": (200, 404),
    "admin_b": (403, 200),
    "trainer": (403, 404),
}
ADD = {"anonymous": 302, "coordinator": 200, "officer": 200}


def _user(request: pytest.FixtureRequest, role: str) -> User | None:
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_pages(
    request: pytest.FixtureRequest, role: str, ogre_shelter: Shelter, liepaja_hidden: Shelter
) -> None:
    user = _user(request, role)
    client = client_for(user) if user is not None else Client()
    for page, (ogre, liepaja) in EXPECTED[role].items():
        if page == "api":
            continue
        for shelter, expected in ((ogre_shelter, ogre), (liepaja_hidden, liepaja)):
            response = client.get(reverse(f"shelters:{page}", args=[shelter.pk]))
            assert response.status_code == expected, (role, page, shelter.name)
            if expected in (403, 404):
                assert shelter.name not in response.content.decode()
    assert client.get(reverse("shelters:public")).status_code == 200
    assert client.get(reverse("shelters:manage")).status_code == (302 if user is None else 200)
    assert client.get(reverse("shelters:add")).status_code == ADD.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
def test_api(
    request: pytest.FixtureRequest, role: str, ogre_shelter: Shelter, liepaja_hidden: Shelter
) -> None:
    user = _user(request, role)
    api = api_for(user) if user is not None else ApiClient()
    ogre, liepaja = EXPECTED[role]["api"]
    assert api.get(f"/shelters/{ogre_shelter.pk}").status_code == ogre
    assert api.get(f"/shelters/{liepaja_hidden.pk}").status_code == liepaja
    listed = {item["id"] for item in api.get("/shelters").json()["items"]}
    assert (liepaja_hidden.pk in listed) == (liepaja == 200)
    body = {"status": "open", "occupancy": 3}
    for shelter, expected in zip(
        (ogre_shelter, liepaja_hidden), EXPECTED_OCCUPANCY[role], strict=True
    ):
        response = api.post(f"/shelters/{shelter.pk}/occupancy", body)
        assert response.status_code == expected, (role, shelter.name)
