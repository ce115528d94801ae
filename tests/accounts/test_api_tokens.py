"""API tokens: hashed, scoped, expiring, revocable, and named in every audit row they cause."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from crisis_ops.accounts.models import ApiToken
from crisis_ops.accounts.tokens import api_token_create, api_token_hash, api_token_revoke
from crisis_ops.audit.models import AuditEvent
from crisis_ops.audit.services import audit_chain_problems

pytestmark = pytest.mark.django_db


def call(key: str, method: str = "get", path: str = "/api/v1/me", **data):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    return getattr(client, method)(
        path, data, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )


def member_path(personas) -> str:
    return f"/api/v1/members/{personas.caseworker.memberships.get().pk}"


def test_only_the_hash_of_the_key_is_stored(personas):
    token, key = api_token_create(user=personas.coordinator, name="sheet", scope="read")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == api_token_hash(key)
    assert key.startswith(stored["prefix"]) and len(stored["prefix"]) < len(key) // 4


def test_a_token_expires_after_ninety_days_by_default(personas, settings):
    assert timedelta(days=90) == settings.API_TOKEN_LIFETIME
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token, key = api_token_create(user=personas.coordinator, name="sheet", scope="read")
        assert token.expires_at == start + timedelta(days=90)
        clock.shift(timedelta(days=90) - timedelta(seconds=1))
        assert call(key).status_code == 200
        clock.shift(timedelta(seconds=1))
        response = call(key)

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_the_lifetime_setting_bounds_what_the_owner_may_choose(personas, settings):
    settings.API_TOKEN_LIFETIME = timedelta(days=30)

    token, _key = api_token_create(user=personas.coordinator, name="sheet", scope="read")

    assert token.expires_at - token.created_at == timedelta(days=30)
    with pytest.raises(Exception, match="from 1 to 30 days"):
        api_token_create(
            user=personas.coordinator, name="x", scope="read", lifetime=timedelta(days=31)
        )


def test_a_read_only_token_reads_but_gets_403_on_every_unsafe_method(personas):
    _token, key = api_token_create(user=personas.org_admin, name="sheet", scope="read")
    path = member_path(personas)

    assert call(key, path=path).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = call(key, method, path, role="supervisor")
        assert response.status_code == 403, method
        assert "read only" in response.json()["detail"]
    assert personas.caseworker.memberships.get().role == "caseworker"


def test_a_read_write_token_may_change_what_its_owner_may(personas):
    _token, key = api_token_create(user=personas.org_admin, name="hr sync", scope="write")

    response = call(key, "patch", member_path(personas), role="supervisor")

    assert response.status_code == 200
    assert personas.caseworker.memberships.get().role == "supervisor"


def test_a_revoked_token_opens_nothing(personas):
    token, key = api_token_create(user=personas.coordinator, name="sheet", scope="read")
    assert call(key).status_code == 200

    api_token_revoke(actor=personas.coordinator, token=token)

    assert call(key).status_code == 401


def test_a_token_of_a_switched_off_user_opens_nothing(personas):
    _token, key = api_token_create(user=personas.coordinator, name="sheet", scope="read")
    personas.coordinator.is_active = False
    personas.coordinator.save()

    assert call(key).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token co_nonsense"])
def test_a_malformed_or_unknown_token_is_401_in_the_error_format(db, header):
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
    assert response["WWW-Authenticate"] == "Token"


def test_last_used_is_written_at_most_once_a_minute(personas, django_assert_num_queries):
    token, key = api_token_create(user=personas.coordinator, name="sheet", scope="read")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        call(key)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(timedelta(seconds=59))
        with django_assert_num_queries(2):  # the token and its owner; the memberships
            call(key)
        token.refresh_from_db()
        assert token.last_used_at == start
        clock.shift(timedelta(seconds=1))
        call(key)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="api_token.used", token_id=token.pk).count() == 2


def test_every_audit_row_of_a_token_request_names_the_token_and_the_user(personas):
    token, key = api_token_create(user=personas.org_admin, name="hr sync", scope="write")
    before = AuditEvent.objects.count()

    call(key, "patch", member_path(personas), role="supervisor")

    rows = list(AuditEvent.objects.order_by("seq")[before:])
    assert {row.action for row in rows} >= {"api_token.used", "membership.updated"}
    assert all(row.token_id == token.pk for row in rows)
    assert all(row.actor_id == personas.org_admin.pk for row in rows)
    # The name is on the token row, which is never deleted, also once revoked.
    assert ApiToken.objects.get(pk=rows[-1].token_id).name == "hr sync"
    assert list(audit_chain_problems()) == []


def test_a_session_request_after_a_token_request_names_no_token(personas, client_for):
    _token, key = api_token_create(user=personas.org_admin, name="hr sync", scope="write")
    call(key, "patch", member_path(personas), role="supervisor")

    client_for("org_admin").patch(
        member_path(personas), {"role": "caseworker"}, content_type="application/json"
    )

    assert AuditEvent.objects.order_by("-seq").first().token_id is None


def test_the_migration_keeps_authtoken_keys_working_with_an_expiry(personas, settings):
    from importlib import import_module

    migration = import_module("crisis_ops.accounts.migrations.0003_move_authtoken_keys")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id uuid NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, personas.coordinator.pk]
        )
    with connection.schema_editor(atomic=False) as editor:
        migration.move_keys(apps, editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=personas.coordinator)
    assert token.name == migration.NAME and token.scope == "write"
    assert token.expires_at - timezone.now() > settings.API_TOKEN_LIFETIME - timedelta(minutes=1)
    assert call(old_key).status_code == 200
