"""What the compose, review, approval and saved-list tests share: a valid form submission."""

from __future__ import annotations

from typing import Any

from noturiba.network.models import Municipality


def ogre_id() -> int:
    return Municipality.objects.get(code="LV-067").pk


def liepaja_id() -> int:
    return Municipality.objects.get(code="LV-LPX").pk


def form_data(**overrides: Any) -> dict[str, Any]:
    """A compose-page POST for an Exercise alert to Ogre, audience left to the area."""
    data: dict[str, Any] = {
        "status": "Exercise",
        "msg_type": "Alert",
        "scope": "Restricted",
        "category": "Safety",
        "event": "Plūdi",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "headline": "Plūdi Ogrē",
        "description": "Daugava kāpj.",
        "instruction": "Dodieties uz augstāku vietu.",
        "headline_en": "Floods in Ogre",
        "escalate_after_minutes": "30",
        "municipalities": [ogre_id()],
        "action": "save",
    }
    data.update(overrides)
    return data
