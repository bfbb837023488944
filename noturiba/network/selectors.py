"""Reads of the directory, with the policy's rules applied."""

from __future__ import annotations

from django.db.models import QuerySet

from noturiba.accounts import policy
from noturiba.network.models import Organisation


def organisations_visible_to(actor: policy.Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(policy.organisation_filter(actor))
