"""Browser tests: Debian's Chromium driven by Playwright, pages checked with axe-core.

The browser is the system's ``/usr/bin/chromium`` (no browser download). Pages are served by
pytest-django's ``live_server`` on 127.0.0.1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from noturiba.accounts.models import User

# A sent alert delivery to organisation A's member (for the acknowledgement page).
from noturiba.alerts.tests.conftest import delivery  # noqa: F401

# The named people and the reference data of noturiba/conftest.py, which pytest applies only
# below noturiba/; ``_test_settings`` is autouse there and so here too.
from noturiba.conftest import (  # noqa: F401
    _test_settings,
    admin_a,
    admin_b,
    coordinator,
    member_a,
    officer,
    ogre_commission,
    org_a,
    org_b,
    reference,
    trainer,
)

# Playwright's sync API keeps an event loop in this thread; Django's ORM, used by fixtures
# between browser steps, would refuse to run beside it without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NOTURIBA_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    # The platform works without the internet: block anything that is not the live server.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and return its violations."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]


def set_language(page: Page, base_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "noturiba_language", "value": language, "url": base_url}])


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form (field names do not depend on the language)."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    # Wait for the answer to this submission, not just any loaded page (the form's own is one).
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_in_as(page: Page, base_url: str, user: User) -> None:
    """Give the browser a signed-in session for ``user`` without going through the form.

    For tests about a page rather than about signing in: the session is made by Django's test
    client and its cookie handed to the browser.
    """
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )
