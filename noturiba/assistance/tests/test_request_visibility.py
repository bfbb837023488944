"""Who sees and manages which request, on every page and endpoint of the request area.

Officers see their jurisdiction's requests; organisation people see the open requests offered
to the whole network, those their organisation was invited to and those it claimed; outsiders
get a 404 and no data; anonymous visitors are sent to sign in (pages) or get a 401 (API).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest, Claim, Invitation, Offer, RequestLine
from noturiba.assistance.tests.requests_data import make_request
from noturiba.conftest import client_for, make_user
from noturiba.network.models import CapabilityType, Institution, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db

ROLES = (
    "coordinator",
    "officer",
    "officer_elsewhere",
    "admin_a",
    "member_a",
    "admin_b",
    "trainer",
    "anonymous",
)

# What each role sees (titles of the ``world`` fixture's requests).
VISIBLE = {
    "coordinator": {"ogre_open", "ogre_private", "riga_invited", "liepaja_claimed", "riga_closed"},
    "officer": {"ogre_open", "ogre_private"},
    "officer_elsewhere": {"liepaja_claimed"},
    "admin_a": {"ogre_open", "riga_invited"},
    "member_a": {"ogre_open", "riga_invited"},
    "admin_b": {"ogre_open", "liepaja_claimed"},
    "trainer": set(),
    "anonymous": set(),
}
# What each role manages (edit, close, cancel).
MANAGED = {
    "coordinator": VISIBLE["coordinator"],
    "officer": {"ogre_open", "ogre_private"},
    "officer_elsewhere": {"liepaja_claimed"},
}
POSTERS = {"coordinator", "officer", "officer_elsewhere"}
ALL = VISIBLE["coordinator"]


@pytest.fixture
def officer_elsewhere(reference: None) -> User:
    institution = Institution.objects.create(
        name="Liepājas civilās aizsardzības komisija", kind=Institution.Kind.MUNICIPALITY
    )
    institution.municipalities.set([Municipality.objects.get(code="LV-LPX")])
    user = make_user("officer@liepaja.example", full_name="Pēteris Kalns")
    Person.objects.create(
        full_name=user.full_name, email=user.email, user=user, institution=institution
    )
    return user


@pytest.fixture
def world(
    coordinator: User,
    officer: User,
    officer_elsewhere: User,
    admin_a: User,
    member_a: User,
    admin_b: User,
    trainer: User,
    org_a: Organisation,
    org_b: Organisation,
) -> dict[str, AssistanceRequest]:
    later = timezone.now() + datetime.timedelta(hours=5)
    requests = {
        "ogre_open": make_request(title="ogre_open", created_by=coordinator, deadline=later),
        "ogre_private": make_request(
            title="ogre_private", offered_to_network=False, created_by=coordinator
        ),
        "riga_invited": make_request(
            title="riga_invited", municipality="LV-RIX", offered_to_network=False
        ),
        "liepaja_claimed": make_request(
            title="liepaja_claimed", municipality="LV-LPX", offered_to_network=False
        ),
        "riga_closed": make_request(
            title="riga_closed", municipality="LV-RIX", state=AssistanceRequest.State.CLOSED
        ),
    }
    Invitation.objects.create(
        line=requests["riga_invited"].lines.get(), organisation=org_a, rank=1, score=Decimal(90)
    )
    # org A is invited to a second line and claims part of it: still one row on the board
    second = RequestLine.objects.create(
        request=requests["riga_invited"],
        capability=CapabilityType.objects.get(code="food"),
        quantity=Decimal(100),
        claimed=Decimal(10),
        unit="meals",
        position=1,
    )
    Invitation.objects.create(line=second, organisation=org_a, rank=1, score=Decimal(80))
    Claim.objects.create(line=second, organisation=org_a, quantity=Decimal(10))
    Claim.objects.create(
        line=requests["liepaja_claimed"].lines.get(), organisation=org_b, quantity=Decimal(2)
    )
    return requests


def client_of(role: str, request: Any) -> Client:
    if role == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(role))


def api_client(role: str, request: Any) -> Client:
    return client_of(role, request)


@pytest.mark.parametrize("role", ROLES)
def test_the_board_lists_exactly_what_the_role_may_see(
    role: str, world: dict[str, AssistanceRequest], request: Any
) -> None:
    client = client_of(role, request)
    if role == "anonymous":
        response = client.get(reverse("assistance:board"))
        assert response.status_code == 302 and "/accounts/" in response["Location"]
        return
    listed: set[str] = set()
    for status in ("", "closed"):
        response = client.get(reverse("assistance:board"), {"status": status} if status else {})
        assert response.status_code == 200
        rows = [row["request"].title for row in response.context["rows"]]
        assert len(rows) == len(set(rows))
        listed |= set(rows)
        body = response.content.decode()
        for title in ALL - VISIBLE[role]:
            assert title not in body
    assert listed == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_request_pages_are_404_for_those_who_may_not_see_them(
    role: str, world: dict[str, AssistanceRequest], request: Any
) -> None:
    client = client_of(role, request)
    for key, assistance_request in world.items():
        response = client.get(reverse("assistance:detail", args=[assistance_request.pk]))
        if role == "anonymous":
            assert response.status_code == 302
        elif key in VISIBLE[role]:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            assert assistance_request.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["edit", "close", "cancel"])
def test_only_managers_reach_the_manage_pages(
    role: str, page: str, world: dict[str, AssistanceRequest], request: Any
) -> None:
    client = client_of(role, request)
    for key, assistance_request in world.items():
        if key == "riga_closed":
            continue  # a closed request sends its managers back to its page
        response = client.get(reverse(f"assistance:{page}", args=[assistance_request.pk]))
        if role == "anonymous":
            assert response.status_code == 302
        elif key in MANAGED.get(role, set()):
            assert response.status_code == 200
        elif key in VISIBLE[role]:
            assert response.status_code == 403
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_and_officers_reach_the_new_request_form(
    role: str, reference: None, request: Any
) -> None:
    response = client_of(role, request).get(reverse("assistance:new"))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in POSTERS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lists_and_reads_what_the_role_may_see(
    role: str, world: dict[str, AssistanceRequest], request: Any
) -> None:
    client = api_client(role, request)
    response = client.get("/api/v1/requests", {"page_size": 200})
    if role == "anonymous":
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
        return
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert sorted(titles) == sorted(VISIBLE[role])  # each once
    for key, assistance_request in world.items():
        one = client.get(f"/api/v1/requests/{assistance_request.pk}")
        if key in VISIBLE[role]:
            assert one.status_code == 200
        else:
            assert one.status_code == 404
            assert assistance_request.title not in one.content.decode()
            assert one.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_lets_only_posters_post_in_ogre(role: str, reference: None, request: Any) -> None:
    client = api_client(role, request)
    body = {
        "title": "Sandbags",
        "municipality": "LV-067",
        "deadline": (timezone.now() + datetime.timedelta(hours=3)).isoformat(),
        "contact_name": "Jānis Liepa",
        "lines": [{"capability": "volunteers", "quantity": 20}],
    }
    response = client.post("/api/v1/requests", body, content_type="application/json")
    expected = {"anonymous": 401, "coordinator": 201, "officer": 201, "officer_elsewhere": 403}
    assert response.status_code == expected.get(role, 403)
    assert AssistanceRequest.objects.exists() == (response.status_code == 201)


def test_an_organisation_that_offered_sees_the_request_once(
    client_admin_b: Client, client_member_a: Client, org_b: Organisation
) -> None:
    private = make_request(title="offered_private", offered_to_network=False)
    line = private.lines.get()
    for quantity in (1, 2):  # two offers, one request
        Offer.objects.create(line=line, organisation=org_b, quantity=Decimal(quantity))
    response = client_admin_b.get(reverse("assistance:board"))
    assert [row["request"].title for row in response.context["rows"]] == ["offered_private"]
    assert client_admin_b.get(reverse("assistance:detail", args=[private.pk])).status_code == 200
    assert client_member_a.get(reverse("assistance:detail", args=[private.pk])).status_code == 404
