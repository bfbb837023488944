"""Settings for a worker subprocess started by a test: the test's own database.

pytest-django renames the database for the test run (``test_…`` on PostgreSQL, ``TEST.NAME`` on
SQLite); the test passes that name in ``NOTURIBA_TEST_DATABASE_NAME`` so the worker sees its rows.
"""

from __future__ import annotations

import os

from noturiba.settings import *  # noqa: F403
from noturiba.settings import DATABASES

_name = os.environ.get("NOTURIBA_TEST_DATABASE_NAME")
if _name:
    DATABASES["default"]["NAME"] = _name
