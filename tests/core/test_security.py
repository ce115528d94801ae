import subprocess
import sys

import pytest

from tests.production import PRODUCTION, ROOT, production_env, run_manage

pytestmark = pytest.mark.django_db


def test_deploy_checks_pass_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "refusing to start" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "CRISIS_OPS_KEYRING"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "No encryption keys" in result.stderr


def test_generate_keyring_works_under_production_settings(tmp_path):
    """docs/operations.md runs it on the production host, before any keyring exists."""
    env = {k: v for k, v in PRODUCTION.items() if k != "CRISIS_OPS_KEYRING"}
    keyring = tmp_path / "secrets" / "keyring.json"

    result = run_manage("generate_keyring", "--file", str(keyring), env=env)

    assert result.returncode == 0, result.stderr
    assert keyring.stat().st_mode & 0o077 == 0
    check = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**env, "CRISIS_OPS_KEYRING_FILE": str(keyring)},
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    "entry_point",
    [
        "import crisis_ops.wsgi",
        "import django; django.setup(); from crisis_ops import celery;"
        " celery._refuse_to_work_without_keys()",
    ],
)
def test_web_and_worker_refuse_to_start_without_encryption_keys(entry_point):
    env = {k: v for k, v in PRODUCTION.items() if k != "CRISIS_OPS_KEYRING"}
    result = subprocess.run(
        [sys.executable, "-c", entry_point],
        cwd=ROOT,
        env=production_env({**env, "DJANGO_SETTINGS_MODULE": "crisis_ops.settings"}),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "No encryption keys" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["SECRET_KEY_FILE"] = str(secret)

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_templates_hold_no_inline_script(client, client_for):
    pages = [
        client.get("/accounts/login/"),
        client_for("org_admin").get("/"),
        client_for("org_admin").get("/organisations/staff/"),
    ]
    for page in pages:
        html = page.content.decode()
        assert "<script>" not in html
        assert " onclick=" not in html
        for tag in html.split("<script")[1:]:
            assert 'src="' in tag.split(">")[0]


def test_session_cookie_is_http_only(client, personas):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_and_host_only():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_NAME, s.SECURE_HSTS_SECONDS)"
    )
    clean = production_env({**PRODUCTION, "DJANGO_SETTINGS_MODULE": "crisis_ops.settings"})
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["True", "True", "__Host-sessionid", "31536000"]
