"""Training pages: the curriculum (courses, modules, outcomes, hours, competencies).

URLs in ``urlpatterns`` below, collected by ``training/urls.py``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from noturiba.accounts import policy
from noturiba.training.selectors import curriculum as selectors


@login_required
@require_safe
def curriculum(request: HttpRequest) -> HttpResponse:
    """Every signed-in user reads the curriculum; coordinators get a link to manage it."""
    return render(
        request,
        "training/curriculum/curriculum.html",
        {
            "courses": selectors.courses_with_modules(),
            "modules": selectors.modules_with_competencies(),
            "can_manage": policy.can_manage_curriculum(request.user)
            and policy.can_use_admin_site(request.user),
        },
    )


urlpatterns: list[URLPattern] = [
    path("training/curriculum/", curriculum, name="curriculum"),
]
