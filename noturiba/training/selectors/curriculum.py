"""Reading the curriculum: courses with their modules, modules with their competencies.

The curriculum is reference data every signed-in user may read; the queries here load a whole
page of it in a fixed number of queries (prefetches), whatever its size.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from noturiba.training.models import Competency, Course, CourseModule, Module


def modules_with_competencies() -> QuerySet[Module]:
    """Modules in use, in curriculum order, with their competencies (one extra query)."""
    return (
        Module.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("sort_order", "code"))
        )
        .order_by("sort_order", "code")
    )


def courses_with_modules() -> QuerySet[Course]:
    """Courses in use with their modules in order (one extra query)."""
    return (
        Course.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "course_modules",
                queryset=CourseModule.objects.select_related("module").order_by("position", "id"),
            )
        )
        .order_by("sort_order", "code")
    )


def active_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_active=True).order_by("sort_order", "code")
