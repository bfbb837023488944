"""Email over SMTP, through Django's mail backend (``EMAIL_*`` settings).

One message has a plain-text part, an optional HTML part and the attachments (the CAP file).
The Message-ID is derived from the idempotency key, so a resend after a crash carries the same
Message-ID and mail clients and archives can recognise it as the same message.
"""

from __future__ import annotations

import hashlib
import smtplib
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels.base import Channel, DeliveryError, DeliveryResult, OutgoingMessage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def message_id_for(idempotency_key: str) -> str:
    """The Message-ID of every attempt of the delivery with ``idempotency_key``."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"<{digest}.alert@{domain or DNS_NAME.get_fqdn()}>"


class EmailChannel(Channel):
    """Email through Django's mail backend.

    One channel keeps one SMTP connection open across the messages it sends (a batch), until
    :meth:`close` or an error; a connection the server dropped while idle is reopened once.
    """

    kind = "email"
    label = _("Email")
    default_rate_per_second = 20

    def __init__(self) -> None:
        self._connection: Any = None

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        try:
            validate_email(message.recipient)
        except ValidationError:
            raise DeliveryError(
                _("The email address is not valid."), permanent=True, detail=message.recipient
            ) from None
        message_id = message_id_for(message.idempotency_key)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={
                "Message-ID": message_id,
                "Auto-Submitted": "auto-generated",
                "Content-Language": message.language,
            },
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        try:
            self._hand_over(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code, answer = next(iter(exc.recipients.values()))
            raise _smtp_error(code, answer, _("The mail server refused the recipient.")) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError) as exc:
            # The platform's own sender or credentials: wait for the operator to fix them.
            self.close()
            raise DeliveryError(
                _("The mail server refused the platform's sender address or credentials."),
                permanent=False,
                detail=f"{exc.smtp_code} {exc.smtp_error!r}",
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise _smtp_error(
                exc.smtp_code, exc.smtp_error, _("The mail server refused the message.")
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Disconnected, refused connection, timeout, unknown host: try again later.
            self.close()
            raise DeliveryError(
                _("The mail server could not be reached."), permanent=False, detail=repr(exc)
            ) from exc
        return DeliveryResult(provider_message_id=message_id, accepted_at=timezone.now())

    def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def _hand_over(self, email: EmailMultiAlternatives) -> None:
        reused = self._connection is not None
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
            self._connection.open()
        email.connection = self._connection
        try:
            email.send()
        except smtplib.SMTPServerDisconnected:
            self.close()
            if not reused:
                raise
            # The server dropped the connection while it was idle: open a new one, once.
            self._hand_over(email)


def _smtp_error(code: int, answer: bytes | str, reason: StrOrPromise) -> DeliveryError:
    """5xx is a permanent refusal; 4xx (and anything else) a temporary one."""
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
    return DeliveryError(
        reason,
        permanent=500 <= code < 600,
        detail=f"{code} {text}",
    )
