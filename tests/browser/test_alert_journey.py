"""The whole alert in Chromium, end to end: a coordinator writes and sends an alert to an
audience, the task worker emails it (to a real SMTP server, aiosmtpd), the recipient opens the
acknowledgement link from the captured email and answers "need help" with a note, and the
coordinator's open dashboard shows it without a reload. axe-core checks the acknowledgement page.
"""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.tasks import send_deliveries
from noturiba.alerts.tests.conftest import Mailbox, mailbox  # noqa: F401
from noturiba.network.models import Municipality
from tests.browser.conftest import PHONE, axe_violations, set_language, sign_in_as

ACK_LINK = re.compile(r"https?://[^\s\"<>]+/ack/[A-Za-z0-9_-]+/")


def assert_no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {v['targets']}" for v in violations
    )


def ack_link_in(mailbox: Mailbox, address: str) -> str:  # noqa: F811
    """The acknowledgement link in the plain-text part of the email sent to ``address``."""
    for message in mailbox.messages():
        if address in message["To"]:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            found = ACK_LINK.search(body.get_content())
            assert found is not None, body.get_content()
            return found.group(0)
    raise AssertionError(f"no email to {address}: {mailbox.recipients()}")


def test_an_alert_is_written_sent_answered_and_watched(
    live_server: Any,
    page: Page,
    browser: Browser,
    mailbox: Mailbox,  # noqa: F811
    settings: Any,
    coordinator: User,
    admin_a: User,
    member_a: User,
) -> None:
    base = str(live_server)
    settings.PUBLIC_URL = base + "/"
    settings.ALERT_DASHBOARD_POLL_SECONDS = 1

    # The coordinator writes an alert to the members (not the admins) of Ogre's organisations.
    set_language(page, base, "en")
    sign_in_as(page, base, coordinator)
    page.goto(base + reverse("alerts:list"))
    page.get_by_role("link", name="New alert").click()
    page.locator("#id_status").select_option("Exercise")
    page.locator("#id_event").fill("Plūdi")
    page.locator("#id_headline").fill("Daugava kāpj Ogrē")
    page.locator("#id_description").fill("Ūdens līmenis ceļas.")
    page.locator("#id_instruction").fill("Atbildiet, vai esat drošībā.")
    ogre = Municipality.objects.get(code="LV-067")
    page.locator(f"input[name=municipalities][value='{ogre.pk}']").check()
    page.locator("input[name=roles][value=member]").check()
    expect(page.locator("#audience-count")).to_contain_text("1 person")
    page.get_by_role("button", name="Save draft").click()
    alert = Alert.objects.get()
    page.get_by_role("button", name="Send…").click()
    page.get_by_role("button", name="Send to 1 person").click()
    expect(page).to_have_url(base + reverse("alerts:detail", args=[alert.pk]))
    summary = page.locator("#live-summary")
    expect(summary).to_contain_text("0 of 1 person answered")

    # The task worker sends the queued deliveries: the email reaches the SMTP server.
    queued = list(Delivery.objects.filter(alert=alert).values_list("pk", flat=True))
    assert len(queued) == 1
    send_deliveries(queued)
    assert mailbox.recipients() == [member_a.email]
    link = ack_link_in(mailbox, member_a.email)
    assert link.startswith(base + "/ack/")

    # The recipient, not signed in, opens the link from the email and asks for help.
    recipient = browser.new_context(viewport=PHONE)
    answer_page = recipient.new_page()
    set_language(answer_page, base, "en")
    answer_page.goto(link)
    expect(answer_page.locator("main")).to_contain_text("Daugava kāpj Ogrē")
    assert_no_violations(answer_page)
    answer_page.get_by_role("textbox").fill("Pagrabā ūdens, vajag sūkni")
    answer_page.locator("button[name=answer][value=need_help]").click()
    expect(answer_page.locator("main [role=status]")).to_be_visible()
    assert_no_violations(answer_page)
    recipient.close()
    answer = Acknowledgement.objects.get(alert=alert)
    assert (answer.answer, answer.note) == ("need_help", "Pagrabā ūdens, vajag sūkni")

    # The coordinator's dashboard, still open, shows the answer without a reload.
    expect(summary).to_contain_text("1 of 1 person answered; 1 need help")
    help_table = page.get_by_role("table", name="People who answered that they need help")
    expect(help_table).to_contain_text("Pagrabā ūdens, vajag sūkni")
    expect(help_table).to_contain_text(member_a.full_name)
    expect(page.get_by_role("heading", name="Not reached yet (0)")).to_be_visible()
