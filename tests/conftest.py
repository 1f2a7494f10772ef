import logging

import pytest
from django.test import Client

from assessments.accounts.roles import Role
from assessments.accounts.services import supervision_add, user_create

# Test accounts share one password; the MD5 hasher in test settings keeps them fast.
PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, role: str | None = None):
    user, _ = user_create(username=username, role=role or Role.CLINICIAN, password=PASSWORD)
    if role is None:
        user.groups.clear()
    return user


@pytest.fixture
def clinician(db):
    return make_user("clinician", Role.CLINICIAN)


@pytest.fixture
def other_clinician(db):
    return make_user("other_clinician", Role.CLINICIAN)


@pytest.fixture
def supervisor(db, clinician):
    user = make_user("supervisor", Role.SUPERVISOR)
    supervision_add(supervisor=user, clinician=clinician)
    return user


@pytest.fixture
def qs_admin(db):
    return make_user("qs_admin", Role.QUESTIONSET_ADMIN)


@pytest.fixture
def no_role_user(db):
    return make_user("no_role")


@pytest.fixture
def login():
    """login(user) -> a Django test Client logged in as that user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks (the outbox publishes
    then, and in eager mode the task runs), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def cadi(db):
    """The published cadi version (present after migrations, re-created after a flush)."""
    from assessments.questionsets.services import default_question_set_ensure

    return default_question_set_ensure()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let the suite flush its throwaway database despite the audit
    log's append-only trigger (core migrations 0003, 0005): the suite connects as a
    superuser, which counts as the table's owner, so the setting lets it through; for
    any other role it does nothing (tests/security/test_audit_roles.py). Trigger tests
    turn it off."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.settings_dict["NAME"]
                cursor.execute(f"ALTER DATABASE \"{name}\" SET zeus.audit_maintenance = 'on'")
                cursor.execute("SET zeus.audit_maintenance = 'on'")


# --- No patient identifiers in application logs, over the whole suite ---------
# Every log record any test produces is kept; at the end of the session they are
# searched for every record number and display name the suite created.
class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        try:
            self.lines.append(record.getMessage())
        except Exception:  # a record that cannot format is not evidence either way
            self.lines.append(str(record.msg))


_capture = _Capture()
_identifiers: set[str] = set()


def _remember_patient(sender, instance, **kwargs):
    _identifiers.add(instance.record_number)
    if len(instance.display_name) >= 4:
        _identifiers.add(instance.display_name)


def pytest_configure(config):
    logging.getLogger().addHandler(_capture)
    from django.db.models.signals import post_save

    from assessments.patients.models import Patient

    post_save.connect(_remember_patient, sender=Patient, weak=False)


def pytest_sessionfinish(session, exitstatus):
    leaks = sorted({i for i in _identifiers for line in _capture.lines if i in line})
    if leaks:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"PATIENT IDENTIFIERS IN LOGS: {len(leaks)} found, e.g. {leaks[:3]}", red=True
        )
        session.exitstatus = 1
