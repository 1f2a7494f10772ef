"""The append-only audit holds against the application's own database role.

The app runs under a role that owns nothing and holds only the grants it needs
(`assessments.core.dbroles.runtime_role_grant`, which the migration role applies after
`migrate`). These tests connect as a freshly created role of that kind and try every
way round the trigger the issue names. PostgreSQL only: SQLite has no roles.
"""

import secrets

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles exist on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _role_name() -> str:
    # Roles are cluster-wide and the cluster is shared: derive the name from this run's
    # test database so no other run (or user) is ever touched.
    return f"{connection.settings_dict['NAME']}_app_rt"[:63]


@pytest.fixture
def runtime_role(clinician):
    from assessments.core import audit
    from assessments.core.audit import Action
    from assessments.core.dbroles import runtime_role_grant
    from tests.factories import as_user, patient_for

    with as_user(clinician):
        audit.record(Action.VIEW, patient_for(clinician))
    name, password = _role_name(), secrets.token_urlsafe(24)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        verb = "ALTER" if cursor.fetchone() else "CREATE"
        cursor.execute(
            f'{verb} ROLE "{name}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s', [password]
        )
    runtime_role_grant(role=name)
    opened = []

    def connect() -> psycopg.Connection:
        db = connection.settings_dict
        conn = psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            dbname=db["NAME"],
            user=name,
            password=password,
        )
        opened.append(conn)
        return conn

    yield name, connect
    for conn in opened:
        conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')


def _audit_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditentry")
        return cursor.fetchone()[0]


REFUSED = (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)

STATEMENTS = [
    "UPDATE core_auditentry SET action = 'create'",
    "DELETE FROM core_auditentry",
    "TRUNCATE core_auditentry CASCADE",
]


@pytest.mark.parametrize("maintenance", [False, True], ids=["plain", "with-maintenance-setting"])
@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_runtime_role_cannot_change_delete_or_truncate_audit_rows(runtime_role, statement, maintenance):
    _, connect = runtime_role
    before = _audit_count()
    assert before > 0
    with connect() as conn, pytest.raises(REFUSED), conn.transaction(), conn.cursor() as cursor:
        if maintenance:
            cursor.execute("SET LOCAL zeus.audit_maintenance = 'on'")
        cursor.execute(statement)
    assert _audit_count() == before


TRIGGERS = ["ALL", "USER", "core_auditentry_no_update_delete", "core_auditentry_no_truncate"]


@pytest.mark.parametrize("which", TRIGGERS)
def test_the_runtime_role_cannot_disable_the_trigger(runtime_role, which):
    _, connect = runtime_role
    with connect() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege), conn.cursor() as cursor:
        cursor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {which}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass AND tgenabled = 'O'"
            " AND NOT tgisinternal"
        )
        assert cursor.fetchone()[0] == 2


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_maintenance_setting_does_not_help_a_role_with_dml_grants(runtime_role, statement):
    """The issue's attack: a non-owner role holding UPDATE/DELETE/TRUNCATE grants on the
    audit table sets the maintenance setting. The trigger itself must still refuse."""
    name, connect = runtime_role
    with connection.cursor() as cursor:
        cursor.execute(
            f'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO "{name}"'
        )
    before = _audit_count()
    with connect() as conn, conn.cursor() as cursor:
        cursor.execute("SET zeus.audit_maintenance = 'on'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"), conn.transaction():
            cursor.execute("SET LOCAL zeus.audit_maintenance = 'on'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(statement)
    assert _audit_count() == before


def test_the_runtime_role_owns_nothing_and_can_do_the_apps_work(runtime_role, clinician):
    name, connect = runtime_role
    with connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
            " WHERE r.rolname = current_user"
        )
        assert cursor.fetchone()[0] == 0
        # It writes and reads the audit, and changes ordinary application tables.
        cursor.execute(
            "INSERT INTO core_auditentry (at, action, object_type, request_id, data)"
            " VALUES (now(), 'view', 'test.object', '', '{}') RETURNING id"
        )
        assert cursor.fetchone()[0]
        cursor.execute("UPDATE accounts_user SET first_name = 'x' WHERE id = %s", [clinician.pk])
        assert cursor.rowcount == 1
        # No creating objects: it cannot plant a table or function of its own.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute("CREATE TABLE planted (id int)")


def _backdate(pk: int) -> None:
    with connection.cursor() as cursor:
        # As the owner with the setting on (the purge's own path).
        cursor.execute("BEGIN")
        cursor.execute("SET LOCAL zeus.audit_maintenance = 'on'")
        cursor.execute("UPDATE core_auditentry SET at = '2001-01-01' WHERE id = %s", [pk])
        cursor.execute("COMMIT")


def test_the_retention_purge_runs_as_the_owner_and_keeps_newer_entries(clinician):
    from django.core.management import call_command

    from assessments.core import audit
    from assessments.core.audit import Action
    from assessments.core.models import AuditEntry
    from tests.factories import as_user, patient_for

    patient = patient_for(clinician)
    with as_user(clinician):
        old = audit.record(Action.VIEW, patient)
        new = audit.record(Action.VIEW, patient)
    _backdate(old.pk)
    call_command("audit_purge", "--before=2010-01-01")
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=new.pk).exists()


def test_the_retention_purge_is_refused_under_the_runtime_role(runtime_role):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    name, _ = runtime_role
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM core_auditentry")
        _backdate(cursor.fetchone()[0])
    before = _audit_count()
    with connection.cursor() as cursor:
        # Even with DML grants on the audit table, as the attacker had.
        cursor.execute(f'GRANT DELETE ON core_auditentry TO "{name}"')
        cursor.execute(f'SET ROLE "{name}"')
    try:
        with pytest.raises(CommandError, match="owning role"):
            call_command("audit_purge", "--before=2010-01-01")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert _audit_count() == before
