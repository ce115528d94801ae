"""The last five free beds, fifty callers at once, through a real server: five get a bed.

Every request runs in its own server thread with its own database connection, as in
production, so PostgreSQL's one-active-occupancy-per-bed index and the row locks are
what decide the race. The losers get 409 with a clear message, never a 500.
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from crisis_ops.accounts.tokens import api_token_create
from crisis_ops.organisations.roles import Role
from shelters.models import Bed, Occupancy, Room, Shelter
from shelters.selectors import free_beds
from tests.cases.factories import intake
from tests.factories import MembershipFactory, OrganisationFactory, region
from tests.personas import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REQUESTS = 50
FREE = 5
CENTERS = 5
TAKEN = "This bed was just taken. Choose another one."


@pytest.fixture
def shelter():
    """20 beds, of which exactly 5 adult beds are free: 4 empty, one behind an expired hold.

    The rest: 8 adult beds with someone in them, 2 held for the next hour, 2 out of
    service, and 3 free child beds an adult request must not take.
    """
    owner = OrganisationFactory.create(name="Shelter center", region=region("almaty-city"))
    manager = MembershipFactory.create(role=Role.SHELTER_MANAGER, organisation=owner).user
    shelter = Shelter.objects.create(
        organisation=owner,
        name="Убежище «Последняя койка»",
        region=region("almaty-city"),
        address="ул. Секретная 7",
        intake_phone="+7 727 000 00 00",
    )
    room = Room.objects.create(shelter=shelter, name="1")
    layout = ["stay"] * 8 + ["held"] * 2 + ["out"] * 2 + ["free"] * 4 + ["expired"]
    residents = [intake(manager, owner) for _ in range(len(layout))]
    now = timezone.now()
    for n, state in enumerate(layout):
        bed = Bed.objects.create(
            shelter=shelter, room=room, label=f"{n + 1:02d}", out_of_service=state == "out"
        )
        if state in ("stay", "held", "expired"):
            Occupancy.objects.create(
                bed=bed,
                case=residents[n],
                kind="stay" if state == "stay" else "hold",
                placed_by=manager,
                admitted_on=now.date() if state == "stay" else None,
                hold_expires_at={
                    "held": now + timedelta(minutes=60),
                    "expired": now - timedelta(minutes=5),
                }.get(state),
            )
    for n in range(3):
        Bed.objects.create(shelter=shelter, room=room, label=f"C{n + 1}", kind="child")
    assert free_beds().filter(shelter=shelter, kind="adult").count() == FREE
    return shelter


@pytest.fixture
def callers():
    """50 (token, case) pairs: caseworkers of five other centers, each with her own cases."""
    pairs = []
    for _ in range(CENTERS):
        organisation = OrganisationFactory.create(region=region("astana"))
        caseworker = MembershipFactory.create(role=Role.CASEWORKER, organisation=organisation).user
        token = api_token_create(user=caseworker, name="race", scope="write")[1]
        for _n in range(REQUESTS // CENTERS):
            pairs.append((token, str(intake(caseworker, organisation).pk)))
    return pairs


@pytest.fixture
def page_callers():
    """50 (session cookie, case) pairs: signed-in caseworkers of five other centers."""
    pairs = []
    for _ in range(CENTERS):
        organisation = OrganisationFactory.create(region=region("astana"))
        caseworker = MembershipFactory.create(role=Role.CASEWORKER, organisation=organisation).user
        session = sign_in(Client(), caseworker).cookies[settings.SESSION_COOKIE_NAME].value
        for _n in range(REQUESTS // CENTERS):
            pairs.append((session, str(intake(caseworker, organisation).pk)))
    return pairs


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url, token, body):
    """The API with a token; a page (``body`` a list of form fields) with a session."""
    headers = {"Accept-Language": "en"}
    if isinstance(body, dict):
        data = json.dumps(body).encode()
        headers |= {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
    else:
        # Any 32-character secret does as the CSRF cookie, if the form sends the same one.
        csrf = uuid.uuid4().hex
        data = urllib.parse.urlencode([*body, ("csrfmiddlewaretoken", csrf)]).encode()
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={token}; {settings.CSRF_COOKIE_NAME}={csrf}",
        }
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def fire_together(url, calls):
    """Send every (token, body) at once: threads wait at a barrier, then all post."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, str] | None] = [None] * len(calls)

    def call(i, token, body):
        barrier.wait()
        try:
            results[i] = _post(url, token, body)
        except Exception as exc:  # a reset connection is a failure too, reported as such
            results[i] = (0, repr(exc))

    threads = [
        threading.Thread(target=call, args=(i, token, body))
        for i, (token, body) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never came back"
    return results


def _active_holds(shelter, cases):
    return Occupancy.objects.filter(
        kind="hold",
        ended_at__isnull=True,
        bed__shelter=shelter,
        case_id__in=cases,
        hold_expires_at__gt=timezone.now(),
    )


def _assert_five_winners(results, shelter, callers, free_before, *, page=False):
    statuses = Counter(status for status, _ in results)
    assert statuses == {302 if page else 201: FREE, 409: REQUESTS - FREE}, results
    for status, body in results:
        if status == 409:
            assert TAKEN in body if page else body == {"detail": TAKEN, "errors": {}}
    if not page:
        won = [body["bed"] for status, body in results if status == 201]
        assert {uuid.UUID(str(bed["id"] if isinstance(bed, dict) else bed)) for bed in won} == (
            free_before
        )
    holds = _active_holds(shelter, [case for _, case in callers])
    assert holds.count() == FREE
    assert {hold.bed_id for hold in holds} == free_before
    # Nobody else lost her bed, and no bed has two active occupants.
    assert Occupancy.objects.filter(bed__shelter=shelter, kind="stay", ended_at=None).count() == 8
    assert not free_beds().filter(shelter=shelter, kind="adult").exists()
    assert free_beds().filter(shelter=shelter, kind="child").count() == 3
    active = Occupancy.objects.filter(bed__shelter=shelter, ended_at__isnull=True)
    assert active.values("bed").distinct().count() == active.count()


def _free_adult_beds(shelter):
    return set(free_beds().filter(shelter=shelter, kind="adult").values_list("pk", flat=True))


def test_fifty_requests_for_any_free_adult_bed_five_succeed(server_url, shelter, callers):
    free_before = _free_adult_beds(shelter)
    calls = [
        (token, {"case": case, "shelter": str(shelter.pk), "kind": "adult"})
        for token, case in callers
    ]

    results = fire_together(f"{server_url}/api/v1/holds", calls)

    _assert_five_winners(results, shelter, callers, free_before)
    expired = Occupancy.objects.get(bed__shelter=shelter, kind="hold", end_reason="expired")
    assert expired.ended_at is not None


def test_fifty_requests_for_five_named_beds_one_winner_per_bed(server_url, shelter, callers):
    free_before = _free_adult_beds(shelter)
    beds = sorted(str(pk) for pk in free_before)
    calls = [
        (token, {"case": case, "bed": beds[i % FREE]}) for i, (token, case) in enumerate(callers)
    ]

    results = fire_together(f"{server_url}/api/v1/holds", calls)

    _assert_five_winners(results, shelter, callers, free_before)
    for bed in beds:
        asked = [i for i, (_, body) in enumerate(calls) if body["bed"] == bed]
        assert [results[i][0] for i in asked].count(201) == 1, bed


def test_fifty_page_posts_for_any_free_adult_bed_five_succeed(server_url, shelter, page_callers):
    """The hold page calls the same retrying service as the API: the same outcome."""
    free_before = _free_adult_beds(shelter)
    calls = [(session, [("case", case), ("kind", "adult")]) for session, case in page_callers]

    results = fire_together(f"{server_url}/shelters/{shelter.pk}/hold/", calls)

    _assert_five_winners(results, shelter, page_callers, free_before, page=True)
