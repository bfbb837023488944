"""The training programme's pages (mounted at the site root): each area's views module lists its
own ``urlpatterns``; the public certificate check lives at ``/verify/<code>``."""

from django.urls import URLPattern

from noturiba.training.views import (
    attendance,
    certificates,
    curriculum,
    enrolment,
    knowledge,
    sessions,
)

app_name = "training"

urlpatterns: list[URLPattern] = [
    *curriculum.urlpatterns,
    *sessions.urlpatterns,
    *enrolment.urlpatterns,
    *attendance.urlpatterns,
    *certificates.urlpatterns,
    *knowledge.urlpatterns,
]
