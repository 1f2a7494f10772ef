"""The frozen-version trigger outside migrations: reinstalled after `migrate` and
around `flush` on SQLite.

Why: SQLite drops a table's triggers whenever Django rebuilds that table (many
ALTERs are a copy-and-rename there), so a later migration could silently remove the
guard; and SQLite's flush is a row-by-row DELETE that the guard itself refuses
(PostgreSQL flushes with TRUNCATE, which row triggers do not see). The SQL lives in
migration 0004, the one place it is written.
"""

from importlib import import_module

from django.db import connections

_migration = import_module("assessments.questionsets.migrations.0004_version_frozen_trigger")
TABLE = _migration.TABLE


def _statements(connection, forward: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return _migration.SQLITE_FORWARD if forward else _migration.SQLITE_BACKWARD
    if connection.vendor == "postgresql":
        return _migration.POSTGRESQL_FORWARD if forward else _migration.POSTGRESQL_BACKWARD
    return []


def guard_install(connection) -> None:
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in _statements(connection, forward=True):
            cursor.execute(statement)


def guard_remove(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, forward=False):
            cursor.execute(statement)


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: put the SQLite triggers back if a table rebuild dropped them."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        guard_install(connection)
