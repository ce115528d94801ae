"""Transfer requests racing through a real server: of two answers exactly one wins, and of
two centers asking for one case at once exactly one request is made; never a 500."""

import pytest

from cases.models import Case
from crisis_ops.accounts.tokens import api_token_create
from crisis_ops.organisations.roles import Role
from referrals import services
from referrals.models import Referral
from tests.cases.factories import intake
from tests.factories import MembershipFactory, OrganisationFactory, region
from tests.referrals.factories import ask, center_partner, helping
from tests.referrals.test_race import together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _token(user):
    return api_token_create(user=user, name="race", scope="write")[1]


def test_two_answers_to_a_request_at_once_exactly_one_wins(server_url, personas):
    case = intake(personas.caseworker, personas.center)
    request = ask(personas, helping(personas, case))
    url = f"{server_url}/api/v1/referrals/{request.pk}"

    results = together(
        [
            (f"{url}/accept", _token(personas.caseworker), {}),
            (f"{url}/decline", _token(personas.supervisor), {"reason": "other"}),
            (f"{url}/accept", _token(personas.caseworker_same_center), {}),
        ]
    )

    codes = sorted(code for code, _body in results)
    assert codes.count(200) == 1 and all(code == 400 for code in codes if code != 200), results
    request.refresh_from_db()
    owner = Case.objects.get(pk=case.pk).organisation_id
    assert (owner == personas.other_center.pk) == (request.status == "accepted")


def test_two_centers_asking_for_one_case_at_once_make_one_request(server_url, personas):
    case = intake(personas.caseworker, personas.center)
    from_b = helping(personas, case)
    center_c = OrganisationFactory.create(name="Center C", region=region("astana"))
    charlotte = MembershipFactory.create(
        user__username="charlotte", role=Role.CASEWORKER, organisation=center_c
    ).user
    to_c = services.referral_send(
        actor=personas.caseworker,
        case=case,
        partner=center_partner(center_c),
        purpose="case_management",
        parts=["identity"],
    )
    from_c = services.referral_accept(actor=charlotte, referral=to_c)
    body = {"reason": "moved"}

    results = together(
        [
            (
                f"{server_url}/api/v1/referrals/{from_b.pk}/request-transfer",
                _token(personas.caseworker_other_center),
                body,
            ),
            (
                f"{server_url}/api/v1/referrals/{from_c.pk}/request-transfer",
                _token(charlotte),
                body,
            ),
        ]
    )

    codes = sorted(code for code, _body in results)
    assert codes == [201, 400], results
    assert Referral.objects.filter(kind="transfer_request").count() == 1
