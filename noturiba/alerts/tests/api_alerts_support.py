"""What the ``/api/v1/alerts`` tests share: a valid body, the callers, drafts written directly."""

from __future__ import annotations

from typing import Any

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.models import Alert
from noturiba.api.tests.conftest import ApiClient, api_for
from noturiba.conftest import make_user, municipality
from noturiba.network.models import Institution, Person

__all__ = ["BODY", "ApiClient", "api_for", "draft", "liepaja_officer", "ogre_draft"]

# The smallest useful draft: an exercise alert to the people of Ogre.
BODY: dict[str, Any] = {
    "status": "Exercise",
    "event": "Plūdi",
    "headline": "Plūdi Ogrē",
    "description": "Daugava kāpj.",
    "municipalities": ["LV-067"],
}


def liepaja_officer() -> User:
    """An officer of Liepāja's commission: Ogre is outside their jurisdiction."""
    institution = Institution.objects.create(
        name="Liepājas civilās aizsardzības komisija", kind=Institution.Kind.MUNICIPALITY
    )
    institution.municipalities.set([municipality("LV-LPX")])
    user = make_user("officer@liepaja.example", full_name="Pēteris Liepājnieks")
    Person.objects.create(
        full_name=user.full_name, email=user.email, user=user, institution=institution
    )
    return user


def draft(author: User, code: str = "LV-067", **data: Any) -> Alert:
    """A draft alert for one municipality, written through the action."""
    return actions.create_alert(
        author,
        data={"status": "Exercise", "event": "Plūdi", "headline": "Plūdi", **data},
        municipalities=[municipality(code)],
    )


def ogre_draft(author: User, **data: Any) -> Alert:
    return draft(author, "LV-067", **data)
