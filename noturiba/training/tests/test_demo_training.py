"""``noturiba demo_training``: published sessions around the country, one past, enrolments of
demo people with a waiting list where a session is full; once only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from noturiba.network.demo import generate_demo
from noturiba.training.models import Enrolment, TrainingSession

pytestmark = pytest.mark.django_db


def test_it_adds_sessions_and_enrolments_once(reference: None) -> None:
    generate_demo(organisations=20, people=120, seed=7)
    out = StringIO()
    call_command("demo_training", stdout=out)
    assert "Demo training: 8 sessions" in out.getvalue()
    now = timezone.now()
    sessions = TrainingSession.objects.all()
    assert sessions.filter(ends_at__gt=now, status="published").count() == 7
    assert sessions.filter(ends_at__lte=now).count() == 1
    assert sessions.filter(mode="online").exists()
    assert sessions.values("municipality").distinct().count() >= 6
    for session in sessions:
        assert session.trainers.exists()
        assert session.enrolments.filter(status="confirmed").count() <= session.capacity
        deadline = session.registration_deadline
        assert deadline is not None and deadline < session.starts_at
    assert Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).exists()
    past = sessions.get(ends_at__lte=now)
    assert not past.enrolments.exclude(attendance="present").exists()
    assert not Enrolment.objects.filter(person__is_demo=False).exists()
    assert not Enrolment.objects.filter(created_at__gt=now).exists()
    count = Enrolment.objects.count()
    out = StringIO()
    call_command("demo_training", stdout=out)
    assert "already present" in out.getvalue()
    assert TrainingSession.objects.count() == 8 and Enrolment.objects.count() == count


def test_without_demo_people_it_adds_sessions_only(reference: None) -> None:
    call_command("demo_training", stdout=StringIO())
    assert TrainingSession.objects.count() == 8 and not Enrolment.objects.exists()
