"""Answers to an alert, and reading them from an SMS reply.

A reply counts when, ignoring case, diacritics, surrounding spaces and punctuation, it is exactly
one of the phrases in :data:`REPLY_PHRASES` (so "Drošībā!", " drosiba " and "1." all mean *safe*).
Anything else — including a longer message that merely contains a phrase — is not an answer, and
the sending code shows it to the coordinator as an unrecognised reply. The vocabulary is kept
small on purpose, so that no reply is read the wrong way:

- *safe*: 1, drošībā, esmu drošībā, drošs, droša, viss kārtībā, kārtībā, safe, I am safe,
  I'm safe, ok, okay
- *need help*: 2, palīdzība, palīdzību, vajag palīdzību, vajadzīga palīdzība,
  nepieciešama palīdzība, palīgā, help, need help, I need help, SOS
- *available to help*: 3, varu palīdzēt, pieejams, pieejama, esmu pieejams, esmu pieejama,
  available, I am available, I'm available, can help, I can help
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from noturiba.alerts.channels.sms import MalformedCallback, SmsGatewayConfig, lookup
from noturiba.lib.phone import PhoneError, to_e164

# A reply longer than this is a message, not an answer (and is not worth normalising).
MAX_REPLY_LENGTH = 200


class Answer(models.TextChoices):
    SAFE = "safe", _("Safe")
    NEED_HELP = "need_help", _("Need help")
    AVAILABLE = "available", _("Available to help")


REPLY_PHRASES: dict[Answer, tuple[str, ...]] = {
    Answer.SAFE: (
        "1",
        "drošībā",
        "esmu drošībā",
        "drošs",
        "droša",
        "viss kārtībā",
        "kārtībā",
        "safe",
        "I am safe",
        "I'm safe",
        "ok",
        "okay",
    ),
    Answer.NEED_HELP: (
        "2",
        "palīdzība",
        "palīdzību",
        "vajag palīdzību",
        "vajadzīga palīdzība",
        "nepieciešama palīdzība",
        "palīgā",
        "help",
        "need help",
        "I need help",
        "SOS",
    ),
    Answer.AVAILABLE: (
        "3",
        "varu palīdzēt",
        "pieejams",
        "pieejama",
        "esmu pieejams",
        "esmu pieejama",
        "available",
        "I am available",
        "I'm available",
        "can help",
        "I can help",
    ),
}

_WORD = re.compile(r"[^\W_]+")


def normalise_reply(text: str) -> str:
    """Lower case, no diacritics, words joined by single spaces, punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORD.findall(plain))


def _build_lookup() -> dict[str, Answer]:
    lookup: dict[str, Answer] = {}
    for answer, phrases in REPLY_PHRASES.items():
        for phrase in phrases:
            key = normalise_reply(phrase)
            if lookup.setdefault(key, answer) != answer:
                raise ValueError(f"reply phrase {phrase!r} means two answers")
    return lookup


_LOOKUP = _build_lookup()


def parse_sms_reply(text: str) -> Answer | None:
    """The answer an SMS reply gives, or ``None`` when it is not one of the known phrases."""
    if len(text) > MAX_REPLY_LENGTH:
        return None
    return _LOOKUP.get(normalise_reply(text))


@dataclass(frozen=True)
class InboundSms:
    sender: str  # E.164
    text: str
    answer: Answer | None


def parse_inbound_sms(
    payload: Mapping[str, Any], config: SmsGatewayConfig | None = None
) -> InboundSms:
    """The sender, text and answer of the gateway's inbound-message callback (JSON or form).

    Field names come from ``SMS_GATEWAY`` (``reply_sender_field``, ``reply_text_field``; dotted
    paths allowed). A sender without a leading ``+`` that is not a Latvian number is read as
    international (gateways often drop the ``+``). Raises :class:`MalformedCallback` when the
    sender is missing or is not a phone number.
    """
    config = config or SmsGatewayConfig.from_settings()
    raw_sender = lookup(payload, config.reply_sender_field)
    raw_text = lookup(payload, config.reply_text_field)
    if not isinstance(raw_sender, str | int) or isinstance(raw_sender, bool):
        raise MalformedCallback(f"no sender at {config.reply_sender_field!r}")
    text = raw_text if isinstance(raw_text, str) else ""
    return InboundSms(sender=_sender_e164(str(raw_sender)), text=text, answer=parse_sms_reply(text))


def _sender_e164(raw: str) -> str:
    for candidate in (raw, "+" + raw.strip().lstrip("+")):
        try:
            phone = to_e164(candidate)
        except PhoneError:
            continue
        if phone:
            return phone
    raise MalformedCallback(f"the sender is not a phone number: {raw[:40]!r}")
