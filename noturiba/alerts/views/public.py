"""The acknowledgement page: the link in every delivery, answered without signing in."""

from __future__ import annotations

from hashlib import sha256

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from noturiba.alerts import actions, feeds
from noturiba.alerts.forms import AcknowledgementForm
from noturiba.alerts.models import Acknowledgement, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tasks import message_language

# What an answer needs of its delivery: the ids it is recorded with, and the alert's state and
# expiry (``Alert.accepts_answers``).
_ANSWER_FIELDS = ("id", "alert_id", "person_id", "alert__state", "alert__expires")


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """Show the alert in the person's language and record their answer (the token is the key)."""
    status = 200
    if request.method == "POST":
        # Everyone answering at once is an alert's busiest moment (BENCHMARKS.md): a valid
        # answer is one statement and a redirect back to this page; only a refused one builds
        # the form and reads the delivery to say why.
        submitted = AcknowledgementForm.answer_of(request.POST)
        if submitted is not None and actions.acknowledge_by_token(
            request.user, token=token, answer=submitted[0], note=submitted[1]
        ):
            return HttpResponseRedirect(request.path)
    form = AcknowledgementForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
    # Built only now: even an unevaluated queryset costs more than the answer's statement.
    deliveries = Delivery.objects.filter(ack_token=token, person__isnull=False)
    if request.method == "POST":
        answering = get_object_or_404(deliveries.select_related("alert").only(*_ANSWER_FIELDS))
        status = 410 if not answering.alert.accepts_answers else 400
    delivery = get_object_or_404(deliveries.select_related("alert", "person"))
    alert = delivery.alert
    language = message_language(delivery)
    headline, description, instruction = alert.text_in(language)
    answered = Acknowledgement.objects.filter(alert=alert, person=delivery.person).first()
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


@require_GET
def cap_file(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The alert as a CAP 1.2 file (checked against the schema); a draft not yet sent says
    status Draft, so that it can never be relayed as an actual alert."""
    alert = feeds.get_cap_alert_for_user(request.user, alert_id)
    response = HttpResponse(feeds.cap_xml(alert), content_type=feeds.CAP_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{alert.identifier}.xml")
        or "attachment"
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def cap_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of public Actual alerts, each entry linking to its CAP file."""
    alerts = feeds.public_feed_alerts()
    updated = feeds.feed_updated(alerts)
    body = feeds.build_feed(
        alerts, title=gettext("Noturība: public alerts"), updated=updated or timezone.now()
    )
    etag = quote_etag(sha256(body).hexdigest())
    last_modified = int(updated.timestamp()) if updated else None
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=None
    )
    response = conditional or HttpResponse(body, content_type=feeds.FEED_CONTENT_TYPE)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=60)
    return response
