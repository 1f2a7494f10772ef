"""Freeze published and retired versions in the database itself.

The services refuse to change a published version, but a direct `.save()`, a
queryset `.update()`, a shell or a future code path would not ask them. Interviews
and stored formulations point at these rows, so the database refuses: changing the
definition, number or set of a published or retired version, turning it back into a
draft, or deleting anything but a draft. Both vendors raise SQLSTATE 23000, which
Django surfaces as IntegrityError.
"""

from django.db import migrations

TABLE = "questionsets_questionsetversion"
MESSAGE = "questionsets_version_frozen: a published or retired version cannot be changed or deleted"

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER IF NOT EXISTS questionsets_version_frozen_update
BEFORE UPDATE ON {TABLE}
FOR EACH ROW
WHEN OLD.status <> 'draft' AND (
    NEW.definition IS NOT OLD.definition
    OR NEW.number IS NOT OLD.number
    OR NEW.question_set_id IS NOT OLD.question_set_id
    OR NEW.status = 'draft'
)
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END
""",
    f"""
CREATE TRIGGER IF NOT EXISTS questionsets_version_frozen_delete
BEFORE DELETE ON {TABLE}
FOR EACH ROW
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS questionsets_version_frozen_update",
    "DROP TRIGGER IF EXISTS questionsets_version_frozen_delete",
]

POSTGRESQL_FORWARD = [
    f"""
CREATE OR REPLACE FUNCTION questionsets_version_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.definition IS DISTINCT FROM OLD.definition
        OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.question_set_id IS DISTINCT FROM OLD.question_set_id
        OR NEW.status = 'draft'
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END
$$
""",
    f"DROP TRIGGER IF EXISTS questionsets_version_frozen ON {TABLE}",
    f"""
CREATE TRIGGER questionsets_version_frozen
BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION questionsets_version_frozen()
""",
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS questionsets_version_frozen ON {TABLE}",
    "DROP FUNCTION IF EXISTS questionsets_version_frozen()",
]


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (trigger syntax differs)."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("questionsets", "0003_version_lifecycle_whatif")]
    operations = [
        VendorRunSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorRunSQL("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    ]
