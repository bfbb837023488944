"""Signed webhooks: one JSON POST per alert to a subscriber's URL.

The body is signed with HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with the shared secret
(the message's own ``signing_secret`` — a webhook endpoint's secret — when it has one, otherwise
``WEBHOOK_SECRET`` unless the channel is given another); the receiver checks it with
:func:`verify_signature`, which also refuses a timestamp outside the tolerance, so a captured
request cannot be replayed later. Headers:

- ``X-Noturiba-Signature: sha256=<hex digest>``
- ``X-Noturiba-Timestamp: <Unix seconds>``
- ``Idempotency-Key: <the delivery's key>`` (also in the body), the same on every retry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels import http_client
from noturiba.alerts.channels.base import Channel, DeliveryError, DeliveryResult, OutgoingMessage

SIGNATURE_HEADER = "X-Noturiba-Signature"
TIMESTAMP_HEADER = "X-Noturiba-Timestamp"
_PREFIX = "sha256="


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Noturiba-Signature`` value for ``body`` sent at ``timestamp``."""
    signed = f"{timestamp}.".encode() + body
    return _PREFIX + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    body: bytes,
    header: str | None,
    timestamp: str | None,
    tolerance: int = 300,
    *,
    now: int | None = None,
) -> bool:
    """Whether ``header`` signs ``body`` at ``timestamp``, no more than ``tolerance`` s away."""
    if not secret or not header or not timestamp:
        return False
    stripped = timestamp.strip()
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 12:
        return False
    sent_at = int(stripped)
    current = int(time.time()) if now is None else now
    if abs(current - sent_at) > tolerance:
        return False
    return hmac.compare_digest(header.strip().encode(), sign(secret, body, sent_at).encode())


class WebhookChannel(Channel):
    kind = "webhook"
    label = _("Webhook")
    default_rate_per_second = 20

    def __init__(self, secret: str | None = None, timeout: int | None = None) -> None:
        self.secret = settings.WEBHOOK_SECRET if secret is None else secret
        self.timeout = settings.WEBHOOK_TIMEOUT if timeout is None else timeout
        self._http = http_client.Session()  # kept-alive connections, one per receiver

    def close(self) -> None:
        self._http.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        secret = message.signing_secret or self.secret
        if not secret:
            raise DeliveryError(_("No webhook signing secret is configured."), permanent=True)
        http_client.check_http_url(message.recipient)
        body = payload(message)
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Noturiba-Webhook/1",
            SIGNATURE_HEADER: sign(secret, body, timestamp),
            TIMESTAMP_HEADER: str(timestamp),
            "Idempotency-Key": message.idempotency_key,
        }
        self._http.post(message.recipient, body=body, headers=headers, timeout=self.timeout)
        return DeliveryResult(provider_message_id=None, accepted_at=timezone.now())


def payload(message: OutgoingMessage) -> bytes:
    """The JSON body: the alert's id and CAP identifier (from the metadata), text and links."""
    metadata = dict(message.metadata)
    document = {
        "event": "alert",
        "idempotency_key": message.idempotency_key,
        "alert_id": metadata.pop("alert_id", None),
        "cap_identifier": metadata.pop("cap_identifier", None),
        "language": message.language,
        "subject": message.subject,
        "text": message.text,
        "ack_url": message.ack_url,
        "metadata": metadata,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
