"""No request ends in a 500: every page and endpoint, fed odd input by a signed-in caseworker."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.cases.factories import intake

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    {},
    {"page": "-1", "step": "999", "status": "nonsense", "q": "' OR 1=1 --"},
    {"limit": "abc", "offset": "-5", "risk_band": "x" * 300, "unread": "maybe"},
    {"q": "８７０１２３４５６７８", "mine": "yes", "next": "//evil.example"},
]
ODD_BODIES = [{}, {"text": "x" * 20000}, {"status": ["a", "b"], "occurred_on": "31.02.2026"}]


def _paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith("admin/"):
                continue
            yield from _paths(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern


def _fill(pattern, ids):
    path = pattern.replace("^", "").replace("$", "")
    for name, value in ids.items():
        path = path.replace(f"<uuid:{name}>", value)
    return "/" + path


@pytest.mark.parametrize("persona", ["caseworker", "shelter_manager"])
def test_no_page_or_endpoint_answers_500(client_for, personas, persona):
    from shelters import services_placements as shelter_placements
    from tests.shelters.factories import shelter_with_beds

    case = intake(personas.caseworker, personas.center)
    some_id = str(case.pk)
    ids = {
        name: some_id
        for name in (
            "case_id",
            "consent_id",
            "membership_id",
            "organisation_id",
            "pk",
            "order_id",
            "assessment_id",
            "notification_id",
            "reminder_id",
        )
    }
    # Real shelter objects, so the shelter manager's crawl reaches past the 404s.
    shelter = shelter_with_beds(personas.center, beds=3)
    free, held, occupied = shelter.beds.order_by("label")
    hold = shelter_placements.hold_place(actor=personas.caseworker, bed=held, case=case)
    stay, _ = shelter_placements.stay_admit(
        actor=personas.shelter_manager,
        bed=occupied,
        case=intake(personas.caseworker, personas.center),
    )
    ids |= {
        "shelter_id": str(shelter.pk),
        "bed_id": str(free.pk),
        "hold_id": str(hold.pk),
        "stay_id": str(stay.pk),
    }
    client = client_for(persona)
    client.raise_request_exception = False
    failures: list[tuple[str, str, object, int]] = []
    visited: list[str] = []
    for pattern in _paths():
        if "<" in _fill(pattern, ids) or "logout" in pattern:
            continue
        url = _fill(pattern, ids)
        visited.append(url)
        for query in ODD_QUERIES:
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(("GET", url, query, response.status_code))
        for body in ODD_BODIES:
            response = client.post(url, body)
            if response.status_code >= 500:
                failures.append(("POST", url, body, response.status_code))
    assert len(visited) >= 40, visited  # the crawl really covers the site
    assert failures == []
