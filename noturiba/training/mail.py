"""Training emails: one function sends a message to a person, in their language, after commit.

Every training email (enrolment confirmation, waiting-list promotion, reminder, invitation,
certificate issued, …) goes through :func:`send_training_mail`. It renders three templates in the
person's preferred language (Latvian or English; any other preference falls back to the site's
default language) and hands the message to the alerts capability's email channel
(:class:`~noturiba.alerts.channels.email.EmailChannel`) once the surrounding transaction has
committed, so a rolled-back action sends nothing.

Templates, given ``template="training/mail/enrolment_confirmed"``:

- ``training/mail/enrolment_confirmed_subject.txt`` — the subject (one line; whitespace folded);
- ``training/mail/enrolment_confirmed.txt`` — the plain-text body;
- ``training/mail/enrolment_confirmed.html`` — an optional HTML body (skipped when missing).

The context always has ``person`` and ``public_url`` (``settings.PUBLIC_URL`` without its final
slash, to build absolute links: ``{{ public_url }}{% url … %}``).

A message that cannot be handed over is logged and dropped: the action it follows has already
succeeded and the page or API answer must not fail because the mail server is down.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from noturiba.alerts.channels.base import Attachment, DeliveryError, OutgoingMessage
from noturiba.alerts.channels.email import EmailChannel
from noturiba.network.models import Person

logger = logging.getLogger(__name__)

__all__ = ["Attachment", "mail_language", "render_training_mail", "send_training_mail"]


def mail_language(person: Person) -> str:
    """The language of the person's emails: their preference when the site speaks it."""
    spoken = {code for code, _name in settings.LANGUAGES}
    if person.preferred_language in spoken:
        return person.preferred_language
    return str(settings.LANGUAGE_CODE)


def render_training_mail(
    *,
    person: Person,
    template: str,
    context: Mapping[str, Any] | None = None,
) -> tuple[str, str, str | None]:
    """(subject, text, html or None) of ``template`` rendered in the person's language."""
    full_context = {
        "person": person,
        "public_url": str(settings.PUBLIC_URL).rstrip("/"),
        **(context or {}),
    }
    with translation.override(mail_language(person)):
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        text = render_to_string(f"{template}.txt", full_context)
        try:
            html_template = get_template(f"{template}.html")
        except TemplateDoesNotExist:
            html = None
        else:
            html = html_template.render(full_context)
    return subject, text, html


def send_training_mail(
    *,
    person: Person,
    template: str,
    context: Mapping[str, Any] | None = None,
    attachments: Sequence[Attachment] = (),
    key: str,
) -> bool:
    """Email ``person`` the message ``template`` (see the module text) after the current
    transaction commits. ``key`` is stable for the same message (``"enrolment-7-confirmed"``):
    the Message-ID is derived from it. Returns False (and sends nothing) when the person has no
    email address.

    The templates are rendered now, in the person's language; only the hand-over waits for the
    commit. Outside a transaction the message is sent at once.
    """
    if not person.email:
        return False
    subject, text, html = render_training_mail(person=person, template=template, context=context)
    message = OutgoingMessage(
        idempotency_key=f"training-{key}",
        recipient=person.email,
        language=mail_language(person),
        subject=subject,
        text=text,
        html=html,
        attachments=list(attachments),
    )
    transaction.on_commit(lambda: _hand_over(message))
    return True


def _hand_over(message: OutgoingMessage) -> None:
    channel = EmailChannel()
    try:
        channel.send(message)
    except DeliveryError as exc:
        logger.warning(
            "Training email %s to %s not sent: %s (%s)",
            message.idempotency_key,
            message.recipient,
            exc.reason,
            exc.detail,
        )
    finally:
        channel.close()
