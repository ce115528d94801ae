"""Answers racing each other through a real server: exactly one wins, the rest get a 4xx
with a message, never a 500; a revocation racing an acceptance leaves no access behind."""

import threading

import pytest

from cases.models import CaseUserObjectPermission
from crisis_ops.accounts.tokens import api_token_create
from referrals.models import Referral
from tests.cases.factories import intake
from tests.referrals.factories import center_partner, consent, refer
from tests.shelters.test_race import _post

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def together(calls):
    """calls: (url, token, body); all posted at once from their own threads."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, url, token, body):
        barrier.wait()
        results[i] = _post(url, token, body)

    threads = [threading.Thread(target=run, args=(i, *c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def scene(personas):
    case = intake(personas.caseworker, personas.center)
    given = consent(personas.caseworker, case, "referral_center", ["identity"])
    referral = refer(
        personas.caseworker,
        case,
        center_partner(personas.other_center),
        ["identity"],
        skip_consent=True,
    )
    tokens = {
        name: api_token_create(user=personas.user(name), name="race", scope="write")[1]
        for name in ("caseworker", "caseworker_other_center", "supervisor_other_center")
    }
    return referral, given, tokens


def test_two_answers_at_once_exactly_one_wins(server_url, scene):
    referral, _given, tokens = scene
    base = f"{server_url}/api/v1/referrals/{referral.pk}"

    results = together(
        [
            (f"{base}/accept", tokens["caseworker_other_center"], {}),
            (f"{base}/decline", tokens["supervisor_other_center"], {"reason": "no_capacity"}),
            (f"{base}/accept", tokens["supervisor_other_center"], {}),
        ]
    )

    codes = sorted(code for code, _body in results)
    assert codes.count(200) == 1 and all(code == 400 for code in codes if code != 200), results
    referral.refresh_from_db()
    assert referral.status in ("accepted", "declined") and referral.answered_by is not None


def test_revocation_racing_acceptance_leaves_no_access(server_url, scene):
    referral, given, tokens = scene

    results = together(
        [
            (
                f"{server_url}/api/v1/referrals/{referral.pk}/accept",
                tokens["caseworker_other_center"],
                {},
            ),
            (
                f"{server_url}/api/v1/cases/{referral.case_id}/consents/{given.pk}/revoke",
                tokens["caseworker"],
                {},
            ),
        ]
    )

    assert all(code in (200, 400) for code, _body in results), results
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.consent_revoked_at is not None and referral.snapshot is None
    assert not CaseUserObjectPermission.objects.filter(
        content_object_id=referral.case_id, permission__codename="view_referred_case"
    ).exists()
