"""The training API's reads: modules, upcoming sessions (filtered), one session; the same rules
as the pages, bad input answered in the error shape, pages in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for
from noturiba.training.actions.sessions import cancel_session
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.sessions_support import curriculum, enrol, make_session, other_trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_member(member_a: User) -> ApiClient:
    return api_for(member_a)


def test_modules_come_with_outcomes_hours_and_competencies_in_both_languages(
    api_member: ApiClient,
) -> None:
    curriculum()
    response = api_member.get("/training/modules")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    first = body["items"][0]
    assert first["code"] == "personal_resilience"
    assert first["name_en"] == "Personal resilience and comprehensive national defence"
    assert first["name_lv"] == "Personīgā noturība un visaptverošā valsts aizsardzība"
    assert len(first["outcomes_lv"]) == len(first["outcomes_en"]) >= 3
    assert first["hours"] == "4.0"
    civil = next(item for item in body["items"] if item["code"] == "civil_protection")
    validity = {c["code"]: c["validity_months"] for c in civil["competencies"]}
    assert validity == {"civil_protection": 36, "first_aid": 24}


def test_upcoming_sessions_filtered_by_municipality_and_language(
    api_member: ApiClient, trainer: User
) -> None:
    ogre = make_session(title="Ogrē", trainers=[trainer], capacity=5)
    enrol(ogre, 2)
    enrol(ogre, 1, Enrolment.Status.WAITLISTED)
    make_session(title="Liepājā", municipality="LV-LPX", language="en")
    make_session(title="Pagājusi", days=-3)
    make_session(title="Melnraksts", status="draft", trainers=[trainer])
    body = api_member.get("/training/sessions").json()
    assert [item["title"] for item in body["items"]] == ["Ogrē", "Liepājā"]
    item = body["items"][0]
    assert item["free_places"] == 3 and item["waiting_list"] == 1 and item["capacity"] == 5
    assert item["municipality"] == "LV-067" and item["course"]["code"] == "crisis_readiness_leaders"
    assert item["trainers"] == [{"id": trainer.pk, "name": "Laura Trenere"}]
    assert item["starts_at"].endswith(("+02:00", "+03:00"))  # Riga time
    assert item["url"].endswith(f"/training/sessions/{ogre.pk}/")
    body = api_member.get("/training/sessions", {"municipality": "lv-lpx"}).json()
    assert [item["title"] for item in body["items"]] == ["Liepājā"]
    body = api_member.get("/training/sessions", {"language": "en"}).json()
    assert [item["title"] for item in body["items"]] == ["Liepājā"]
    body = api_member.get("/training/sessions", {"municipality": "LV-067", "language": "en"})
    assert body.json()["count"] == 0


def test_drafts_follow_the_policy(trainer: User, coordinator: User, admin_a: User) -> None:
    draft = make_session(title="Melnraksts", status="draft", trainers=[trainer])
    for insider in (trainer, coordinator):
        api = api_for(insider)
        assert [i["title"] for i in api.get("/training/sessions").json()["items"]] == ["Melnraksts"]
        assert api.get(f"/training/sessions/{draft.pk}").status_code == 200
    for outsider in (other_trainer(), admin_a):
        api = api_for(outsider)
        assert api.get("/training/sessions").json()["count"] == 0
        response = api.get(f"/training/sessions/{draft.pk}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert "Melnraksts" not in response.content.decode()


def test_one_session_with_its_modules_and_cancellation_reason(
    api_member: ApiClient, coordinator: User
) -> None:
    session = make_session(title="Atcelta")
    cancel_session(coordinator, session=session, reason="Lektors saslima.")
    body = api_member.get(f"/training/sessions/{session.pk}").json()
    assert body["status"] == "cancelled" and body["cancellation_reason"] == "Lektors saslima."
    assert [m["code"] for m in body["modules"]][0] == "personal_resilience"
    assert len(body["modules"]) == 7 and body["sequence"] == 1
    assert body["open_for_registration"] is False


def test_anonymous_callers_get_401(reference: None) -> None:
    session = make_session()
    api_anonymous = ApiClient()
    for path in ("/training/modules", "/training/sessions", f"/training/sessions/{session.pk}"):
        response = api_anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"municipality": "LV-999"}, "municipality"),
        ({"municipality": "Ogre"}, "municipality"),
        ({"municipality": "x" * 100}, "municipality"),
        ({"language": "xx"}, "language"),
        ({"course": "<script>"}, "course"),
        ({"page": "0"}, "page"),
        ({"page_size": "100000"}, "page_size"),
        ({"page": "abc"}, "page"),
    ],
)
def test_bad_filters_are_422_in_the_error_shape(
    api_member: ApiClient, params: dict[str, str], field: str
) -> None:
    curriculum()
    response = api_member.get("/training/sessions", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]


@pytest.mark.parametrize("path", ["0", "-1", "abc", "99999999999999999999999", "123456"])
def test_unknown_or_malformed_ids_are_404(api_member: ApiClient, path: str) -> None:
    curriculum()
    response = api_member.get(f"/training/sessions/{path}")
    assert response.status_code == 404


def test_lists_take_a_fixed_number_of_queries(api_member: ApiClient, trainer: User) -> None:
    curriculum()

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_member.get(path).status_code == 200
        return len(captured.captured_queries)

    make_session(trainers=[trainer])
    api_member.get("/training/sessions")
    few_sessions, modules = queries("/training/sessions"), queries("/training/modules")
    second = other_trainer()
    for number in range(10):
        session = make_session(title=f"S{number}", trainers=[trainer, second], days=20 + number)
        enrol(session, 2)
    assert queries("/training/sessions") == few_sessions
    assert queries("/training/modules") == modules
    assert TrainingSession.objects.count() == 11


def test_a_merged_municipality_code_means_its_successor(api_member: ApiClient) -> None:
    make_session(title="Madonā", municipality="LV-059")
    body = api_member.get("/training/sessions", {"municipality": "LV-102"}).json()
    assert [item["title"] for item in body["items"]] == ["Madonā"]
