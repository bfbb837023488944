"""The email channel against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from noturiba.alerts.channels.base import Attachment, DeliveryError, OutgoingMessage
from noturiba.alerts.channels.email import EmailChannel, message_id_for
from noturiba.alerts.channels.registry import get_channel
from noturiba.alerts.tests.conftest import Mailbox, free_port

CAP_XML = b'<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>'


def alert_message(**overrides: Any) -> OutgoingMessage:
    fields: dict[str, Any] = {
        "idempotency_key": "delivery-42-email",
        "recipient": "anna@example.lv",
        "language": "lv",
        "subject": "Brīdinājums: plūdi Ogrē",
        "text": "Ūdens līmenis ceļas. Atbildiet: https://noturiba.example.lv/ack/abc",
        "html": "<p>Ūdens līmenis ceļas.</p>",
        "attachments": [Attachment("alert.cap.xml", CAP_XML, "application/cap+xml")],
        "ack_url": "https://noturiba.example.lv/ack/abc",
    }
    return OutgoingMessage(**(fields | overrides))


def test_it_delivers_text_html_and_the_cap_file_with_a_message_id_from_the_key(
    mailbox: Mailbox,
) -> None:
    result = EmailChannel().send(alert_message())

    [envelope] = mailbox.received
    assert envelope.rcpt_tos == ["anna@example.lv"]
    assert envelope.mail_from == "brideni@noturiba.example.lv"
    [received] = mailbox.messages()
    message_id = received["Message-ID"].strip()
    assert message_id == message_id_for("delivery-42-email")
    assert result.provider_message_id == message_id
    assert message_id.endswith(".alert@noturiba.example.lv>")
    assert received["Subject"] == "Brīdinājums: plūdi Ogrē"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Content-Language"] == "lv"
    plain = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert plain is not None and "Ūdens līmenis ceļas" in plain.get_content()
    assert html is not None and "<p>Ūdens līmenis ceļas.</p>" in html.get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "alert.cap.xml"
    assert attachment.get_content_type() == "application/cap+xml"
    assert attachment.get_content() == CAP_XML


def test_it_sends_a_resend_with_the_same_message_id(mailbox: Mailbox) -> None:
    channel = EmailChannel()

    channel.send(alert_message())
    channel.send(alert_message())
    channel.send(alert_message(idempotency_key="delivery-43-email"))

    ids = [received["Message-ID"].strip() for received in mailbox.messages()]
    assert ids[0] == ids[1]
    assert ids[2] != ids[0]


def test_it_sends_a_batch_over_one_connection_and_closes_it(mailbox: Mailbox) -> None:
    with EmailChannel() as channel:
        for number in range(3):
            channel.send(alert_message(idempotency_key=f"delivery-{number}-email"))
    with EmailChannel() as channel:
        channel.send(alert_message())

    assert len(mailbox.received) == 4
    assert mailbox.peers[0] == mailbox.peers[1] == mailbox.peers[2]
    assert mailbox.peers[3] != mailbox.peers[0]


def test_it_reopens_a_connection_the_server_dropped(mailbox: Mailbox, settings: Any) -> None:
    first = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    first.start()
    settings.EMAIL_PORT = first.port
    with EmailChannel() as channel:
        channel.send(alert_message())
        first.stop()  # closes the idle connection
        second = Controller(mailbox, hostname="127.0.0.1", port=first.port)
        second.start()
        try:
            channel.send(alert_message(idempotency_key="delivery-43-email"))
        finally:
            second.stop()

    assert len(mailbox.received) == 2
    assert mailbox.peers[0] != mailbox.peers[1]


def test_it_keeps_sending_after_a_refused_recipient(mailbox: Mailbox) -> None:
    with EmailChannel() as channel:
        mailbox.rcpt_answer = "550 5.1.1 No such user"
        with pytest.raises(DeliveryError):
            channel.send(alert_message(recipient="nobody@example.lv"))
        mailbox.rcpt_answer = "250 OK"
        channel.send(alert_message())

    [envelope] = mailbox.received
    assert envelope.rcpt_tos == ["anna@example.lv"]


def test_it_sends_plain_text_alone_when_there_is_no_html(mailbox: Mailbox) -> None:
    EmailChannel().send(alert_message(html=None, attachments=[]))

    [received] = mailbox.messages()
    assert received.get_content_type() == "text/plain"
    assert "Ūdens līmenis ceļas" in received.get_content()


def test_it_is_registered_as_the_email_channel(mailbox: Mailbox) -> None:
    channel = get_channel("email")

    channel.send(alert_message())

    assert isinstance(channel, EmailChannel)
    assert len(mailbox.received) == 1


def test_it_fails_permanently_when_the_server_refuses_the_recipient(mailbox: Mailbox) -> None:
    mailbox.rcpt_answer = "550 5.1.1 No such user"

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(alert_message())

    assert caught.value.permanent is True
    assert "550" in caught.value.detail
    assert mailbox.received == []


def test_it_fails_temporarily_when_the_server_defers_the_recipient(mailbox: Mailbox) -> None:
    mailbox.rcpt_answer = "451 4.7.1 Greylisted, try again later"

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(alert_message())

    assert caught.value.permanent is False
    assert "451" in caught.value.detail


def test_it_fails_temporarily_when_the_server_is_down(mailbox: Mailbox, settings: Any) -> None:
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(alert_message())

    assert caught.value.permanent is False
    assert mailbox.received == []


def test_it_fails_temporarily_when_the_server_never_answers(
    mailbox: Mailbox, settings: Any
) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 1

        with pytest.raises(DeliveryError) as caught:
            EmailChannel().send(alert_message())

    assert caught.value.permanent is False


def test_it_fails_permanently_for_an_address_that_is_not_an_email(mailbox: Mailbox) -> None:
    with pytest.raises(DeliveryError) as caught:
        EmailChannel().send(alert_message(recipient="not an address"))

    assert caught.value.permanent is True
    assert mailbox.received == []
