"""Retention purge of the audit log: the one maintenance path past the append-only trigger.

Run by the owning (migration) role, never the app's: `ZEUS_DB_ROLE=migration python
manage.py audit_purge --before YYYY-MM-DD`. The trigger lets a delete through only when
the role running it owns the audit table *and* sets `zeus.audit_maintenance` for the
transaction (core migration 0005), so under the runtime role this command is refused.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction


class Command(BaseCommand):
    help = "Delete audit entries older than a date (retention purge; run as the owning database role)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, before: datetime.date, **options):
        if before > datetime.date.today():
            raise CommandError("--before is in the future")
        cutoff = datetime.datetime.combine(before, datetime.time.min, tzinfo=datetime.UTC)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # LOCAL: the bypass ends with this transaction.
                    cursor.execute("SET LOCAL zeus.audit_maintenance = 'on'")
                # Raw SQL: the model refuses deletes in the application on purpose.
                cursor.execute("DELETE FROM core_auditentry WHERE at < %s", [cutoff])
                deleted = cursor.rowcount
        except DatabaseError as error:
            raise CommandError(
                f"audit purge refused ({error}); run it as the owning role (ZEUS_DB_ROLE=migration)"
            ) from error
        self.stdout.write(f"{deleted} audit entries before {before.isoformat()} deleted")
