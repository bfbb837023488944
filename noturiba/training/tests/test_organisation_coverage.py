"""Training coverage per organisation (for assistance matching): its people and how many hold
at least one current competency, rewritten in bulk — and by the competency matrix refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from noturiba.training.coverage import refresh_organisation_coverage
from noturiba.training.models import OrganisationTrainingCoverage
from noturiba.training.tests.knowledge_support import (
    days,
    grant,
    make_certificate,
    make_curriculum,
    make_organisation,
    make_person,
    refresh_matrix,
)

pytestmark = pytest.mark.django_db


def coverage() -> dict[str, tuple[int, int]]:
    return {
        row.organisation.name: (row.people, row.trained_people)
        for row in OrganisationTrainingCoverage.objects.select_related("organisation")
    }


def test_it_counts_people_with_a_current_competency_once(reference: None) -> None:
    curriculum = make_curriculum()
    ogre = make_organisation("Ogre", "LV-067")
    riga = make_organisation("Rīga", "LV-RIX")
    make_organisation("Tukša", "LV-LPX")
    both = make_person("Abās", ogre, riga)
    grant(both, curriculum.first_aid, valid_until=days(10))
    grant(both, curriculum.psychological, valid_until=None)  # two grants: counted once
    expired = make_person("Beidzies", ogre)
    grant(expired, curriculum.first_aid, valid_until=days(-1))
    revoked = make_person("Atsaukts", ogre)
    certificate = make_certificate(revoked, curriculum.course, revoked=True)
    grant(revoked, curriculum.first_aid, valid_until=None, certificate=certificate)
    future = make_person("Nākotnē", ogre)
    grant(future, curriculum.first_aid, valid_until=days(400), acquired_on=days(1))
    make_person("Bez", riga)

    written = refresh_organisation_coverage()

    assert written == 3
    assert coverage() == {"Ogre": (4, 1), "Rīga": (2, 1), "Tukša": (0, 0)}


def test_a_refresh_replaces_the_old_figures(reference: None) -> None:
    curriculum = make_curriculum()
    ogre = make_organisation("Ogre", "LV-067")
    person = make_person("Viens", ogre)
    refresh_organisation_coverage()
    grant(person, curriculum.first_aid, valid_until=None)

    refresh_organisation_coverage()

    assert coverage() == {"Ogre": (1, 1)}
    assert OrganisationTrainingCoverage.objects.get().share == 1.0


def test_it_runs_in_a_fixed_number_of_statements(
    reference: None, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    curriculum = make_curriculum()
    for n in range(20):
        organisation = make_organisation(f"Org {n}", "LV-067")
        grant(make_person(f"P {n}", organisation), curriculum.first_aid, valid_until=None)

    with django_assert_max_num_queries(4):
        refresh_organisation_coverage()

    assert OrganisationTrainingCoverage.objects.count() == 20


def test_the_competency_matrix_refresh_refreshes_it_too(reference: None) -> None:
    curriculum = make_curriculum()
    ogre = make_organisation("Ogre", "LV-067")
    grant(make_person("Viens", ogre), curriculum.first_aid, valid_until=None)

    refresh_matrix()

    assert coverage() == {"Ogre": (1, 1)}
