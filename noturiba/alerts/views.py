"""The acknowledgement page: the link in every delivery, answered without signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from noturiba.alerts import actions
from noturiba.alerts.forms import AcknowledgementForm
from noturiba.alerts.models import Acknowledgement, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tasks import message_language


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """Show the alert in the person's language and record their answer (the token is the key)."""
    delivery = get_object_or_404(
        Delivery.objects.select_related("alert", "person"), ack_token=token
    )
    alert = delivery.alert
    form = AcknowledgementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not alert.accepts_answers:
            status = 410
        elif form.is_valid():
            actions.acknowledge_alert(
                request.user,
                delivery=delivery,
                answer=Answer(form.cleaned_data["answer"]),
                note=form.cleaned_data["note"],
            )
            return redirect("alerts:ack", token=token)
        else:
            status = 400
    language = message_language(delivery)
    headline, description, instruction = alert.text_in(language)
    answered = Acknowledgement.objects.filter(alert=alert, person_id=delivery.person_id).first()
    with translation.override(language):
        response = render(
            request,
            "alerts/acknowledge.html",
            {
                "alert": alert,
                "headline": headline,
                "description": description,
                "instruction": instruction,
                "language": language,
                "form": form,
                "answers": Answer.choices,
                "answered": answered,
            },
            status=status,
        )
    # The link is the key: never send it to other sites. ("no-referrer" would make the browser
    # send "Origin: null" with the form, which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
