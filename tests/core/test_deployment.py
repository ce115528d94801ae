from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Organisation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_compose_runs_the_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_compose_commands(compose):
    services = compose["services"]
    assert (
        "gunicorn -c python:crisis_ops.gunicorn crisis_ops.wsgi:application"
        in (services["web"]["command"])
    )
    assert "migrate" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A crisis_ops worker")
    assert services["beat"]["command"].startswith("celery -A crisis_ops beat")
    assert services["beat"]["deploy"]["replicas"] == 1


def test_compose_keeps_the_key_store_in_a_second_database_it_creates_and_migrates(compose):
    services = compose["services"]
    main = services["web"]["environment"]["DATABASE_URL"]
    for name in ("web", "worker", "beat"):
        keystore = services[name]["environment"]["KEYSTORE_DATABASE_URL"]
        assert keystore.startswith("postgres://") and keystore != main
    database = keystore.rsplit("/", 1)[1]
    assert "migrate --database keystore" in services["web"]["command"]
    mount = next(v for v in services["db"]["volumes"] if "docker-entrypoint-initdb.d" in v)
    init_dir = ROOT / mount.split(":")[0]
    scripts = "".join(p.read_text() for p in sorted(init_dir.glob("*.sh")))
    assert f"CREATE DATABASE {database};" in scripts


def test_compose_has_healthchecks_volumes_and_env(compose):
    services = compose["services"]
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert services[name]["env_file"] == "deploy.env"
        assert env["CRISIS_OPS_KEYRING_FILE"].startswith("/run/secrets/")
        assert "keyring" in services[name]["secrets"]
    assert (ROOT / "deploy.env.example").exists()
    assert "SECRET_KEY=\n" in (ROOT / "deploy.env.example").read_text()


@pytest.mark.django_db
def test_seed_demo_creates_three_organisations_and_a_user_per_role(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent

    out = capsys.readouterr().out
    assert Organisation.objects.count() == 3
    assert len({o.region_id for o in Organisation.objects.all()}) == 3
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles == {"caseworker", "supervisor", "shelter_manager", "coordinator", "org_admin"}
    assert TOTPDevice.objects.filter(confirmed=True).count() == User.objects.count()
    assert "Password for every demo user" in out
    from cases.models import Case

    # Demo cases for every caseworker's center, opened once despite the second run
    # (beside two years of history, tested in tests/core/test_demo_history.py).
    assert Case.objects.exclude(reference__startswith="CH-").count() == 3 * 6
    assert Case.objects.filter(risk_band="high").exists()
    from protection_orders.models import ProtectionOrder

    assert ProtectionOrder.objects.filter(status="active").count() == 3 * 2
    assert "TOTP secret" in out


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_reference_data_is_editable_in_the_admin(client, django_user_model):
    from tests.factories import TOTPDeviceFactory
    from tests.personas import sign_in

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    TOTPDeviceFactory.create(user=admin)
    admin_client = sign_in(client, admin)
    for url in (
        "/admin/protection_orders/ordertype/",
        "/admin/cases/riskinstrument/",
        "/admin/organisations/region/",
        "/admin/reminders/reminder/?status__exact=failed",
    ):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_admin_needs_the_second_factor(admin_client):
    response = admin_client.get("/admin/protection_orders/ordertype/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")
