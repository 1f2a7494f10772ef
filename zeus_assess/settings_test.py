"""Small override for the test suite: fast hashing, eager Celery, no HTTPS redirect."""

import os

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the worker, web and command-line tests run child
    # processes that must see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}  # noqa: F405
else:
    # The suite's own process connects directly: a pooled connection outliving a
    # test blocks the test database's teardown. Child processes (web, worker) use
    # the production settings, pool included.
    DATABASES["default"]["OPTIONS"].pop("pool", None)  # noqa: F405
