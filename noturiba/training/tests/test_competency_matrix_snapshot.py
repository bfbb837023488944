"""The knowledge page reads the competency matrix from the latest snapshot computed by the task
worker: current → shown as it is, nothing enqueued; stale (the data changed, or computed on an
earlier day) → shown with the time of its figures and one refresh enqueued however often the
page is viewed; none yet → a message and a refresh enqueued, no inline computation. Issuing and
revoking certificates ask for a refresh; the refresh keeps a few snapshots only."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from lxml import html

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Municipality, Organisation
from noturiba.training.actions.certificates import close_results, revoke_certificate
from noturiba.training.models import CompetencyMatrixSnapshot
from noturiba.training.selectors.knowledge import (
    CHART_MONTHS,
    attendance_by_month,
    charts_from_json,
    feedback_by_month,
)
from noturiba.training.tasks import SNAPSHOTS_KEPT, refresh_competency_matrix
from noturiba.training.tests import certificate_support
from noturiba.training.tests.knowledge_support import (
    Curriculum,
    attend,
    curriculum,
    days,
    fresh_cache,
    grant,
    make_certificate,
    make_organisation,
    make_person,
    make_session,
    refresh_matrix,
)

pytestmark = pytest.mark.django_db
__all__ = ["curriculum", "fresh_cache"]  # fixtures

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Capture = Callable[..., Any]


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE


@pytest.fixture
def ogre(curriculum: Curriculum, reference: None) -> Curriculum:
    """Ogre: two people hold first aid; Liepāja: one."""
    ogre = make_organisation("Ogres biedrība", "LV-067")
    liepaja = make_organisation("Liepājas biedrība", "LV-LPX")
    grant(make_person("Pirmā", ogre), curriculum.first_aid, valid_until=days(200))
    grant(make_person("Otrā", ogre), curriculum.first_aid, valid_until=None)
    grant(make_person("Trešā", liepaja), curriculum.first_aid, valid_until=days(10))
    return curriculum


def refreshes(status: str = TaskResultStatus.READY) -> int:
    return DBTaskResult.objects.filter(
        task_path=refresh_competency_matrix.module_path, status=status
    ).count()


def view(user: User, capture: Capture) -> html.HtmlElement:
    """The page as ``user`` sees it, running what it enqueues after commit."""
    with capture(execute=True):
        response = client_for(user).get(reverse("training:knowledge"))
    assert response.status_code == 200
    return html.fromstring(response.content)


def matrix_rows(page: html.HtmlElement) -> list[str]:
    return [
        th.text_content().strip()
        for th in page.xpath("//table[contains(@class, 'competency-matrix')]/tbody/tr/th")
    ]


def note(page: html.HtmlElement) -> str:
    return " ".join(page.xpath("//p[contains(@class, 'figures-as-of')]/text()"))


def test_a_current_snapshot_is_shown_and_no_refresh_is_asked_for(
    ogre: Curriculum, coordinator: User, queue: None, english: None
) -> None:
    refresh_matrix()
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = html.fromstring(client.get(reverse("training:knowledge")).content)
    assert not any("GROUP BY g.person_id" in query["sql"] for query in queries.captured_queries)
    ogre_row = next(
        tr
        for tr in page.xpath("//table[contains(@class, 'competency-matrix')]/tbody/tr")
        if "Ogre" in tr.text_content()
    )
    assert ogre_row.xpath("td")[0].text_content().split()[0] == "2"
    assert note(page) == ""
    assert "being computed" not in page.text_content()
    assert refreshes() == 0


def test_a_stale_snapshot_is_shown_with_its_time_and_one_refresh_is_asked_for(
    ogre: Curriculum,
    coordinator: User,
    queue: None,
    english: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    snapshot = refresh_matrix()
    grant(
        make_person("Jaunā", make_organisation("Ogres otrā", "LV-067")),
        ogre.first_aid,
        valid_until=None,
    )
    first = view(coordinator, django_capture_on_commit_callbacks)
    second = view(coordinator, django_capture_on_commit_callbacks)
    riga = timezone.localtime(snapshot.computed_at).strftime("%H:%M")
    for page in (first, second):
        assert note(page) == (
            f"Figures as of {riga} (Riga time); newer figures are being computed."
        )
        ogre_row = next(
            tr
            for tr in page.xpath("//table[contains(@class, 'competency-matrix')]/tbody/tr")
            if "Ogre" in tr.text_content()
        )
        assert ogre_row.xpath("td")[0].text_content().split()[0] == "2"  # the snapshot's
    assert refreshes() == 1
    refresh_matrix()
    assert note(view(coordinator, django_capture_on_commit_callbacks)) == ""


def test_a_snapshot_of_an_earlier_day_is_stale(
    ogre: Curriculum,
    coordinator: User,
    queue: None,
    english: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    snapshot = refresh_matrix()
    yesterday = timezone.now() - datetime.timedelta(days=1)
    CompetencyMatrixSnapshot.objects.filter(pk=snapshot.pk).update(
        day=days(-1), computed_at=yesterday
    )
    page = view(coordinator, django_capture_on_commit_callbacks)
    assert note(page).startswith("Figures as of ")
    assert timezone.localtime(yesterday).strftime("%H:%M") in note(page)
    assert refreshes() == 1


def test_a_refresh_already_running_is_not_asked_for_again_by_the_page(
    ogre: Curriculum, coordinator: User, queue: None, django_capture_on_commit_callbacks: Capture
) -> None:
    refresh_competency_matrix.enqueue()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    view(coordinator, django_capture_on_commit_callbacks)
    assert refreshes(TaskResultStatus.READY) == 0
    assert not CompetencyMatrixSnapshot.objects.exists()  # nothing computed in the request


def test_without_a_snapshot_the_page_says_the_figures_are_being_computed(
    ogre: Curriculum,
    coordinator: User,
    queue: None,
    english: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = view(coordinator, django_capture_on_commit_callbacks)
    assert not any("GROUP BY g.person_id" in query["sql"] for query in queries.captured_queries)
    assert "The figures are being computed." in page.text_content()
    assert matrix_rows(page) == []
    assert len(page.xpath("//svg")) == 2  # attendance and feedback; no coverage chart
    assert not CompetencyMatrixSnapshot.objects.exists()
    view(coordinator, django_capture_on_commit_callbacks)
    assert refreshes() == 1
    refresh_matrix()  # the worker runs it
    page = view(coordinator, django_capture_on_commit_callbacks)
    assert "being computed" not in page.text_content()
    assert len(matrix_rows(page)) == 42


def test_an_officer_sees_their_jurisdiction_of_the_snapshot_only(
    ogre: Curriculum,
    officer: User,
    queue: None,
    english: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    refresh_matrix()
    make_person("Jaunā", make_organisation("Liepājas otrā", "LV-LPX"))  # stale
    page = view(officer, django_capture_on_commit_callbacks)
    [row] = matrix_rows(page)
    assert row.startswith("Ogre")
    assert "Liepāja" not in page.text_content()
    assert note(page).startswith("Figures as of ")


def test_the_refresh_counts_every_current_municipality_and_keeps_a_few_snapshots(
    ogre: Curriculum,
) -> None:
    for _ in range(SNAPSHOTS_KEPT + 2):
        latest = refresh_matrix()
    assert CompetencyMatrixSnapshot.objects.count() == SNAPSHOTS_KEPT
    assert CompetencyMatrixSnapshot.objects.first() == latest
    assert len(latest.counts) == 42
    first_aid = str(ogre.first_aid.pk)
    by_code = {
        code: latest.counts[str(Municipality.objects.get(code=code).pk)]
        for code in ("LV-067", "LV-LPX")
    }
    assert by_code["LV-067"] == {first_aid: [2, 0]}
    assert by_code["LV-LPX"] == {first_aid: [1, 1]}  # valid 10 more days: expiring
    assert latest.day == timezone.localdate()
    assert latest.seconds >= 0


def test_revoking_a_certificate_asks_for_one_refresh(
    ogre: Curriculum,
    coordinator: User,
    queue: None,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    person = make_person("Atsaucamā", make_organisation("Ogres otrā", "LV-067"))
    certificates = [make_certificate(person, ogre.course) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(coordinator, certificate=certificates[0], reason="Kļūda")
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(coordinator, certificate=certificates[1], reason="Kļūda")
    assert refreshes() == 1  # the second found the first still waiting


def test_revoking_a_certificate_refreshes_the_matrix(
    ogre: Curriculum,
    coordinator: User,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.TASKS = IMMEDIATE
    refresh_matrix()
    person = make_person("Atsaucamā", make_organisation("Ogres otrā", "LV-067"))
    certificate = make_certificate(person, ogre.course)
    grant(person, ogre.first_aid, valid_until=None, certificate=certificate)
    refresh_matrix()
    with django_capture_on_commit_callbacks(execute=True):
        revoke_certificate(coordinator, certificate=certificate, reason="Kļūda")
    latest = CompetencyMatrixSnapshot.objects.first()
    assert latest is not None
    ogre_id = str(person.memberships.get().organisation.municipality_id)
    assert latest.counts[ogre_id][str(ogre.first_aid.pk)] == [2, 0]


def test_closing_results_with_certificates_asks_for_a_refresh(
    trainer: User, queue: None, django_capture_on_commit_callbacks: Capture
) -> None:
    session = certificate_support.make_session(
        certificate_support.make_course(),
        trainers=(trainer,),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert close_results(trainer, session=session) == []
    assert refreshes() == 0  # nobody completed: nothing changed
    certificate_support.enrol(session, certificate_support.make_person("Jānis"), hours="8")
    with django_capture_on_commit_callbacks(execute=True):
        assert len(close_results(trainer, session=session)) == 1
    assert refreshes() == 1


def test_the_networks_charts_come_from_the_snapshot(
    ogre: Curriculum, coordinator: User, org_a: Organisation, english: None
) -> None:
    session = make_session(ogre.course, starts_in_days=-3)
    attend(session, make_person("Apmeklētāja", org_a))
    snapshot = refresh_matrix()
    attendance, feedback = charts_from_json(snapshot.charts) or ([], [])
    assert attendance == attendance_by_month(None, months=CHART_MONTHS)
    assert feedback == feedback_by_month(None, months=CHART_MONTHS)
    assert sum(people for _month, people in attendance) == 1
    cache.clear()  # no cached chart figures either
    with CaptureQueriesContext(connection) as queries:
        response = client_for(coordinator).get(reverse("training:knowledge"))
    assert response.status_code == 200
    assert not any("training_enrolment" in query["sql"] for query in queries.captured_queries)
    page = html.fromstring(response.content)
    [attendance_table] = [
        table
        for table in page.xpath("//figure//table")
        if "People attending" in table.text_content()
    ]
    assert "1" in [td.text_content().strip() for td in attendance_table.xpath(".//td")]
