"""The alert templates every installation starts with (loaded by a data migration).

Each is a plain mapping of AlertTemplate fields, in Latvian with an English version; "…" marks
what the writer fills in (the place, the time).
"""

from __future__ import annotations

from typing import Any

BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    {
        "key": "activate-network",
        "name": "Aktivizēt tīklu",
        "name_en": "Activate the network",
        "msg_type": "Alert",
        "category": "Safety",
        "event": "Tīkla aktivizēšana",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "headline": "Tīkls tiek aktivizēts: pārbaudiet gatavību",
        "description": (
            "Krīzes situācijas dēļ tīkla organizācijas tiek aicinātas uz gatavību. Sekojiet "
            "koordinatora norādēm."
        ),
        "instruction": (
            "Atbildiet, vai esat drošībā un vai varat palīdzēt. Sagatavojiet savas organizācijas "
            "resursus un kontaktpersonas."
        ),
        "headline_en": "The network is activated: check your readiness",
        "description_en": (
            "Because of a crisis, the network's organisations are asked to stand ready. Follow "
            "the coordinator's instructions."
        ),
        "instruction_en": (
            "Answer whether you are safe and whether you can help. Prepare your organisation's "
            "resources and contact people."
        ),
    },
    {
        "key": "shelters-open",
        "name": "Patvertnes atvērtas …",
        "name_en": "Shelters open in …",
        "msg_type": "Alert",
        "category": "Safety",
        "event": "Patvertņu atvēršana",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "headline": "Patvertnes atvērtas …",
        "description": "Šīs patvertnes ir atvērtas no …: …",
        "instruction": (
            "Palīdziet nokļūt patvertnēs cilvēkiem, kuriem nepieciešams atbalsts, it īpaši "
            "cilvēkiem ar invaliditāti un senioriem."
        ),
        "headline_en": "Shelters open in …",
        "description_en": "These shelters are open from …: …",
        "instruction_en": (
            "Help people who need support to reach the shelters, especially people with "
            "disabilities and older people."
        ),
    },
    {
        "key": "welfare-checks",
        "name": "Nepieciešamas labklājības pārbaudes",
        "name_en": "Welfare checks needed",
        "msg_type": "Alert",
        "category": "Health",
        "event": "Labklājības pārbaudes",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "headline": "Pārbaudiet savus aprūpējamos …",
        "description": "Lūdzam sazināties ar visiem jūsu aprūpē esošajiem cilvēkiem …",
        "instruction": (
            "Piezvaniet vai apmeklējiet katru cilvēku, atzīmējiet pārbaudi un ziņojiet par "
            "tiem, kam nepieciešama palīdzība."
        ),
        "headline_en": "Check on the people in your care …",
        "description_en": "Please contact everyone in your organisation's care …",
        "instruction_en": (
            "Call or visit each person, record the check, and report who needs help."
        ),
    },
    {
        "key": "stand-down",
        "name": "Atcelt gatavību",
        "name_en": "Stand down",
        "msg_type": "Update",
        "category": "Safety",
        "event": "Gatavības atcelšana",
        "urgency": "Past",
        "severity": "Minor",
        "certainty": "Observed",
        "headline": "Gatavība atcelta",
        "description": "Situācija ir stabilizējusies. Tīkla gatavība tiek atcelta.",
        "instruction": "Paldies par jūsu darbu. Nododiet atskaites koordinatoram.",
        "headline_en": "Stand down",
        "description_en": "The situation has stabilised. The network stands down.",
        "instruction_en": "Thank you for your work. Send your reports to the coordinator.",
    },
]
