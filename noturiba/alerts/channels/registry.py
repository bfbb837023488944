"""The channel registry: kind → the class that sends over it.

Adding a channel is one file ``channels/<kind>.py``, one test file and one line here.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from noturiba.alerts.channels.base import Channel

CHANNELS: dict[str, str] = {
    "email": "noturiba.alerts.channels.email.EmailChannel",
    "sms": "noturiba.alerts.channels.sms.SmsChannel",
    "webhook": "noturiba.alerts.channels.webhook.WebhookChannel",
}


class UnknownChannel(LookupError):
    """No channel of this kind is registered."""


def channel_kinds() -> list[str]:
    return list(CHANNELS)


def get_channel_class(kind: str) -> type[Channel]:
    try:
        path = CHANNELS[kind]
    except KeyError:
        raise UnknownChannel(f"no alert channel of kind {kind!r}") from None
    channel_class: type[Channel] = import_string(path)
    return channel_class


def get_channel(kind: str) -> Channel:
    """A channel of ``kind`` configured from the settings."""
    return get_channel_class(kind)()
