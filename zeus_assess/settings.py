"""Zeus Assess settings: one file, driven by environment variables (see README)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for development; real deployments pass variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a random key made once per checkout and kept out of git,
    # so that no key is ever written in the source.
    _dev_key = BASE_DIR / ".dev_secret_key"
    if not _dev_key.exists():
        import secrets

        _dev_key.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _dev_key.read_text().strip()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "health_check",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "assessments.core",
    "assessments.accounts",
    "assessments.questionsets",
    "assessments.formulation",
    "assessments.patients",
    "assessments.interviews",
    "assessments.reviews",
    "assessments.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "assessments.core.middleware.RequestContextMiddleware",
    # Serves collected static files from gunicorn, compressed and cache-busted.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "assessments.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a login unless it opts out explicitly.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "assessments.accounts.middleware.SessionLimitsMiddleware",
    "assessments.accounts.middleware.TwoFactorRequiredMiddleware",
    "assessments.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zeus_assess.urls"
WSGI_APPLICATION = "zeus_assess.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "assessments.accounts.context_processors.roles",
                "assessments.reviews.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Embedded default: a SQLite file in the project folder.
# On PostgreSQL two roles (README, "Database roles"): DATABASE_URL is the runtime role
# the app, worker and beat use (owns nothing, row grants only); DATABASE_MIGRATION_URL
# is the owning role, used only where ZEUS_DB_ROLE=migration (the migrate service and
# maintenance commands). After `migrate`, that process grants the runtime role
# (DATABASE_RUNTIME_ROLE, taken from DATABASE_URL) its privileges; see core/dbroles.py.
_runtime_database = env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASE_RUNTIME_ROLE = ""
if env.str("ZEUS_DB_ROLE", default="runtime") == "migration":
    DATABASES = {"default": env.db("DATABASE_MIGRATION_URL")}
    DATABASE_RUNTIME_ROLE = _runtime_database.get("USER") or ""
else:
    DATABASES = {"default": _runtime_database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's own pool replaces persistent connections; Django requires
    # CONN_MAX_AGE=0 when the pool is on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        "timeout": env.int("DB_POOL_TIMEOUT", default=10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis, Celery, cache -------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis (the embedded default) tasks run in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# The longest any task may run; tasks that acknowledge late use it (or less), and the
# visibility timeout and the report job lease below are derived from it.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# A message is acknowledged only after its task has run, and a task whose worker
# process died is given back to the queue: a killed worker loses no task.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Fail fast when the broker is down instead of hanging a web request: a refused
# port fails at once, a silent one (dropped packets) after the connect timeout,
# and a publish on a half-open connection after the socket timeout. The outbox
# keeps whatever did not get through.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Late-acked messages a dead worker never acknowledged (the whole worker SIGKILLed, so
# nobody rejected them) return to the queue after this many seconds. Above the time
# limit, so a live task is never handed to a second worker, yet close to it (1.25x),
# so a dead worker's task runs again within about twice the time limit.
_visibility_timeout = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + max(1, CELERY_TASK_TIME_LIMIT // 4)
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": _visibility_timeout,
    # Look for abandoned messages every few seconds (one small sorted-set scan).
    "unacked_restore_interval": max(1, min(10, _visibility_timeout // 4)),
    "unacked_restore_throttle": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Extra task modules for the worker (operations hooks; empty by default).
CELERY_IMPORTS = env.list("CELERY_EXTRA_IMPORTS", default=[])
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Results are rarely needed; a task that wants one says so (ignore_result=False).
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {
        "task": "core.relay_outbox",
        "schedule": env.float("OUTBOX_RELAY_SECONDS", default=15.0),
    },
    "mark-overdue-reviews": {"task": "reviews.mark_overdue", "schedule": 3600.0},
    "purge-report-files": {"task": "reports.purge_expired", "schedule": 3600.0},
    "rebuild-review-summary": {"task": "reviews.rebuild_summary", "schedule": 3600.0},
}
# An outbox message sent this long ago whose task has not run yet was lost by the
# broker (Redis restarted empty): the relay sends it again. Twice the visibility
# timeout, so a message merely waiting for a dead worker's redelivery is not doubled.
OUTBOX_REDELIVER_SECONDS = env.int("OUTBOX_REDELIVER_SECONDS", default=2 * _visibility_timeout)
# A report job claimed this long ago without finishing is presumed dead (its worker
# was lost) and may be taken over: above the time limit (a live run is never taken
# over), below the visibility timeout (the redelivered task finds it expired).
REPORTS_JOB_LEASE_SECONDS = env.int(
    "REPORTS_JOB_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + max(1, CELERY_TASK_TIME_LIMIT // 10)
)
# Generated files are kept this long, then deleted (they can be generated again).
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=7)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read on every request. With Redis (one cache for every worker) reads
# come from the cache and the database keeps them (write-through); a per-process
# cache could keep a logged-out session alive in another worker, so without Redis
# they stay in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)

# --- Authentication -------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out username/address pairs before checking.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after 5 failures of one username from one address (both together).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Idle logout and an absolute session limit (seconds).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# Two-factor (TOTP) for supervisors and question-set admins: on in production,
# off in the local demo (DEBUG) unless asked for.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Zeus Assess"
# An administrator's enrolment code is valid this long (hours), and once.
OTP_ENROLMENT_CODE_HOURS = env.int("OTP_ENROLMENT_CODE_HOURS", default=72)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Absolute session limit; the idle limit is enforced on top of it.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True

# --- Internationalization -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Warsaw")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "assessments.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["assessments.core.api.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zeus Assess API",
    "DESCRIPTION": "Formulation of craving versus return of anxiety after benzodiazepine reduction.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# --- Email ----------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zeus-assess@localhost")

# --- Security (secure unless DEBUG; each can be overridden) ---------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health probe is called over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content Security Policy: no inline or eval'd script anywhere ---------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging: no patient identifiers are ever passed to a logger ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Lockouts are warnings; axes' start-up banner would pollute command output.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------
ZEUS_DEFAULT_QUESTION_SET = "cadi"
# A pending review older than this many days is overdue.
REVIEW_OVERDUE_DAYS = env.int("REVIEW_OVERDUE_DAYS", default=3)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
