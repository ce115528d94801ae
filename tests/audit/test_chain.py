from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from crisis_ops.audit.models import GENESIS_HASH, AppendOnlyError, AuditEvent
from crisis_ops.audit.services import audit_chain_problems, audit_record

pytestmark = pytest.mark.django_db


def record_three(personas):
    return [
        audit_record(action="auth.login", actor=personas.caseworker, obj=personas.caseworker),
        audit_record(
            action="case.viewed",
            actor=personas.caseworker,
            object_type="cases.case",
            object_id="5c1f0a1e-0000-4000-8000-000000000001",
            organisation_id=personas.center.id,
        ),
        audit_record(action="auth.logout", actor=personas.caseworker, obj=personas.caseworker),
    ]


def raw(sql: str, params: list[Any]) -> None:
    """Tamper as someone with the database owner's rights would: trigger off first."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_events_form_a_chain_from_genesis(personas):
    first, second, third = record_three(personas)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert list(audit_chain_problems()) == []


def test_events_hold_ids_and_never_free_text(personas):
    event = audit_record(action="auth.login", actor=personas.caseworker, obj=personas.caseworker)

    stored = {f.name: getattr(event, f.name) for f in AuditEvent._meta.fields}
    assert personas.caseworker.username not in str(stored)
    assert personas.caseworker.last_name not in str(stored)


def test_the_model_refuses_updates_and_deletes(personas):
    event = audit_record(action="auth.login", actor=personas.caseworker)

    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_raw_updates_and_deletes(personas):
    event = audit_record(action="auth.login", actor=personas.caseworker)

    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login"


def test_verify_detects_an_altered_row(personas):
    events = record_three(personas)
    raw("UPDATE audit_auditevent SET action = 'nothing.happened' WHERE id = %s", [events[1].id])

    with pytest.raises(CommandError):
        call_command("verify_audit_log")
    problems = list(audit_chain_problems())
    assert [(p.seq, p.reason) for p in problems] == [(2, "content was altered")]


def test_verify_detects_an_altered_row_with_a_recomputed_hash(personas):
    events = record_three(personas)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.actor_id = personas.supervisor.id
    raw(
        "UPDATE audit_auditevent SET actor_id = %s, hash = %s WHERE id = %s",
        [personas.supervisor.id, forged.compute_hash(), events[1].id],
    )

    problems = list(audit_chain_problems())

    assert (3, "does not link to the previous row") in [(p.seq, p.reason) for p in problems]


def test_verify_detects_a_removed_row(personas):
    events = record_three(personas)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])

    problems = [(p.seq, p.reason) for p in audit_chain_problems()]

    assert (2, "rows 2..2 are missing") in problems
    assert (3, "does not link to the previous row") in problems


def test_verify_passes_on_an_intact_log(personas, capsys):
    record_three(personas)

    call_command("verify_audit_log")

    assert "3 events verified" in capsys.readouterr().out


def test_a_rolled_back_change_leaves_no_event_and_no_gap(personas):
    audit_record(action="auth.login", actor=personas.caseworker)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="membership.updated", actor=personas.org_admin)
        raise RuntimeError("the change failed")
    later = audit_record(action="auth.logout", actor=personas.caseworker)

    assert later.seq == 2
    assert list(audit_chain_problems()) == []


def test_the_database_refuses_truncate_without_the_test_option(personas):
    audit_record(action="auth.login", actor=personas.caseworker)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL crisis_ops.allow_audit_truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1
