"""``{% enrolment_box session as box %}``: what the enrolment box of a session page shows.

The session page (another part of the training app) includes
``training/enrolment/_session_box.html`` with ``session`` in its context; the box reads its
facts for the signed-in user through this tag (one selector call, no logic here).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from noturiba.training.models import TrainingSession
from noturiba.training.selectors.enrolment import SessionBox, session_box

register = template.Library()


@register.simple_tag(takes_context=True)
def enrolment_box(context: Any, session: TrainingSession) -> SessionBox:
    request = context.get("request")
    return session_box(request.user if request is not None else AnonymousUser(), session)
