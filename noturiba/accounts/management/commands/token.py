"""Personal API tokens from the command line.

    noturiba token create --email anna@example.org --name "GIS import"   # prints the token
    noturiba token list --email anna@example.org
    noturiba token revoke --id 12

``create`` prints only the raw token on standard output (for scripts: ``TOKEN=$(noturiba token
create …)``); it is stored as a digest and cannot be shown again.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from noturiba.accounts import actions, selectors
from noturiba.accounts.models import ApiToken, User


def _local(moment: datetime.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "never"


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{create,list,revoke}")
        create = verbs.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--email", required=True, help="The account the token acts as.")
        create.add_argument("--name", required=True, help="Where the token is used.")
        listing = verbs.add_parser("list", help="List the tokens of an account.")
        listing.add_argument("--email", required=True)
        revoke = verbs.add_parser("revoke", help="Revoke a token by its id (see list).")
        revoke.add_argument("--id", type=int, required=True, dest="token_id")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "create":
            self._create(self._user(options["email"]), options["name"])
        elif verb == "list":
            self._list(self._user(options["email"]))
        else:
            self._revoke(options["token_id"])

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the email address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {user.email} is switched off.")
        return user

    def _create(self, user: User, name: str) -> None:
        try:
            token, raw = actions.create_api_token(None, name=name, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.pk} “{token.name}” for {user.email}. "
            "Store it now: it cannot be shown again.",
            style_func=lambda text: text,  # a note, not an error: no red
        )

    def _list(self, user: User) -> None:
        for token in selectors.api_tokens_of(user):
            state = f"revoked {_local(token.revoked_at)}" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.pk}\t{token.hint}…\t{token.name}\tcreated {_local(token.created_at)}"
                f"\tlast used {_local(token.last_used_at)}\t{state}"
            )

    def _revoke(self, token_id: int) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No token with id {token_id}.")
        actions.revoke_api_token(None, token=token)
        self.stdout.write(f"Revoked token {token.pk} “{token.name}” of {token.user.email}.")
