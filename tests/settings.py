"""Test settings: the production settings with test-only secrets and a fast hasher.

The environment is filled before the settings module reads it; values already
set (CI's DATABASE_URL, REDIS_URL) win.
"""

import json
import os
from typing import Any

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite-0123")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crisis_ops")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# Tasks run inline in tests, except where a test starts a real worker process.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
# Fixed test-only keys (never used anywhere else): two data keys and two blind-index
# roots, so tests can rotate from one to the other.
TEST_KEYRING: dict[str, Any] = {
    "data_keys": {
        "t1": "dGVzdC1vbmx5LWRhdGEta2V5LW51bWJlci1vbmUtISE=",
        "t2": "dGVzdC1vbmx5LWRhdGEta2V5LW51bWJlci10d28tISE=",
    },
    "active_data_key": "t1",
    "blind_index_keys": {
        "b1": "dGVzdC1vbmx5LWJsaW5kLWluZGV4LXJvb3Qtb25lLSE=",
        "b2": "dGVzdC1vbmx5LWJsaW5kLWluZGV4LXJvb3QtdHdvLSE=",
    },
    "active_blind_index_key": "b1",
}
os.environ.setdefault("CRISIS_OPS_KEYRING", json.dumps(TEST_KEYRING))

from crisis_ops.settings import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.encryption_app"]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test run gets a fresh cache namespace so parallel runs never share keys.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
# Lets flush() empty the audit table between transactional tests (see audit migration 0002).
DATABASES["default"]["OPTIONS"] = {"options": "-c crisis_ops.allow_audit_truncate=on"}  # noqa: F405
# The live server (tests/conftest.py server_url) serves MEDIA_ROOT under MEDIA_URL; with
# Django's empty defaults that is every file of the working directory at every path, which
# answered /static/js/once.js from the sources instead of WhiteNoise. We keep no media.
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
