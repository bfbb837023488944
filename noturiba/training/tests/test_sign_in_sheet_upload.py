"""Uploading a sign-in sheet: all or nothing, every bad row reported with its number and
reason; the template lists the confirmed participants."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Person
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.attendance_support import csv_bytes, enrol, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    return make_session(trainers=[trainer])


@pytest.fixture
def client(trainer: User) -> Client:
    return client_for(trainer)


def upload(client: Client, session: TrainingSession, content: bytes) -> str:
    response = client.post(
        reverse("training:sign_in_sheet", args=[session.pk]),
        {"file": SimpleUploadedFile("sheet.csv", content, content_type="text/csv")},
    )
    if response.status_code == 302:
        return "saved:" + client.get(response["Location"]).content.decode()
    assert response.status_code == 400
    return response.content.decode()


def marks(session: TrainingSession) -> dict[str, tuple[str, Decimal | None, int | None]]:
    return {
        e.person.email: (e.attendance, e.hours_attended, e.score)
        for e in Enrolment.objects.filter(session=session).select_related("person")
    }


@pytest.mark.parametrize("delimiter", [";", ","])
@pytest.mark.parametrize("bom", [True, False])
def test_a_good_sheet_is_saved(
    client: Client, session: TrainingSession, english: None, delimiter: str, bom: bool
) -> None:
    anna = enrol(session, name="Anna", email="anna@example.org")
    enrol(session, name="Berta", email="Berta@Example.org")
    enrol(session, name="Cilda", email="cilda@example.org")
    content = csv_bytes(
        [
            ["person_id", "email", "hours", "score"],
            [str(anna.person_id), "", "6", "90"],
            ["", "berta@example.org", "2.5", ""],
            ["", "cilda@example.org", "0", "10"],
        ],
        delimiter=delimiter,
        bom=bom,
    )
    page = upload(client, session, content)
    assert page.startswith("saved:")
    assert "Saved attendance of 3 people." in page
    assert marks(session) == {
        "anna@example.org": ("present", Decimal(6), 90),
        "Berta@Example.org": ("partial", Decimal("2.5"), None),
        "cilda@example.org": ("absent", Decimal(0), 10),
    }


def test_latvian_headings_and_decimal_commas(client: Client, session: TrainingSession) -> None:
    enrol(session, name="Anna", email="anna@example.org")
    content = "E-pasts;Stundas;Vērtējums\nanna@example.org;4,5;75\n".encode()
    assert upload(client, session, content).startswith("saved:")
    assert marks(session)["anna@example.org"] == ("partial", Decimal("4.5"), 75)


def test_every_bad_row_is_reported_and_nothing_is_saved(
    client: Client, session: TrainingSession, admin_a: User, english: None
) -> None:
    good = enrol(session, name="Laba", email="laba@example.org")
    enrol(session, name="Gaida", email="gaida@example.org", status=Enrolment.Status.WAITLISTED)
    content = csv_bytes(
        [
            ["email", "hours", "score"],
            ["laba@example.org", "6", "80"],  # row 2: fine
            ["nezinams@example.org", "6", ""],  # row 3: unknown
            ["laba@example.org", "3", ""],  # row 4: duplicate of row 2
            ["gaida@example.org", "6", ""],  # row 5: waiting list
            ["", "6", ""],  # row 6: nobody
        ]
    )
    other = make_session()
    other_person = enrol(other, name="Cita", email="cita@example.org")
    content += csv_bytes(
        [
            [other_person.person.email, "6", ""],  # row 7: unknown to the trainer
            [f"{good.person.email}", "abc", "101"],  # row 8: duplicate, hours and score bad
        ],
        bom=False,
    )
    page = upload(client, session, content)
    assert "Nothing was saved" in page
    rows = _error_rows(page)
    assert rows[3] == ["Unknown person."]
    assert rows[4] == ["The same person as in row 2."]
    assert rows[5][0].startswith("Not a confirmed participant of this session")
    assert rows[6] == ["Neither person_id nor email: whose row is it?"]
    assert rows[7] == ["Unknown person."]
    assert rows[8] == ["The same person as in row 2."]
    assert 2 not in rows
    assert all(value == ("", None, None) for value in marks(session).values())


def _error_rows(page: str) -> dict[int, list[str]]:
    import re

    found: dict[int, list[str]] = {}
    for number, reason in re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", page):
        found.setdefault(int(number), []).append(
            reason.replace("&#x27;", "'").replace("&quot;", '"')
        )
    return found


def test_hours_and_scores_out_of_range_are_reported_by_row(
    client: Client, session: TrainingSession, english: None
) -> None:
    people = [enrol(session, name=f"P{i}", email=f"p{i}@example.org") for i in range(5)]
    content = csv_bytes(
        [
            ["email", "hours", "score"],
            [people[0].person.email, "7", ""],
            [people[1].person.email, "-2", ""],
            [people[2].person.email, "", ""],
            [people[3].person.email, "2.25", ""],
            [people[4].person.email, "6", "120"],
        ]
    )
    rows = _error_rows(upload(client, session, content))
    assert rows == {
        2: ["At most 6 hours: the length of the course."],
        3: ["Hours cannot be negative."],
        4: ["Hours are missing (write 0 for someone absent)."],
        5: ["“2.25” is not a number of hours (e.g. 3 or 2,5)."],
        6: ["“120” is not a score from 0 to 100."],
    }
    assert all(value == ("", None, None) for value in marks(session).values())


def test_a_person_in_the_directory_but_not_enrolled_is_named_so(
    client_coordinator: Client, session: TrainingSession, english: None
) -> None:
    Person.objects.create(full_name="Ārpusniece", email="arpus@example.org")
    content = csv_bytes([["email", "hours"], ["arpus@example.org", "6"]])
    assert _error_rows(upload(client_coordinator, session, content)) == {
        2: ["Not enrolled in this session."]
    }


def test_person_id_and_email_must_agree(
    client: Client, session: TrainingSession, english: None
) -> None:
    anna = enrol(session, name="Anna", email="anna@example.org")
    enrol(session, name="Berta", email="berta@example.org")
    content = csv_bytes(
        [["person_id", "email", "hours"], [str(anna.person_id), "berta@example.org", "6"]]
    )
    assert _error_rows(upload(client, session, content)) == {
        2: ["person_id and email name different people."]
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (b"name;phone\nAnna;123\n", "The first row must name the columns"),
        (b"email;hours\n", "The file has a heading row but no data rows."),
        (b"\x00\x01\x02binary", "The file is not a text (CSV) file."),
        (b"email;hours;email\na@b.lv;1;a@b.lv\n", "is there twice"),
    ],
)
def test_a_file_that_is_not_a_sheet_gets_one_clear_message(
    client: Client, session: TrainingSession, english: None, content: bytes, message: str
) -> None:
    enrol(session)
    assert message in upload(client, session, content)


def test_a_closed_session_takes_no_sheet(trainer: User, english: None) -> None:
    from django.utils import timezone

    session = make_session(trainers=[trainer], results_closed_at=timezone.now())
    enrolment = enrol(session, email="anna@example.org")
    page = upload(
        client_for(trainer), session, csv_bytes([["email", "hours"], ["anna@example.org", "6"]])
    )
    assert "The results of this session are closed" in page
    enrolment.refresh_from_db()
    assert enrolment.attendance == ""


def test_the_template_lists_the_confirmed_participants(
    client: Client, session: TrainingSession
) -> None:
    anna = enrol(
        session,
        name="Anna",
        email="anna@example.org",
        attendance="partial",
        hours_attended=Decimal("2.5"),
        score=60,
    )
    enrol(session, name="=Formula", email="f@example.org")
    enrol(session, name="Gaida", status=Enrolment.Status.WAITLISTED)
    response = client.get(reverse("training:sign_in_sheet_template", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == ["person_id", "name", "email", "hours", "score"]
    assert rows[1:] == [
        [rows[1][0], "'=Formula", "f@example.org", "", ""],
        [str(anna.person_id), "Anna", "anna@example.org", "2.5", "60"],
    ]


def test_the_filled_in_template_uploads_as_it_is(client: Client, session: TrainingSession) -> None:
    """Download, fill the hours, upload: the round trip a trainer makes."""
    enrol(session, name="Anna", email="anna@example.org")
    enrol(session, name="Berta", email="berta@example.org")
    text = client.get(
        reverse("training:sign_in_sheet_template", args=[session.pk])
    ).content.decode()
    lines = text.splitlines()
    filled = "\r\n".join([lines[0]] + [line.replace(";;", ";6;", 1) for line in lines[1:]])
    assert upload(client, session, filled.encode()).startswith("saved:")
    assert {value[0] for value in marks(session).values()} == {"present"}


def test_an_upload_costs_the_same_queries_for_two_rows_or_twenty(
    client: Client, session: TrainingSession
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [enrol(session, name=f"P{i}", email=f"p{i}@example.org") for i in range(20)]
    counts = []
    for size in (2, 20):
        rows = [["email", "hours"]] + [[p.person.email, str(size % 6)] for p in people[:size]]
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, session, csv_bytes(rows)).startswith("saved:")
        counts.append(len(queries))
    assert counts[0] == counts[1]
