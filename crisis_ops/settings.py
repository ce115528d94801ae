"""Crisis Ops settings: every value from the environment (the API and logging dicts are built
in crisis_ops/settings_api.py from the values read here).

Defaults are safe for production; the few development conveniences (a generated
SECRET_KEY, SQLite, a file-system broker) exist only when DEBUG is on or when no
DATABASE_URL / REDIS_URL is given.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from crisis_ops.env import database_from_url, env_bool, env_int, env_list, env_secret, env_str
from crisis_ops.settings_api import logging_config, rest_framework, spectacular

# Django's generic classes (ModelAdmin, Field, ModelChoiceField…) take their type parameters at
# run time as their stubs do, so ModelAdmin[Shelter] needs no ``type: ignore``.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CRISIS_OPS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret(
    "SECRET_KEY",
    debug=DEBUG,
    dev_default="dev-only-not-secret-8d1f0c7e3b2a4f65a9e0d4c3b2a1f0e9d8c7b6a5f4e3d2c1",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = "Crisis Ops"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "guardian",
    "crisis_ops.core",
    "crisis_ops.accounts",
    "crisis_ops.organisations",
    "crisis_ops.audit",
    "crisis_ops.encryption",
    "crisis_ops.keystore",
    "crisis_ops.notifications",
    "crisis_ops.reminders",
    "crisis_ops.reports",
    "cases",
    "shelters",
    "protection_orders",
    "referrals",
    "crisis_ops.report_exports",
    "crisis_ops.retention",
]

MIDDLEWARE = [
    "crisis_ops.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crisis_ops.core.middleware.RequestIdMiddleware",
    "crisis_ops.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and htmx answers compressed (static files come compressed from WhiteNoise): a
    # case list of 50 rows is 33 KB as HTML, 0.7 s on a 400 kbit/s link. Django's gzip adds
    # random bytes to each answer's length (Heal The BREACH), and the CSRF token is masked.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crisis_ops.accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "crisis_ops.accounts.middleware.IdleLogoutMiddleware",
    "crisis_ops.accounts.middleware.UserLanguageMiddleware",
    "crisis_ops.accounts.middleware.RequireSecondFactorMiddleware",
    "crisis_ops.accounts.middleware.RequirePasswordChangeMiddleware",
    "crisis_ops.core.privacy.PersonalQueryMiddleware",
    "crisis_ops.core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it sees every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

# Forms render with the project's templates, so templates/django/forms/ can say
# "— choose —" for a choice nobody made and mark required fields, in every form at once.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "crisis_ops.urls"
WSGI_APPLICATION = "crisis_ops.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["crisis_ops.core.templatetags.once"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "crisis_ops.core.context_processors.navigation",
                "crisis_ops.accounts.context_processors.drafts",
                "crisis_ops.notifications.context_processors.unread_notifications",
            ],
        },
    }
]


# --- Database -----------------------------------------------------------------------------


DATABASE_URL = env_str("DATABASE_URL")
# The key store (each survivor's wrapped data key) is a database of its own, backed up and
# retained apart from the case data: see docs/security.md. Without KEYSTORE_DATABASE_URL it
# is the main database's name + "_keystore" on the same server (so a test run or a worker
# pointed at another main database follows it); deployments set it explicitly.
KEYSTORE_DATABASE_URL = env_str("KEYSTORE_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": database_from_url(DATABASE_URL),
        "keystore": database_from_url(
            KEYSTORE_DATABASE_URL or DATABASE_URL.split("?")[0].rstrip("/") + "_keystore",
            "KEYSTORE_DATABASE",
        ),
    }
else:
    # Embedded default for a laptop with nothing installed: two SQLite files.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "crisis_ops.sqlite3",
        },
        "keystore": (
            database_from_url(KEYSTORE_DATABASE_URL, "KEYSTORE_DATABASE")
            if KEYSTORE_DATABASE_URL
            else {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": VAR_DIR / "crisis_ops_keystore.sqlite3",
            }
        ),
    }
DATABASE_ROUTERS = ["crisis_ops.keystore.router.KeystoreRouter"]
# Unwrapped data keys are kept in each process's memory for at most this many seconds
# (and at most this many keys, least recently used out first). Also the longest time
# another process may still read a survivor whose key was destroyed.
ENCRYPTION_KEY_CACHE_SIZE = env_int("ENCRYPTION_KEY_CACHE_SIZE", 2048)
ENCRYPTION_KEY_CACHE_SECONDS = env_int("ENCRYPTION_KEY_CACHE_SECONDS", 300)


# --- Redis, cache and Celery --------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # Far above the longest task, so a slow task is never delivered twice.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # A broker that needs no server: messages are files shared by web, worker and beat.
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange table; kombu's default is ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Reminders go out at this local hour (Asia/Almaty); a claimed reminder whose
# message never reached a worker is claimed again after REMINDER_REQUEUE_AFTER.
REMINDER_LOCAL_HOUR = env_int("REMINDER_LOCAL_HOUR", 9)
REMINDER_REQUEUE_AFTER = timedelta(minutes=env_int("REMINDER_REQUEUE_MINUTES", 15))
REMINDER_MAX_CLAIMS = env_int("REMINDER_MAX_CLAIMS", 8)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes every database connection before and after each task unless
# told to reuse them: a reminder send then spent a third of its time connecting. Reuse them
# for this many tasks; crisis_ops/celery.py lets Django retire a broken or old one
# (CONN_MAX_AGE, CONN_HEALTH_CHECKS) around every task, as it does around every request.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 200)
CELERY_TIMEZONE = "Asia/Almaty"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Report files, encrypted, for 7 days: outside MEDIA_ROOT and STATIC_ROOT, so never served.
REPORT_EXPORT_DIR = Path(env_str("REPORT_EXPORT_DIR", str(VAR_DIR / "report-exports")))
# The audit chain's head is appended here daily (crisis_ops/audit/anchoring.py): put it
# where the database owner cannot rewrite it (another host, an append-only mount).
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")))
# manage.py backup writes here; key-store backups are kept KEYSTORE_BACKUP_DAYS only, so
# a purged survivor's key is gone from every backup that many days after her purge.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
KEYSTORE_BACKUP_DAYS = env_int("KEYSTORE_BACKUP_DAYS", 30)
# Survivors purged per transaction by the retention purge.
RETENTION_PURGE_BATCH = env_int("RETENTION_PURGE_BATCH", 50)


# --- Authentication and sessions ----------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# How long a repeated request waits for the first one with its idempotency key to finish.
IDEMPOTENCY_WAIT_SECONDS = env_int("IDEMPOTENCY_WAIT_SECONDS", 20)

# Where the quick exit (a button on every page, Escape twice) sends the tab: an ordinary
# public page that says nothing about violence or help.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.google.com/search?q=weather")
IDLE_LOGOUT_AFTER = timedelta(minutes=env_int("IDLE_LOGOUT_MINUTES", 15))
# An API token stands in for its owner's second factor, so it does not live for ever:
# this is the default and the longest lifetime its owner can choose.
API_TOKEN_LIFETIME = timedelta(days=env_int("API_TOKEN_LIFETIME_DAYS", 90))
# The day the center's records begin: no event (incident, order, stay) is recorded as
# earlier (crisis_ops/core/dates.py). Older paper files are entered with their own date.
RECORDS_BEGIN = date.fromisoformat(env_str("RECORDS_BEGIN", "2000-01-01"))
# The server forgets a session a little after the idle limit; IdleLogoutMiddleware
# enforces the limit itself so it can tell the user why they were signed out.
SESSION_COOKIE_AGE = int((IDLE_LOGOUT_AFTER + timedelta(minutes=5)).total_seconds())
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
# The __Host- prefix makes browsers refuse the cookie unless it is Secure and host-only.
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# django-axes: lock out repeated failures for one username from one address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# How many proxies append to X-Forwarded-For before a request reaches us; 0 (no proxy)
# means the header is the client's own words and is ignored. Lockout and API throttling
# both key on the address this yields.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "crisis_ops.accounts.client_ip.client_ip"

# Nobody anonymous ever holds an object permission, so guardian needs no such user.
ANONYMOUS_USER_NAME = None

OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1


# --- Transport and browser security -------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# --- Languages and time -------------------------------------------------------------------

LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True


# --- Static files -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
# WhiteNoise serves the collected files (compressed beside each: .br, .gz) in DEBUG too, so
# `make run` (which collects first) answers as production does. With finders (WhiteNoise's
# DEBUG default) it sent the sources, uncompressed; STATIC_FROM_SOURCES=1 brings that back
# for editing a script without collecting again.
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_SOURCES", False)


# --- E-mail -------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "crisis-ops@localhost")
# Where notifications go besides the in-app inbox (SMS or Telegram: add a Channel class).
NOTIFICATION_CHANNELS = env_list(
    "NOTIFICATION_CHANNELS", ["crisis_ops.notifications.channels.EmailChannel"]
)


# --- API and logging (crisis_ops/settings_api.py) -----------------------------------------

REST_FRAMEWORK = rest_framework(num_proxies=PROXY_COUNT)
SPECTACULAR_SETTINGS = spectacular()
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"))

if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off; refusing to start.")
