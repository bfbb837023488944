"""Deterministic, clearly-marked demo data: a realistic Latvian resilience network.

``noturiba demo --orgs N --people M --seed S`` calls :func:`generate_demo`. The same seed
always gives the same network; every organisation and person is flagged ``is_demo`` and the
pages show a badge. Email addresses and websites are on the reserved ``.example`` domain;
registration numbers (valid, with the legal-entity check digit) come from high blocks such as
40008 6…–9… beyond the numbers issued so far; phone numbers from three fixed blocks of valid
Latvian numbers (+371 200…, +371 201…, +371 600…/601…).

- :mod:`.vocabulary`: Latvian places, names and kinds of organisations (data only);
- :mod:`.build`: the network in memory, plain Python, deterministic;
- :mod:`.write`: bulk inserts, and deleting an earlier demo network.
"""

from noturiba.network.demo.build import is_valid_registration_number
from noturiba.network.demo.write import (
    DemoDataPresent,
    DemoSummary,
    delete_demo,
    demo_counts,
    generate_demo,
)

__all__ = [
    "DemoDataPresent",
    "DemoSummary",
    "delete_demo",
    "demo_counts",
    "generate_demo",
    "is_valid_registration_number",
]
