"""Who may do what with a session, from the outside, for every role: list, page, API, edit,
publish, cancel — for a draft and for a published session."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import TrainingSession
from noturiba.training.tests.sessions_support import make_session, other_trainer

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Expected:
    sees_draft: bool
    runs: bool


ROLES = {
    "coordinator": Expected(sees_draft=True, runs=True),
    "trainer_of_session": Expected(sees_draft=True, runs=True),
    "another_trainer": Expected(sees_draft=False, runs=False),
    "admin_a": Expected(sees_draft=False, runs=False),
    "member_a": Expected(sees_draft=False, runs=False),
    "officer": Expected(sees_draft=False, runs=False),
}


def user_for(role: str, request: pytest.FixtureRequest) -> User:
    if role == "trainer_of_session":
        return request.getfixturevalue("trainer")
    if role == "another_trainer":
        return other_trainer()
    return request.getfixturevalue(role)


def api_get(client: Client, path: str) -> int:
    return client.get(f"/api/v1{path}").status_code


@pytest.mark.parametrize("role", ROLES)
def test_reading(role: str, request: pytest.FixtureRequest, trainer: User) -> None:
    expected = ROLES[role]
    client = client_for(user_for(role, request))
    draft = make_session(title="Melnraksts X", status="draft", trainers=[trainer])
    published = make_session(title="Publicēta Y", trainers=[trainer])
    listing = client.get(reverse("training:sessions")).content.decode()
    assert "Publicēta Y" in listing
    assert ("Melnraksts X" in listing) is expected.sees_draft
    assert client.get(reverse("training:session_detail", args=[published.pk])).status_code == 200
    draft_page = client.get(reverse("training:session_detail", args=[draft.pk]))
    assert draft_page.status_code == (200 if expected.sees_draft else 404)
    assert ("Melnraksts X" in draft_page.content.decode()) is expected.sees_draft
    assert api_get(client, f"/training/sessions/{published.pk}") == 200
    assert api_get(client, f"/training/sessions/{draft.pk}") == (
        200 if expected.sees_draft else 404
    )
    api_list = client.get("/api/v1/training/sessions").json()
    assert api_list["count"] == (2 if expected.sees_draft else 1)
    assert client.get(reverse("training:curriculum")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_running(role: str, request: pytest.FixtureRequest, trainer: User) -> None:
    expected = ROLES[role]
    client = client_for(user_for(role, request))
    draft = make_session(status="draft", trainers=[trainer])
    published = make_session(trainers=[trainer])
    hidden = 200 if expected.sees_draft else 404
    refused = 200 if expected.runs else 403
    assert client.get(reverse("training:session_edit", args=[published.pk])).status_code == refused
    assert client.get(reverse("training:session_edit", args=[draft.pk])).status_code == (
        200 if expected.runs else hidden
    )
    response = client.post(reverse("training:session_publish", args=[draft.pk]))
    assert response.status_code == (302 if expected.runs else hidden)
    draft.refresh_from_db()
    assert (draft.status == TrainingSession.Status.PUBLISHED) is expected.runs
    response = client.post(
        reverse("training:session_cancel", args=[published.pk]), {"reason": "Slimība"}
    )
    assert response.status_code == (302 if expected.runs else 403)
    published.refresh_from_db()
    assert (published.status == TrainingSession.Status.CANCELLED) is expected.runs
    can_schedule = role in {"coordinator", "trainer_of_session", "another_trainer"}
    status = client.get(reverse("training:session_create")).status_code
    assert status == (200 if can_schedule else 403)


def test_anonymous(client: Client, trainer: User) -> None:
    draft = make_session(title="Melnraksts X", status="draft", trainers=[trainer])
    published = make_session(title="Publicēta Y", trainers=[trainer])
    for session in (draft, published):
        for name in ("session_detail", "session_edit", "session_cancel"):
            response = client.get(reverse(f"training:{name}", args=[session.pk]))
            assert response.status_code == 302 and "/login" in response["Location"]
        assert api_get(client, f"/training/sessions/{session.pk}") == 401
    for url in (reverse("training:sessions"), reverse("training:curriculum")):
        response = client.get(url)
        assert response.status_code == 302
        assert "Publicēta Y" not in response.content.decode()
    assert api_get(client, "/training/sessions") == 401
