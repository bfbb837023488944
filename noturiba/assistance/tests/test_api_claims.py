"""Claims through the API: ``POST/GET /api/v1/requests/{id}/lines/{line_id}/claims`` and
``POST /api/v1/claims/{id}/updates``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, RequestLine
from noturiba.assistance.tests.claims_support import make_line
from noturiba.network.models import Membership, Organisation, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(line: RequestLine) -> str:
    return f"/requests/{line.request_id}/lines/{line.pk}/claims"


def test_an_admin_of_one_organisation_claims_without_naming_it(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)

    response = api_for(admin_a).post(url(line), {"quantity": "4", "note": "Divi busi"})

    assert response.status_code == 201
    body = response.json()
    claim = Claim.objects.get()
    assert body["claim"]["id"] == claim.pk
    assert body["claim"]["organisation_id"] == org_a.pk
    assert body["claim"]["state"] == "claimed"
    assert body["offer"]["state"] == "accepted"
    assert Decimal(body["line"]["remaining"]) == 6
    assert Decimal(body["line"]["claimed"]) == 4


def test_with_approval_the_answer_is_a_pending_offer(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)

    response = api_for(admin_a).post(url(line), {"organisation": org_a.pk, "quantity": 4})

    assert response.status_code == 201
    body = response.json()
    assert (body["offer"]["state"], body["claim"]) == ("pending", None)
    assert Decimal(body["line"]["remaining"]) == 10


def test_over_claiming_is_a_409_with_the_remaining_quantity(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(quantity=3, created_by=officer)

    response = api_for(admin_a).post(url(line), {"quantity": 5})

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "over_claimed"
    assert error["message"] == "Only 3 seats remain on this line: offer at most that."
    assert error["fields"]["remaining"] == ["3"]
    assert not Claim.objects.exists()


def test_an_invisible_request_is_a_404_without_data(
    admin_a: User, coordinator: User, officer: User, trainer: User
) -> None:
    hidden = make_line(created_by=coordinator, offered_to_network=False, title="Slepens")
    for user in (admin_a, trainer):
        response = api_for(user).post(url(hidden), {"quantity": 1})
        assert response.status_code == 404
        assert "Slepens" not in response.content.decode()
        assert api_for(user).get(url(hidden)).status_code == 404
    # The line must belong to the request in the path.
    other = make_line(created_by=officer)
    wrong = f"/requests/{other.request_id}/lines/{hidden.pk}/claims"
    assert api_for(admin_a).post(wrong, {"quantity": 1}).status_code == 404


def test_people_who_see_but_may_not_offer_get_403(
    member_a: User, officer: User, coordinator: User
) -> None:
    line = make_line(created_by=officer)
    for user in (member_a, officer, coordinator):
        response = api_for(user).post(url(line), {"quantity": 1})
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert not Claim.objects.exists()


def test_an_admin_may_not_name_another_organisation(
    admin_a: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)

    response = api_for(admin_a).post(url(line), {"organisation": org_b.pk, "quantity": 1})

    assert response.status_code == 403


def test_an_admin_of_two_organisations_must_say_which(
    admin_a: User, org_a: Organisation, org_b: Organisation, officer: User
) -> None:
    Membership.objects.create(
        person=Person.objects.get(user=admin_a), organisation=org_b, role="admin"
    )
    line = make_line(created_by=officer)

    response = api_for(admin_a).post(url(line), {"quantity": 1})

    assert response.status_code == 422
    assert "organisation" in response.json()["error"]["fields"]
    ok = api_for(admin_a).post(url(line), {"organisation": org_b.pk, "quantity": 1})
    assert ok.status_code == 201


@pytest.mark.parametrize("quantity", [0, -1, "abc", "0.001", None])
def test_invalid_quantities_are_422(admin_a: User, officer: User, quantity: object) -> None:
    line = make_line(created_by=officer)

    response = api_for(admin_a).post(url(line), {"quantity": quantity})

    assert response.status_code == 422
    assert response.json()["error"]["code"] in ("invalid", "invalid_quantity")


def test_the_anonymous_caller_is_a_401(officer: User) -> None:
    line = make_line(created_by=officer)
    api_anonymous = ApiClient()
    assert api_anonymous.post(url(line), {"quantity": 1}).status_code == 401
    assert api_anonymous.get(url(line)).status_code == 401


def test_the_line_lists_its_claims_and_the_managers_see_every_offer(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(4))
    actions.accept_offer(officer, offer=offer)
    actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(2))

    manager = api_for(officer).get(url(line)).json()
    outsider = api_for(admin_a).get(url(line)).json()

    assert [c["organisation_id"] for c in manager["claims"]] == [org_a.pk]
    assert [o["organisation_id"] for o in manager["pending_offers"]] == [org_b.pk]
    assert outsider["pending_offers"] == []
    assert Decimal(manager["line"]["remaining"]) == 6


def test_a_member_reports_progress(
    admin_a: User, member_a: User, org_a: Organisation, admin_b: User, officer: User
) -> None:
    line = make_line(created_by=officer)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(4))
    claim = Claim.objects.get(offer=offer)
    path = f"/claims/{claim.pk}/updates"

    assert api_for(admin_b).post(path, {"state": "done"}).status_code == 403
    assert api_for(officer).post(path, {"state": "done"}).status_code == 403
    refused = api_for(member_a).post(path, {"state": "could_not"})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "note_required"
    wrong = api_for(member_a).post(path, {"state": "released"})
    assert wrong.json()["error"]["code"] == "invalid_transition"

    response = api_for(member_a).post(path, {"state": "done", "note": "Piegādāts"})

    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["claim"]["state"], body["note"]) == ("done", "done", "Piegādāts")
    assert Decimal(body["line"]["done"]) == 4
    assert api_for(member_a).post("/claims/999999/updates", {"state": "done"}).status_code == 404
