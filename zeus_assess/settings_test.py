"""Small override for the test suite: fast hashing, eager Celery, no HTTPS redirect."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789abcdef")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks in-process unless a test is about the real worker and turns
# this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Two-factor is tested by the tests about it, which turn it on for themselves.
REQUIRE_2FA = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the worker, web and command-line tests run child
    # processes that must see the same test database.
    # One file per test run, so parallel runs on one machine never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"zeus_test_{os.getpid()}.sqlite3")
    }
else:
    # The suite's own process connects directly: a pooled connection outliving a
    # test blocks the test database's teardown. Child processes (web, worker) use
    # the production settings, pool included.
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
