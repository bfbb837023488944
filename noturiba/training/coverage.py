"""Training coverage per organisation, for assistance matching.

:func:`refresh_organisation_coverage` rewrites every
:class:`~noturiba.training.models.OrganisationTrainingCoverage` row in one set-based statement
(an INSERT … SELECT that updates the rows already there) inside a transaction: per
organisation, its people and how many of them hold at least one current competency grant
(acquired, not expired, its certificate not revoked) on the day. Readers see the old figures
until it commits. Rows are updated in place, not deleted and inserted again, so that the
database's triggers copy into the ranking's read model (``assistance.MatchingOffer``) only the
figures that changed. The rows of deleted organisations go with them. Run at the end of
``noturiba.training.tasks.refresh_competency_matrix``.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from noturiba.network.models import Membership, Organisation
from noturiba.training.models import Certificate, CompetencyGrant, OrganisationTrainingCoverage


@transaction.atomic
def refresh_organisation_coverage(day: datetime.date | None = None) -> int:
    """Recompute every organisation's training coverage; returns the rows written."""
    day = day or timezone.localdate()
    coverage = OrganisationTrainingCoverage._meta.db_table
    organisation = Organisation._meta.db_table
    membership = Membership._meta.db_table
    grant = CompetencyGrant._meta.db_table
    certificate = Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {coverage} (organisation_id, people, trained_people, computed_at)
            SELECT o.id,
                   COUNT(DISTINCT m.person_id),
                   COUNT(DISTINCT CASE WHEN t.person_id IS NOT NULL THEN m.person_id END),
                   %s
            FROM {organisation} o
            LEFT JOIN {membership} m ON m.organisation_id = o.id
            LEFT JOIN (
                SELECT DISTINCT g.person_id AS person_id
                FROM {grant} g
                WHERE g.acquired_on <= %s
                  AND (g.valid_until IS NULL OR g.valid_until >= %s)
                  AND (g.certificate_id IS NULL OR g.certificate_id NOT IN (
                        SELECT c.id FROM {certificate} c WHERE c.revoked_at IS NOT NULL))
            ) t ON t.person_id = m.person_id
            WHERE TRUE
            GROUP BY o.id
            ON CONFLICT (organisation_id) DO UPDATE
            SET people = excluded.people, trained_people = excluded.trained_people,
                computed_at = excluded.computed_at
            """,  # noqa: S608 - table names from the models, values as parameters
            [timezone.now(), day, day],
        )
        return cursor.rowcount
