import pytest
from django.test import Client

from assessments.accounts.roles import Role
from assessments.accounts.services import role_grant, supervision_add, user_create

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
def cadi(db):
    """The published cadi version (present after migrations, re-created after a flush)."""
    from assessments.questionsets.services import default_question_set_ensure

    return default_question_set_ensure()


__all__ = ["PASSWORD", "make_user", "role_grant"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let the suite flush its throwaway database despite the audit
    log's append-only trigger (see core migration 0003); trigger tests turn it off."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                name = connection.settings_dict["NAME"]
                cursor.execute(f"ALTER DATABASE \"{name}\" SET zeus.audit_maintenance = 'on'")
                cursor.execute("SET zeus.audit_maintenance = 'on'")
