"""SMS through a generic HTTP gateway: one POST per message, configured by ``SMS_GATEWAY``.

The body is JSON or a form, with configurable field names for the recipient, the text, the
sender id and the idempotency key (which also goes in an ``Idempotency-Key`` header); auth is
none, a bearer token or basic. The provider's message id is read from a configurable field of the
JSON answer (a dotted path such as ``messages.0.id``) and links the gateway's delivery reports,
read by :func:`parse_delivery_report`.
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels import http_client
from noturiba.alerts.channels.base import Channel, DeliveryError, DeliveryResult, OutgoingMessage
from noturiba.lib.phone import PhoneError, to_e164

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class SmsGatewayConfig:
    """How to talk to the gateway; the settings' ``SMS_GATEWAY`` holds the same keys."""

    url: str
    body_format: str = "json"  # "json" or "form"
    auth: str = "none"  # "none", "bearer" or "basic"
    token: str = ""
    username: str = ""
    password: str = ""
    sender_id: str = ""
    recipient_field: str = "to"
    text_field: str = "text"
    sender_field: str = "from"
    idempotency_key_field: str = "reference"
    response_id_field: str = "id"
    timeout: int = 10
    report_id_field: str = "id"
    report_status_field: str = "status"
    report_delivered: tuple[str, ...] = ("delivered",)
    report_failed: tuple[str, ...] = ("failed",)
    reply_sender_field: str = "from"
    reply_text_field: str = "text"

    @classmethod
    def from_settings(cls) -> SmsGatewayConfig:
        values: dict[str, Any] = dict(settings.SMS_GATEWAY)
        for key in ("report_delivered", "report_failed"):
            values[key] = tuple(values[key])
        return cls(**values)


class SmsChannel(Channel):
    kind = "sms"
    label = _("SMS")
    default_rate_per_second = 10

    def __init__(self, config: SmsGatewayConfig | None = None) -> None:
        self.config = config or SmsGatewayConfig.from_settings()
        self._http = http_client.Session()  # one kept-alive connection to the gateway

    def close(self) -> None:
        self._http.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        config = self.config
        if not config.url:
            raise DeliveryError(_("No SMS gateway is configured."), permanent=True)
        try:
            phone = to_e164(message.recipient)
        except PhoneError as exc:
            raise DeliveryError(
                _("The phone number is not valid."), permanent=True, detail=str(exc)
            ) from exc
        if not phone:
            raise DeliveryError(_("The phone number is not valid."), permanent=True)
        fields = {config.recipient_field: phone, config.text_field: message.text}
        if config.sender_id and config.sender_field:
            fields[config.sender_field] = config.sender_id
        if config.idempotency_key_field:
            fields[config.idempotency_key_field] = message.idempotency_key
        headers = {"Accept": "application/json", "Idempotency-Key": message.idempotency_key}
        headers.update(_auth_header(config))
        if config.body_format == "form":
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(fields, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        response = self._http.post(config.url, body=body, headers=headers, timeout=config.timeout)
        return DeliveryResult(
            provider_message_id=_provider_id(response.body, config.response_id_field),
            accepted_at=timezone.now(),
        )


def _auth_header(config: SmsGatewayConfig) -> dict[str, str]:
    if config.auth == "bearer":
        return {"Authorization": f"Bearer {config.token}"}
    if config.auth == "basic":
        pair = f"{config.username}:{config.password}".encode()
        return {"Authorization": f"Basic {base64.b64encode(pair).decode()}"}
    return {}


def _provider_id(body: bytes, path: str) -> str | None:
    """The message id in the gateway's JSON answer, or ``None`` (logged) when there is none."""
    if not path:
        return None
    try:
        value = lookup(json.loads(body), path)
    except ValueError:
        value = None
    if value is None or isinstance(value, dict | list) or value == "":
        logger.warning("SMS gateway answer has no message id at %r: %r", path, body[:200])
        return None
    return str(value)


def lookup(document: Any, path: str) -> Any:
    """The value at a dotted ``path`` (``messages.0.id``) in parsed JSON or a form, or ``None``."""
    value = document
    for step in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, list) and step.isascii() and step.isdigit():
            index = int(step)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


class ReportState(enum.StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    PENDING = "pending"  # any other status the gateway reports (accepted, buffered, …)


class MalformedCallback(ValueError):
    """A gateway callback (delivery report or inbound reply) without the fields it needs."""


def parse_delivery_report(
    payload: Mapping[str, Any], config: SmsGatewayConfig | None = None
) -> tuple[str, ReportState]:
    """The provider message id and its state from a delivery-report callback (JSON or form).

    Status words are compared without regard to case. Raises :class:`MalformedCallback` when the
    payload names no message.
    """
    config = config or SmsGatewayConfig.from_settings()
    provider_id = lookup(payload, config.report_id_field)
    if provider_id is None or isinstance(provider_id, dict | list) or str(provider_id) == "":
        raise MalformedCallback(f"no message id at {config.report_id_field!r}")
    status = str(lookup(payload, config.report_status_field) or "").strip().casefold()
    if status in {word.casefold() for word in config.report_delivered}:
        state = ReportState.DELIVERED
    elif status in {word.casefold() for word in config.report_failed}:
        state = ReportState.FAILED
    else:
        state = ReportState.PENDING
    return str(provider_id), state
