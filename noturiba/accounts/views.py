"""Sign-in and its steps (second factor, new password), sign-out, and the account page.

Signing in is: email and password (``SignInView``, locked out by django-axes after repeated
failures), then the steps of ``noturiba.accounts.sign_in`` the session still owes.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from noturiba.accounts import actions, policy, selectors, sign_in
from noturiba.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    ConfirmPasswordForm,
    SetupCodeForm,
    SignInForm,
)
from noturiba.accounts.models import User
from noturiba.accounts.qr import qr_svg

# The secret of an authenticator app being set up; no device row exists until it is confirmed.
SETUP_KEY_SESSION = "noturiba_totp_setup_key"
# New backup codes, shown once on the next page and then forgotten.
BACKUP_CODES_SESSION = "noturiba_backup_codes"
TOKENS_PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view using this is behind ``login_required``)."""
    return cast(User, request.user)


# --- Password sign-in -----------------------------------------------------------------------


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        auth_login(self.request, user)
        actions.record_sign_in(user, step="password")
        if selectors.has_two_factor(user):
            sign_in.start_second_factor(self.request)
        next_url = self.get_success_url()
        step = sign_in.pending_step(self.request)
        return redirect(sign_in.step_url(step, next_url) if step else next_url)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Two-factor sign-in ---------------------------------------------------------------------


def _verify_first(request: HttpRequest) -> HttpResponseRedirect | None:
    """A session that has not given a code may not change two-factor settings."""
    if sign_in.is_verified(request):
        return None
    return redirect(sign_in.url_with_next("accounts:two_factor_verify", request.get_full_path()))


def _manage_page(
    request: HttpRequest, disable_form: ConfirmPasswordForm, status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "device": selectors.totp_device_of(user),
        "backup_codes_left": selectors.backup_codes_left(user),
        "required": policy.requires_two_factor(user, required_setting=settings.REQUIRE_2FA),
        "disable_form": disable_form,
    }
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Where the sign-in step "second factor" leads: setup without a device, verify with one;
    a verified session sees the two-factor settings."""
    user = _user(request)
    next_url = sign_in.safe_next(request)
    if not selectors.has_two_factor(user):
        if not policy.requires_two_factor(user, required_setting=settings.REQUIRE_2FA):
            # The device was removed (a coordinator reset it): there is no code left to owe.
            sign_in.finish_second_factor(request)
        return redirect(sign_in.url_with_next("accounts:two_factor_setup", next_url))
    if not sign_in.is_verified(request):
        return redirect(sign_in.url_with_next("accounts:two_factor_verify", next_url))
    return _manage_page(request, ConfirmPasswordForm(user))


def _grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = sign_in.safe_next(request)
    if selectors.has_two_factor(user):
        return redirect(sign_in.url_with_next("accounts:two_factor", next_url))
    key = request.session.get(SETUP_KEY_SESSION)
    if not key:
        key = random_hex(20)
        request.session[SETUP_KEY_SESSION] = key
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.enable_two_factor(user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[SETUP_KEY_SESSION]
            otp_login(request, device)
            sign_in.finish_second_factor(request)
            request.session[BACKUP_CODES_SESSION] = codes
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(sign_in.url_with_next("accounts:two_factor_backup_codes", next_url))
    # An unsaved device, only to build the otpauth:// address the app reads from the QR code.
    pending = TOTPDevice(user=user, key=key)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_svg(pending.config_url),
        "secret": _grouped(b32encode(pending.bin_key).decode("ascii")),
        "required": policy.requires_two_factor(user, required_setting=settings.REQUIRE_2FA),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = sign_in.safe_next(request)
    if not selectors.has_two_factor(user):
        return redirect(sign_in.url_with_next("accounts:two_factor_setup", next_url))
    if sign_in.is_verified(request):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.verify_second_factor(user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            sign_in.finish_second_factor(request)
            step = sign_in.pending_step(request)
            return redirect(sign_in.step_url(step, next_url) if step else next_url)
    context = {"form": form, "next": next_url}
    return render(request, "accounts/two_factor_verify.html", context)


@never_cache
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Show new backup codes once; reloading the page does not show them again."""
    codes = request.session.pop(BACKUP_CODES_SESSION, None)
    if not codes:
        messages.info(request, _("Backup codes are shown only once. You can make new ones here."))
        return redirect("accounts:two_factor")
    context = {"codes": codes, "next": sign_in.safe_next(request)}
    return render(request, "accounts/backup_codes.html", context)


@require_POST
@login_required
def two_factor_new_backup_codes(request: HttpRequest) -> HttpResponse:
    if (must_verify := _verify_first(request)) is not None:
        return must_verify
    try:
        codes = actions.regenerate_backup_codes(_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_factor")
    request.session[BACKUP_CODES_SESSION] = codes
    return redirect("accounts:two_factor_backup_codes")


@require_POST
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off (also the first half of "start over with a new phone")."""
    user = _user(request)
    if selectors.has_two_factor(user) and (must_verify := _verify_first(request)) is not None:
        return must_verify
    form = ConfirmPasswordForm(user, request.POST)
    if not form.is_valid():
        return _manage_page(request, form, status=400)
    actions.disable_two_factor(user, user=user)
    messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("accounts:two_factor")


# --- Password -------------------------------------------------------------------------------


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    next_url = sign_in.safe_next(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Your new password is saved."))
        return redirect(next_url)
    context = {"form": form, "next": next_url, "must_change": user.must_change_password}
    return render(request, "accounts/password_change.html", context)


# --- My account: API tokens -----------------------------------------------------------------


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's account page: API tokens, links to two-factor and password settings.

    A new token is shown in the response to the POST that created it and stored nowhere, so
    that it can never be shown again.
    """
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = actions.create_api_token(user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            new_token = {"name": token.name, "raw": raw}
            form = ApiTokenForm()
    page = Paginator(selectors.api_tokens_of(user), TOKENS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "new_token": new_token,
        "page": page,
        "has_two_factor": selectors.has_two_factor(user),
    }
    return render(request, "accounts/account.html", context)


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = selectors.get_api_token_for_user(user, token_id)
    actions.revoke_api_token(user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
