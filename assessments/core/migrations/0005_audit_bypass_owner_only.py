"""The audit log's maintenance bypass asks for ownership, not just a setting.

Before, `SET zeus.audit_maintenance = 'on'` alone let any role with DML grants
update, delete or truncate audit rows, and any role can set a custom setting. Now the
bypass also requires the role running the statement to own the audit table (or be a
member of its owner; superusers are). The application's runtime role owns nothing
(assessments/core/dbroles.py), so no setting it can change switches the audit off;
a retention purge is a deliberate act of the owning role (README, "Audit retention").

`search_path` is pinned so a role able to create objects cannot shadow the functions
called here. (`%%`: the SQL goes through psycopg parameter formatting.)
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('zeus.audit_maintenance', true), '') = 'on'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: %% refused on %%', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp;
"""

# The previous function (migration 0003), restored on the way back.
BACKWARD = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('zeus.audit_maintenance', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: %% refused on %%', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
ALTER FUNCTION core_audit_append_only() RESET ALL;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_delete_action")]
    operations = [migrations.RunPython(forward, backward)]
