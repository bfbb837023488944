"""The saved-list pages ask the database a fixed number of times, however many rows they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import SavedList
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def make_lists(author: User, count: int, people: int) -> list[SavedList]:
    made = []
    for number in range(count):
        saved = SavedList.objects.create(name=f"Saraksts {number}", created_by=author)
        saved.people.set(
            [Person.objects.create(full_name=f"P {number}-{i}") for i in range(people)]
        )
        made.append(saved)
    return made


def test_the_lists_page_does_not_grow_with_lists(
    client_coordinator: Client, coordinator: User, django_assert_num_queries: Any
) -> None:
    make_lists(coordinator, 2, 1)
    few = queries(client_coordinator, reverse("alerts:lists"))
    make_lists(coordinator, 8, 3)
    with django_assert_num_queries(few):
        client_coordinator.get(reverse("alerts:lists"))


def test_a_lists_page_of_people_does_not_grow_with_people(
    client_coordinator: Client, coordinator: User, django_assert_num_queries: Any
) -> None:
    small, large = make_lists(coordinator, 2, 2)[0], make_lists(coordinator, 1, 20)[0]
    few = queries(client_coordinator, reverse("alerts:saved_list", args=[small.pk]))
    with django_assert_num_queries(few):
        client_coordinator.get(reverse("alerts:saved_list", args=[large.pk]))
