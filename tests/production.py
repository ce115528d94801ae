"""Running the project as production does: DEBUG off, real secrets, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The test run's own settings must not leak into the production-like subprocesses.
SETTINGS_VARIABLES = (
    "DJANGO_",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_",
    "CRISIS_OPS_KEYRING",
    "BEHIND_TLS_PROXY",
    "PROXY_COUNT",
    "FORWARDED_ALLOW_IPS",
)

HOST = "crisis-ops.example.kz"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "Qw8#zR2!pL5^vN7&xT1*cY4(bM6)jH9" + "s" * 20,
    "ALLOWED_HOSTS": HOST,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "CRISIS_OPS_KEYRING": os.environ["CRISIS_OPS_KEYRING"],
}


def production_env(env: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_VARIABLES)}
    clean.update(env)
    return clean


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )
