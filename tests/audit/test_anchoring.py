"""The audit chain's head, published outside the database, catches the newest rows cut off."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from crisis_ops.audit.anchoring import audit_head_publish
from crisis_ops.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _truncate_after(seq: int) -> None:
    """Delete the newest rows as the database owner could: the chain before them still holds."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [seq])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


@pytest.fixture
def anchor_file(tmp_path, settings):
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    return settings.AUDIT_ANCHOR_FILE


def test_the_head_is_appended_to_the_file_and_mailed_to_org_admins(personas, anchor_file):
    audit_record(action="auth.login", actor=personas.caseworker)
    first = audit_head_publish()
    audit_record(action="auth.logout", actor=personas.caseworker)
    second = audit_head_publish()

    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert [(line["seq"], line["hash"]) for line in lines] == [
        (first.seq, first.hash),
        (second.seq, second.hash),
    ]
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == [personas.org_admin.email] * 2
    assert second.hash in mail.outbox[-1].body


def test_verify_against_the_file_passes_on_an_intact_log(personas, anchor_file, capsys):
    audit_record(action="auth.login", actor=personas.caseworker)
    audit_head_publish()
    audit_record(action="auth.logout", actor=personas.caseworker)

    call_command("verify_audit_log", against=str(anchor_file))

    assert "1 published heads matched" in capsys.readouterr().out


def test_deleting_the_newest_rows_passes_the_chain_but_not_the_anchor(personas, anchor_file):
    for _ in range(3):
        audit_record(action="auth.login", actor=personas.caseworker)
    kept = audit_head_publish()
    audit_record(action="auth.logout", actor=personas.caseworker)
    audit_head_publish()
    _truncate_after(kept.seq)

    call_command("verify_audit_log")  # the chain alone cannot see the cut
    with pytest.raises(CommandError):
        call_command("verify_audit_log", against=str(anchor_file))


def test_verify_names_the_missing_head(personas, anchor_file, capsys):
    audit_record(action="auth.login", actor=personas.caseworker)
    audit_record(action="auth.login", actor=personas.caseworker)
    head = audit_head_publish()
    _truncate_after(head.seq - 1)

    with pytest.raises(CommandError):
        call_command("verify_audit_log", against=str(anchor_file))
    assert f"audit row {head.seq}: anchor:" in capsys.readouterr().err


def test_an_unreadable_anchor_file_is_a_clear_error(tmp_path, db):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(CommandError, match="Cannot read the anchor file"):
        call_command("verify_audit_log", against=str(bad))
    with pytest.raises(CommandError, match="Cannot read the anchor file"):
        call_command("verify_audit_log", against=str(tmp_path / "missing.jsonl"))
