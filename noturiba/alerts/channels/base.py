"""What every alert channel shares: the message, the result, the error and the ``Channel`` class.

Channels know nothing of models: the sending code builds an :class:`OutgoingMessage` from a
delivery row and records the :class:`DeliveryResult` or :class:`DeliveryError` it gets back.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Self

from django.conf import settings

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import StrOrPromise


class Attachment(NamedTuple):
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True, kw_only=True)
class OutgoingMessage:
    """One message to one recipient over one channel.

    ``idempotency_key`` is stable across retries of the same delivery: the email channel derives
    the Message-ID from it, the SMS and webhook channels pass it to the receiving side, so a
    resend after a crash can be recognised as the same message.
    """

    idempotency_key: str
    recipient: str  # an email address, an E.164 phone number or a webhook URL
    language: str
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    ack_url: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    # The webhook channel signs with this secret when set (a webhook endpoint's own secret).
    signing_secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class DeliveryResult:
    """The provider accepted the message; ``provider_message_id`` links its later reports."""

    provider_message_id: str | None
    accepted_at: datetime.datetime


class DeliveryError(Exception):
    """A message could not be handed over.

    ``permanent`` means sending the same message again cannot succeed (the address does not exist,
    the gateway refuses the request): the delivery is marked failed and escalation moves on.
    Otherwise it is retried later, no sooner than ``retry_after`` when the provider said so.
    ``reason`` is shown to coordinators (translatable); ``detail`` is the provider's own words,
    for the log.
    """

    def __init__(
        self,
        reason: StrOrPromise,
        *,
        permanent: bool,
        detail: str = "",
        retry_after: datetime.timedelta | None = None,
    ) -> None:
        self.reason = reason
        self.permanent = permanent
        self.detail = detail
        self.retry_after = retry_after
        super().__init__(f"{reason} ({detail})" if detail else str(reason))


class Channel(ABC):
    """A way of reaching a person. Subclasses set ``kind`` and ``label`` and implement ``send``.

    Use a channel for a batch of messages with ``with get_channel(kind) as channel:`` so that
    whatever it keeps open between messages is closed at the end.
    """

    kind: ClassVar[str]
    label: ClassVar[StrOrPromise]
    # Messages per second the sending code lets through, unless ALERT_CHANNEL_RATE_PER_SECOND
    # in the settings names another figure for this kind.
    default_rate_per_second: ClassVar[int] = 10

    @property
    def rate_per_second(self) -> int:
        configured: dict[str, int] = getattr(settings, "ALERT_CHANNEL_RATE_PER_SECOND", {})
        return configured.get(self.kind, self.default_rate_per_second)

    @abstractmethod
    def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Hand ``message`` over, or raise :class:`DeliveryError`."""

    def close(self) -> None:
        """Release what ``send`` kept open for the next message (a connection); may send again."""
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
