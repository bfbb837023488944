"""The claims pages: the offer form under a line, a claim's page, "Our claims", and who may
see and do what on each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.accounts.policy import roles_of
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, Offer, RequestLine, TransferRequest
from noturiba.assistance.selectors.claims import claims_panel
from noturiba.assistance.tests.claims_support import make_line
from noturiba.conftest import client_for
from noturiba.network.models import Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def claim_of(admin: User, organisation: Organisation, line: RequestLine, quantity: int) -> Claim:
    offer = actions.offer_line_part(
        admin, line=line, organisation=organisation, quantity=Decimal(quantity)
    )
    return Claim.objects.get(offer=offer)


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The offer form on the request page ------------------------------------------------------


def test_an_admin_claims_from_the_request_page_without_javascript(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    client = client_for(admin_a)
    page = client.get(f"/requests/{line.request_id}/").content.decode()
    assert f'action="/requests/lines/{line.pk}/offer/"' in page
    assert "On behalf of Ogres Samariešu biedrība" in page

    response = client.post(
        f"/requests/lines/{line.pk}/offer/",
        {"organisation": org_a.pk, "quantity": "4", "note": "Divi busi"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/requests/{line.request_id}/"
    [message] = messages_of(response)
    assert message.startswith("Ogres Samariešu biedrība claimed 4 seats of ")
    line.refresh_from_db()
    assert line.claimed == 4
    assert "Ogres Samariešu biedrība</a>: 4 seats (claimed)" in response.content.decode()


def test_over_claiming_from_the_page_says_what_remains(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(quantity=3, created_by=officer)

    response = client_for(admin_a).post(
        f"/requests/lines/{line.pk}/offer/",
        {"organisation": org_a.pk, "quantity": "5"},
        follow=True,
    )

    assert messages_of(response) == ["Only 3 seats remain on this line: offer at most that."]
    assert not Claim.objects.exists()


def test_an_invalid_quantity_is_reported_not_a_500(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)

    response = client_for(admin_a).post(
        f"/requests/lines/{line.pk}/offer/",
        {"organisation": org_a.pk, "quantity": "lots"},
        follow=True,
    )

    assert response.status_code == 200
    assert messages_of(response) == ["Quantity: Enter a number."]


def test_members_officers_and_trainers_get_no_offer_form(
    member_a: User, officer: User, coordinator: User
) -> None:
    line = make_line(created_by=officer)
    for viewer in (member_a, officer, coordinator):
        page = client_for(viewer).get(f"/requests/{line.request_id}/").content.decode()
        assert "/offer/" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("member_a", 403), ("officer", 403), ("trainer", 404), ("admin_b", 200)],
)
def test_who_may_post_an_offer(
    request: pytest.FixtureRequest, officer: User, who: str, status: int
) -> None:
    line = make_line(created_by=officer, offered_to_network=who != "trainer")
    user = request.getfixturevalue(who)
    org = request.getfixturevalue("org_b") if who == "admin_b" else None

    response = client_for(user).post(
        f"/requests/lines/{line.pk}/offer/",
        {"organisation": org.pk if org else 1, "quantity": "1"},
    )

    assert response.status_code == (302 if status == 200 else status)
    assert Claim.objects.count() == (1 if status == 200 else 0)


def test_the_anonymous_visitor_is_sent_to_sign_in(officer: User) -> None:
    line = make_line(created_by=officer)
    response = Client().post(f"/requests/lines/{line.pk}/offer/", {"quantity": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    assert not Claim.objects.exists()


def test_the_manager_accepts_and_declines_pending_offers_on_the_page(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    first = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))
    second = actions.offer_line_part(admin_b, line=line, organisation=org_b, quantity=Decimal(2))
    client = client_for(officer)
    page = client.get(f"/requests/{line.request_id}/").content.decode()
    assert f"/requests/offers/{first.pk}/accept/" in page
    assert f"/requests/offers/{second.pk}/decline/" in page

    accepted = client.post(f"/requests/offers/{first.pk}/accept/", {"quantity": "5"}, follow=True)
    declined = client.post(
        f"/requests/offers/{second.pk}/decline/", {"reason": "Par tālu"}, follow=True
    )

    assert messages_of(accepted) == [
        "The offer of Ogres Samariešu biedrība is accepted: 5 seats claimed."
    ]
    assert messages_of(declined) == ["The offer of Liepājas Jauniešu centrs is declined."]
    assert Claim.objects.get().quantity == 5
    second.refresh_from_db()
    assert second.decision_note == "Par tālu"


def test_a_declined_offer_needs_a_reason(admin_a: User, org_a: Organisation, officer: User) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))

    response = client_for(officer).post(f"/requests/offers/{offer.pk}/decline/", {}, follow=True)

    assert messages_of(response) == ["Reason: This field is required."]
    assert Offer.objects.get().state == "pending"


def test_others_may_not_decide_or_withdraw_an_offer(
    admin_a: User, member_a: User, org_a: Organisation, admin_b: User, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(6))

    assert client_for(admin_b).post(f"/requests/offers/{offer.pk}/accept/").status_code == 404
    assert client_for(admin_b).post(f"/requests/offers/{offer.pk}/withdraw/").status_code == 404
    assert client_for(admin_a).post(f"/requests/offers/{offer.pk}/accept/").status_code == 403
    assert client_for(member_a).post(f"/requests/offers/{offer.pk}/withdraw/").status_code == 403
    assert client_for(officer).post(f"/requests/offers/{offer.pk}/withdraw/").status_code == 403
    assert Offer.objects.get().state == "pending"
    response = client_for(admin_a).post(f"/requests/offers/{offer.pk}/withdraw/", follow=True)
    assert messages_of(response) == ["Your offer is withdrawn."]


# --- A claim's page --------------------------------------------------------------------------


def test_the_claiming_member_sees_the_history_and_big_progress_buttons(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    actions.update_claim(member_a, claim=claim, state="under_way", note="Ceļā <b>uz</b> Ogri")

    page = client_for(member_a).get(f"/requests/claims/{claim.pk}/").content.decode()

    assert "Report progress" in page
    assert 'class="big-choice"' in page
    assert "Ceļā &lt;b&gt;uz&lt;/b&gt; Ogri" in page
    assert "Release the claim" not in page  # a member, not an admin


def test_a_progress_update_redirects_with_what_happened(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)

    response = client_for(member_a).post(
        f"/requests/claims/{claim.pk}/update/", {"state": "done", "note": "Piegādāts"}, follow=True
    )

    assert response.redirect_chain[-1][0] == f"/requests/claims/{claim.pk}/"
    assert messages_of(response) == ["Your update is saved: the claim is done."]


def test_could_not_without_a_note_shows_the_error_by_the_field(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)

    response = client_for(member_a).post(
        f"/requests/claims/{claim.pk}/update/", {"state": "could_not"}
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Say briefly why it could not be done." in body
    assert Claim.objects.get(pk=claim.pk).state == "claimed"


def test_the_manager_releases_from_the_claim_page(
    admin_a: User, org_a: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    client = client_for(officer)
    page = client.get(f"/requests/claims/{claim.pk}/").content.decode()
    assert "Release the claim" in page and "Report progress" not in page

    response = client.post(
        f"/requests/claims/{claim.pk}/release/", {"release-reason": "Vairs nevajag"}, follow=True
    )

    assert messages_of(response) == ["The claim is released: 3 seats are open to offers again."]
    assert Claim.objects.get(pk=claim.pk).state == "released"


def test_another_admin_asks_to_take_over_and_the_holder_hands_it_over(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    actions.update_claim(admin_a, claim=claim, state="under_way", note="Slepena piezīme")
    asker = client_for(admin_b)
    page = asker.get(f"/requests/claims/{claim.pk}/").content.decode()
    assert "Ask to take it over" in page
    assert "Slepena piezīme" not in page  # the history is not another organisation's

    asked = asker.post(
        f"/requests/claims/{claim.pk}/take-over/",
        {"transfer-to_organisation": org_b.pk, "transfer-note": "Esam tuvāk"},
        follow=True,
    )
    assert messages_of(asked) == [
        "Ogres Samariešu biedrība's admins are asked to hand the claim over to "
        "Liepājas Jauniešu centrs."
    ]
    transfer = TransferRequest.objects.get()
    holder = client_for(admin_a)
    assert (
        f"/requests/transfers/{transfer.pk}/approve/"
        in holder.get("/requests/claims/").content.decode()
    )

    answered = holder.post(f"/requests/transfers/{transfer.pk}/approve/", follow=True)

    assert messages_of(answered) == ["The claim is handed over to Liepājas Jauniešu centrs."]
    assert Claim.objects.get(transferred_from=claim).organisation == org_b


def test_the_holder_keeps_the_claim_and_the_asker_may_withdraw(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    first = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)

    kept = client_for(admin_a).post(f"/requests/transfers/{first.pk}/decline/", follow=True)
    assert messages_of(kept) == [
        "You keep the claim: the request of Liepājas Jauniešu centrs is declined."
    ]
    second = actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)
    assert client_for(admin_a).post(f"/requests/transfers/{second.pk}/withdraw/").status_code == 403
    withdrawn = client_for(admin_b).post(f"/requests/transfers/{second.pk}/withdraw/", follow=True)
    assert messages_of(withdrawn) == [
        "The request of Liepājas Jauniešu centrs to take over is withdrawn."
    ]


@pytest.mark.parametrize(
    ("who", "status", "history"),
    [
        ("member_a", 200, True),
        ("admin_a", 200, True),
        ("officer", 200, True),
        ("coordinator", 200, True),
        ("admin_b", 200, False),
        ("trainer", 404, False),
    ],
)
def test_who_sees_a_claim_page(
    request: pytest.FixtureRequest,
    admin_a: User,
    org_a: Organisation,
    officer: User,
    who: str,
    status: int,
    history: bool,
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    actions.update_claim(admin_a, claim=claim, state="under_way", note="Iekšēja piezīme")

    response = client_for(request.getfixturevalue(who)).get(f"/requests/claims/{claim.pk}/")

    assert response.status_code == status
    assert ("Iekšēja piezīme" in response.content.decode()) is history


def test_a_claim_on_a_request_not_offered_to_the_network_is_hidden_from_others(
    admin_a: User, org_a: Organisation, admin_b: User, coordinator: User
) -> None:
    line = make_line(created_by=coordinator, offered_to_network=False)
    claim = Claim.objects.create(line=line, organisation=org_a, quantity=Decimal(1))
    RequestLine.objects.filter(pk=line.pk).update(claimed=Decimal(1))

    assert client_for(admin_b).get(f"/requests/claims/{claim.pk}/").status_code == 404
    assert client_for(admin_b).post(f"/requests/claims/{claim.pk}/take-over/").status_code == 404
    assert client_for(admin_b).post(f"/requests/claims/{claim.pk}/release/").status_code == 404
    assert client_for(admin_a).get(f"/requests/claims/{claim.pk}/").status_code == 200
    assert Client().get(f"/requests/claims/{claim.pk}/").status_code == 302


def test_outsiders_may_not_report_or_release(
    admin_a: User, org_a: Organisation, admin_b: User, member_a: User, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)

    assert (
        client_for(admin_b)
        .post(f"/requests/claims/{claim.pk}/update/", {"state": "done"})
        .status_code
        == 403
    )
    assert (
        client_for(officer)
        .post(f"/requests/claims/{claim.pk}/update/", {"state": "done"})
        .status_code
        == 403
    )
    assert (
        client_for(member_a)
        .post(f"/requests/claims/{claim.pk}/release/", {"release-reason": "x"})
        .status_code
        == 403
    )
    assert Claim.objects.get(pk=claim.pk).state == "claimed"


def test_an_unknown_claim_or_photo_is_a_404(admin_a: User) -> None:
    client = client_for(admin_a)
    assert client.get("/requests/claims/999999/").status_code == 404
    assert client.get("/requests/claims/photos/999999/").status_code == 404
    assert client.post("/requests/transfers/999999/approve/").status_code == 404


# --- Our claims ----------------------------------------------------------------------------


def test_our_claims_groups_by_state(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer)
    first = claim_of(admin_a, org_a, line, 2)
    second = claim_of(admin_a, org_a, line, 3)
    actions.update_claim(admin_a, claim=second, state="done")

    response = client_for(member_a).get("/requests/claims/")

    groups = {state: claims for state, _label, claims in response.context["groups"]}
    assert groups["claimed"] == [first]
    assert groups["done"] == [second]
    assert groups["under_way"] == []


def test_our_claims_without_an_organisation(trainer: User) -> None:
    page = client_for(trainer).get("/requests/claims/").content.decode()
    assert "You are not in any organisation" in page


def test_our_claims_keeps_its_queries_flat(
    admin_a: User,
    org_a: Organisation,
    admin_b: User,
    org_b: Organisation,
    officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(6):
        line = make_line(created_by=officer)
        claim = claim_of(admin_a, org_a, line, 2)
        actions.request_transfer(admin_b, claim=claim, to_organisation=org_b)
        done = claim_of(admin_a, org_a, line, 1)
        actions.update_claim(admin_a, claim=done, state="done")
        pending = make_line(created_by=officer, offers_need_approval=True)
        actions.offer_line_part(admin_a, line=pending, organisation=org_a, quantity=Decimal(1))
    client = client_for(admin_a)

    with django_assert_max_num_queries(16):
        response = client.get("/requests/claims/")
    assert response.status_code == 200
    assert len(response.context["transfers_to_answer"]) == 6
    assert len(response.context["pending_offers"]) == 6


def test_a_finished_claim_takes_no_more_updates(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    claim = claim_of(admin_a, org_a, make_line(created_by=officer), 3)
    actions.update_claim(member_a, claim=claim, state="done")

    response = client_for(member_a).post(
        f"/requests/claims/{claim.pk}/update/", {"state": "under_way"}, follow=True
    )

    assert messages_of(response) == ["This claim is done: it takes no more updates."]
    assert "Report progress" not in response.content.decode()


def test_members_see_their_pending_offers_but_only_admins_may_withdraw(
    admin_a: User, member_a: User, org_a: Organisation, officer: User
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    offer = actions.offer_line_part(admin_a, line=line, organisation=org_a, quantity=Decimal(2))
    withdraw = f"/requests/offers/{offer.pk}/withdraw/"

    for page_url in (f"/requests/{line.request_id}/", "/requests/claims/"):
        member_page = client_for(member_a).get(page_url).content.decode()
        admin_page = client_for(admin_a).get(page_url).content.decode()
        assert "Ogres Samariešu biedrība" in member_page
        assert withdraw not in member_page
        assert withdraw in admin_page


BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/requests/claims/{BIG}/update/",
        f"/requests/claims/{BIG}/release/",
        f"/requests/claims/{BIG}/take-over/",
        f"/requests/lines/{BIG}/offer/",
        f"/requests/offers/{BIG}/accept/",
        f"/requests/transfers/{BIG}/approve/",
    ],
)
def test_ids_beyond_any_column_are_a_404_not_a_500(admin_a: User, url: str) -> None:
    client = client_for(admin_a)
    assert client.post(url).status_code == 404
    assert client.get(f"/requests/claims/{BIG}/").status_code == 404
    assert client.get(f"/requests/claims/photos/{BIG}/").status_code == 404


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "1e30", "-0", "", "1e5"])
def test_odd_quantities_are_refused_with_a_message(
    admin_a: User, org_a: Organisation, officer: User, quantity: str
) -> None:
    line = make_line(created_by=officer)

    response = client_for(admin_a).post(
        f"/requests/lines/{line.pk}/offer/",
        {"organisation": org_a.pk, "quantity": quantity},
        follow=True,
    )

    assert response.status_code == 200
    assert len(messages_of(response)) == 1
    assert not Claim.objects.exists()


def test_outsiders_get_nothing_from_any_claims_endpoint(
    admin_a: User, org_a: Organisation, admin_b: User, org_b: Organisation, trainer: User
) -> None:
    """A request not offered to the network: an organisation that is not on it, a trainer and
    the anonymous visitor learn nothing and change nothing."""
    line = make_line(offered_to_network=False, title="Slepens pieprasījums")
    line.request.offers_need_approval = True
    line.request.save(update_fields=["offers_need_approval"])
    claim = Claim.objects.create(line=line, organisation=org_a, quantity=Decimal(1))
    RequestLine.objects.filter(pk=line.pk).update(claimed=Decimal(1))
    update = actions.update_claim(admin_a, claim=claim, state="claimed", note="Piezīme")
    offer = Offer.objects.create(line=line, organisation=org_a, quantity=Decimal(1))
    transfer = TransferRequest.objects.create(claim=claim, to_organisation=org_a)
    photo = update.photos.create(content=b"x", width=1, height=1)
    gets = [f"/requests/claims/{claim.pk}/", f"/requests/claims/photos/{photo.pk}/"]
    posts = [
        f"/requests/lines/{line.pk}/offer/",
        f"/requests/claims/{claim.pk}/update/",
        f"/requests/claims/{claim.pk}/release/",
        f"/requests/claims/{claim.pk}/take-over/",
        f"/requests/offers/{offer.pk}/accept/",
        f"/requests/offers/{offer.pk}/decline/",
        f"/requests/offers/{offer.pk}/withdraw/",
        f"/requests/transfers/{transfer.pk}/approve/",
        f"/requests/transfers/{transfer.pk}/decline/",
        f"/requests/transfers/{transfer.pk}/withdraw/",
    ]
    for client in (client_for(admin_b), client_for(trainer)):
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url in posts:
            response = client.post(url, {"quantity": "1", "organisation": org_b.pk, "reason": "x"})
            assert response.status_code in (403, 404), url
            assert "Slepens" not in response.content.decode()
    anonymous = Client()
    for url in gets + posts:
        response = anonymous.post(url) if url in posts else anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    assert Claim.objects.get().state == "claimed"
    assert Offer.objects.get().state == "pending"
    assert TransferRequest.objects.get().state == "pending"


def test_the_request_pages_claims_panel_takes_three_queries_for_any_number_of_lines(
    admin_a: User,
    org_a: Organisation,
    officer: User,
    django_assert_num_queries: Any,
) -> None:
    line = make_line(created_by=officer, offers_need_approval=True)
    request = line.request
    for _ in range(5):
        other = RequestLine.objects.create(
            request=request, capability=line.capability, quantity=Decimal(5), unit="seats"
        )
        offer = actions.offer_line_part(
            admin_a, line=other, organisation=org_a, quantity=Decimal(1)
        )
        actions.accept_offer(officer, offer=offer)
        actions.offer_line_part(admin_a, line=other, organisation=org_a, quantity=Decimal(1))
    lines = list(request.lines.all())
    actor = User.objects.get(pk=admin_a.pk)
    roles = roles_of(actor)  # cached on the user before counting

    with django_assert_num_queries(3):
        panel = claims_panel(actor, request, lines)

    assert roles.admin_of == {org_a.pk}
    assert sum(len(claims) for claims in panel["claims_by_line"].values()) == 5
    assert sum(len(offers) for offers in panel["offers_by_line"].values()) == 5
    assert panel["claim_offering_organisations"] == [org_a]
