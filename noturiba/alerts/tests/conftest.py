"""Shared alert fixtures: a real SMTP server (aiosmtpd) on loopback and a sent delivery."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert, Delivery
from noturiba.network.models import Person


@dataclass
class Mailbox:
    """An aiosmtpd handler that keeps what it receives and answers RCPT as told.

    ``rcpt_answer`` answers every recipient; ``refuse`` maps single addresses to an answer.
    """

    rcpt_answer: str = "250 OK"
    refuse: dict[str, str] = field(default_factory=dict)
    received: list[Envelope] = field(default_factory=list)
    peers: list[Any] = field(default_factory=list)  # the client's address of each message

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        answer = self.refuse.get(address, self.rcpt_answer)
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        self.peers.append(session.peer)
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(envelope.original_content or b"", policy=email.policy.default)
            for envelope in self.received
        ]

    def recipients(self) -> list[str]:
        return sorted(address for envelope in self.received for address in envelope.rcpt_tos)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_mailbox(settings: Any, *, from_email: str) -> Iterator[Mailbox]:
    """A running SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = from_email
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A running SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    with running_mailbox(settings, from_email="Noturība <brideni@noturiba.example.lv>") as box:
        yield box


@pytest.fixture
def delivery(member_a: User) -> Delivery:
    """A sent email delivery of an alert (Latvian, with English) to organisation A's member."""
    alert = Alert.objects.create(
        sender="brideni@noturiba.example.lv",
        event="Plūdi",
        headline="Plūdi Ogrē",
        description="Ūdens līmenis Ogrē ceļas.",
        instruction="Dodieties uz augstāku vietu.",
        headline_en="Floods in Ogre",
        description_en="The water is rising in Ogre.",
        instruction_en="Move to higher ground.",
        web="https://ogre.lv/pludi",
        state=Alert.State.SENDING,
        sent=timezone.now(),
    )
    person = Person.objects.get(user=member_a)
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel="email",
        address=person.email,
        idempotency_key=f"delivery-{alert.pk}-{person.pk}-email",
        state=Delivery.State.SENT,
    )
