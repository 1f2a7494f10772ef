import subprocess
import sys

from tests.helpers import ROOT


def _settings(env: dict, expression: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    clean = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "zeus_assess.settings", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_it_refuses_to_start_without_a_secret_key_unless_debug():
    refused = _settings({}, "1")
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    assert _settings({"DEBUG": "1"}, "1").returncode == 0


def test_it_defaults_to_sqlite_in_the_project_folder_and_eager_tasks():
    out = _settings(
        {"SECRET_KEY": "x" * 60},
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'],"
        " settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"django.db.backends.sqlite3 {ROOT / 'db.sqlite3'} True False"


def test_it_uses_the_psycopg_pool_and_the_real_broker_when_configured():
    out = _settings(
        {
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/zeus",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        "'pool' in settings.DATABASES['default']['OPTIONS'], settings.DATABASES['default']['CONN_MAX_AGE'],"
        " settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True 0 False redis://127.0.0.1:6379/3"


def test_sessions_are_read_from_redis_only_when_every_worker_shares_it():
    shared = _settings(
        {"SECRET_KEY": "x" * 60, "REDIS_URL": "redis://127.0.0.1:6379/3"}, "settings.SESSION_ENGINE"
    )
    alone = _settings({"SECRET_KEY": "x" * 60}, "settings.SESSION_ENGINE")
    assert shared.stdout.strip() == "django.contrib.sessions.backends.cached_db", shared.stderr
    assert alone.stdout.strip() == "django.contrib.sessions.backends.db", alone.stderr
