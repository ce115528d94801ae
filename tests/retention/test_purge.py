"""The purge (crisis_ops/retention/purge.py): no row that reaches her is left, a content-free
record stays, an interrupted purge resumes, published figures stay as published."""

from __future__ import annotations

import datetime

import pytest

from cases import services as case_services
from cases.models import Survivor
from crisis_ops.audit.models import AuditEvent
from crisis_ops.audit.services import audit_chain_problems
from crisis_ops.encryption.data_keys import survivor_key_exists
from crisis_ops.notifications.models import Notification
from crisis_ops.retention import purge, registry
from crisis_ops.retention.models import (
    PurgeJob,
)
from tests.cases.factories import intake
from tests.retention.factories import closed_case, order_on, rows_reaching

pytestmark = pytest.mark.django_db


# --- the purge --------------------------------------------------------------------------


def _full_case(personas):
    case = intake(personas.caseworker, personas.center)
    case_services.note_add(actor=personas.caseworker, case=case, text="Видела синяки")
    order = order_on(case, personas)
    order.status = "expired"
    order.save(update_fields=["status"])
    return closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1), case=case)


def test_the_purge_leaves_no_row_that_reaches_her_and_a_content_free_record(
    personas, destroyed_keys
):
    case = _full_case(personas)
    kept = _full_case(personas)
    Notification.objects.create(
        recipient=personas.supervisor, kind="high_risk", object_type="cases.case", object_id=case.pk
    )
    assert rows_reaching(case.survivor_id)
    kept_before = rows_reaching(kept.survivor_id)

    [job] = purge.purge_survivors(
        organisation_id=personas.center.pk,
        survivor_ids=[case.survivor_id],
        kind=PurgeJob.Kind.RETENTION,
    )

    assert rows_reaching(case.survivor_id) == {}
    assert rows_reaching(kept.survivor_id) == kept_before
    assert not survivor_key_exists(survivor_id=case.survivor_id)
    assert survivor_key_exists(survivor_id=kept.survivor_id)
    assert not Notification.objects.filter(object_id=case.pk).exists()
    assert job.status == "done" and job.key_destroyed_at is not None
    assert job.rows["cases.case"] == 1 and job.rows["cases.note"] == 1
    assert job.rows["protection_orders.protectionorder"] == 1 and job.rows["notifications"] >= 1
    event = AuditEvent.objects.get(action="retention.purged_retention")
    assert event.object_id == str(job.pk) and event.actor_id is None
    assert list(audit_chain_problems()) == []


def test_a_purge_that_fails_after_the_key_is_gone_resumes_and_finishes(
    personas, destroyed_keys, monkeypatch
):
    first = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    second = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    cases_purger = next(p for p in registry.purgers() if p.key == "cases")

    def dies(survivor_ids):
        raise RuntimeError("worker lost")

    monkeypatch.setitem(registry._REGISTRY.purgers, "cases", registry.Purger("cases", 100, dies))
    with pytest.raises(RuntimeError):
        purge.purge_survivors(
            organisation_id=personas.center.pk,
            survivor_ids=[first.survivor_id, second.survivor_id],
            kind=PurgeJob.Kind.RETENTION,
        )
    # Keys gone, rows still there (unreadable), and the journal says so.
    pending = PurgeJob.objects.filter(status="pending")
    assert {j.survivor_id for j in pending} == {first.survivor_id, second.survivor_id}
    assert all(j.key_destroyed_at for j in pending)
    assert Survivor.objects.filter(pk__in=[first.survivor_id, second.survivor_id]).count() == 2

    monkeypatch.setitem(registry._REGISTRY.purgers, "cases", cases_purger)
    purge.purge_resume()

    assert not PurgeJob.objects.filter(status="pending").exists()
    assert not Survivor.objects.filter(pk__in=[first.survivor_id, second.survivor_id]).exists()
    assert PurgeJob.objects.filter(status="done").count() == 2


def test_report_figures_published_before_the_purge_stay_as_published(personas, destroyed_keys):
    from crisis_ops.reports.models import ReportRun
    from crisis_ops.reports.services import report_run_create

    for _ in range(6):
        closed_case(
            personas.caseworker,
            personas.center,
            datetime.date(2020, 3, 20),
            incident={"occurred_on": datetime.date(2020, 3, 10)},
        )
    data = {"figure": "incidents", "start": "2020-03", "end": "2020-03", "language": "en"}
    run = report_run_create(user=personas.coordinator, data=data)
    before = ReportRun.objects.get(pk=run.pk).result
    assert before["cells"][0][0]["value"] == 6

    purge.purge_survivors(
        organisation_id=personas.center.pk,
        survivor_ids=list(Survivor.objects.values_list("pk", flat=True)),
        kind=PurgeJob.Kind.RETENTION,
    )

    assert not Survivor.objects.exists()
    assert ReportRun.objects.get(pk=run.pk).result == before
    # Counted again, the purged are gone; what was published stays as it was.
    rerun = report_run_create(user=personas.coordinator, data=data)
    assert rerun.result["cells"] != before["cells"]
