"""The application's database role on PostgreSQL: owns nothing, holds only what it needs.

Two roles (see README, "Database roles"): the migration role owns the schema and runs
`migrate`; the runtime role (the app, worker, beat) gets the grants below. It cannot
change the schema, so it can neither disable the audit log's trigger nor replace its
function (both need ownership), and the trigger's maintenance bypass asks for ownership
too (core migration 0005), so nothing the runtime role can set switches the audit off.

Applied after every `migrate` run by the migration role (post_migrate, see apps.py) when
`DATABASE_RUNTIME_ROLE` names the runtime role, and by `manage.py db_grant_runtime`.
"""

from django.db import connections
from psycopg import sql

AUDIT_TABLE = "core_auditentry"


def runtime_role_grant(*, role: str, using: str = "default") -> None:
    """Give `role` exactly the app's privileges on the current schema (idempotent).

    Ordinary tables: read and write rows. The audit log: read and append only. No
    TRUNCATE, REFERENCES or TRIGGER anywhere, and no CREATE on the schema.
    """
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    who = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(conn.settings_dict["NAME"]), who),
        # PostgreSQL < 15 lets every role create objects in `public`; a role that can
        # create functions there could shadow what others call.
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(AUDIT_TABLE), who),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
    ]
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            raise ValueError(f"database role {role!r} does not exist; create it first (see README)")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s AND rolname = current_user", [role])
        if cursor.fetchone() is not None:
            raise ValueError("the runtime role must not be the role running migrations")
        for statement in statements:
            cursor.execute(statement)
