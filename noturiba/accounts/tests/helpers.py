"""Helpers shared by the accounts tests: signing in through the real form, real TOTP codes."""

from __future__ import annotations

import time
from binascii import unhexlify

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts.models import User
from noturiba.conftest import PASSWORD


def post_sign_in(client: Client, email: str, password: str = PASSWORD, next_url: str = "") -> str:
    """Sign in through the sign-in page; returns where it redirected (or "" if it did not)."""
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    return response["Location"] if response.status_code == 302 else ""


def code_for_key(key: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app holding the hex ``key`` shows now (or ``steps_ahead`` 30-second
    steps later; the platform accepts one step of clock difference)."""
    return f"{totp(unhexlify(key), drift=steps_ahead):06d}"


def add_totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator app for ``user`` that has not been used yet."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def next_code(device: TOTPDevice) -> str:
    """A code the device will accept: the current step, or the next one if the current step was
    already used (a code never works twice)."""
    device.refresh_from_db()
    current_t = (int(time.time()) - device.t0) // device.step
    return code_for_key(device.key, steps_ahead=1 if device.last_t >= current_t else 0)
