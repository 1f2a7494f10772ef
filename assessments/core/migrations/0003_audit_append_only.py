"""On PostgreSQL the audit log rejects UPDATE, DELETE and TRUNCATE by trigger.

(`%%` below: the SQL goes through psycopg parameter formatting, which turns it into `%`.)

The one way around it is a deliberate, visible act by a database administrator:
`SET zeus.audit_maintenance = 'on'` in their own session (for a retention purge
after the legal period, say). The test suite sets it on its throwaway database so
that tests can be isolated; the trigger tests switch it off again to prove the guard.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('zeus.audit_maintenance', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: %% refused on %%', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_update_delete ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS core_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox")]
    operations = [migrations.RunPython(forward, backward)]
