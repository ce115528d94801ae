"""Test settings: the production settings with test-only secrets and a fast hasher.

The environment is filled before the settings module reads it; values already
set (CI's DATABASE_URL, REDIS_URL) win.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite-0123")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crisis_ops")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from crisis_ops.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Each test run gets a fresh cache namespace so parallel runs never share keys.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
# Lets flush() empty the audit table between transactional tests (see audit migration 0002).
DATABASES["default"]["OPTIONS"] = {"options": "-c crisis_ops.allow_audit_truncate=on"}  # noqa: F405
