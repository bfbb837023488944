"""The channel registry and what every channel shares."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels.base import Channel, DeliveryError
from noturiba.alerts.channels.registry import (
    CHANNELS,
    UnknownChannel,
    channel_kinds,
    get_channel,
    get_channel_class,
)


def test_it_registers_email_sms_and_webhook() -> None:
    assert channel_kinds() == ["email", "sms", "webhook"]


@pytest.mark.parametrize("kind", list(CHANNELS))
def test_each_registered_class_is_a_channel_of_its_own_kind(kind: str) -> None:
    channel_class = get_channel_class(kind)

    assert issubclass(channel_class, Channel)
    assert channel_class.kind == kind
    assert isinstance(get_channel(kind), channel_class)
    assert str(channel_class.label)


def test_it_refuses_an_unknown_kind() -> None:
    with pytest.raises(UnknownChannel, match="pigeon"):
        get_channel("pigeon")


@pytest.mark.parametrize("kind", list(CHANNELS))
def test_the_rate_comes_from_the_settings_or_the_channel_default(kind: str, settings: Any) -> None:
    settings.ALERT_CHANNEL_RATE_PER_SECOND = {kind: 3}
    assert get_channel(kind).rate_per_second == 3

    settings.ALERT_CHANNEL_RATE_PER_SECOND = {}
    assert get_channel(kind).rate_per_second == get_channel_class(kind).default_rate_per_second


def test_a_delivery_error_keeps_a_lazy_reason_for_people_and_the_providers_words_for_logs(
    english: None,
) -> None:
    error = DeliveryError(
        _("The mail server could not be reached."),
        permanent=False,
        detail="451 later",
        retry_after=datetime.timedelta(minutes=5),
    )

    assert isinstance(error.reason, Promise)  # translated when shown, in the reader's language
    assert error.permanent is False
    assert error.retry_after == datetime.timedelta(minutes=5)
    assert str(error) == "The mail server could not be reached. (451 later)"
