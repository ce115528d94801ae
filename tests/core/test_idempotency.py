"""One tap, one record: the server half (the browser half is in tests/browser/test_one_tap.py)."""

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Note
from crisis_ops.accounts.tokens import api_token_create
from crisis_ops.core.models import IdempotencyKey
from crisis_ops.core.tasks import purge_idempotency_keys
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def test_a_second_post_with_the_same_key_replays_the_first_answer(client_for, case):
    client = client_for("caseworker")
    url = reverse("cases:note_add", args=[case.pk])
    body = {"text": "Позвонила сестра.", "idempotency_key": "tap-0123456789"}

    first = client.post(url, body)
    second = client.post(url, body)

    assert case.notes.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"


def test_a_new_key_is_a_new_record(client_for, case):
    client = client_for("caseworker")
    url = reverse("cases:note_add", args=[case.pk])

    client.post(url, {"text": "Первая.", "idempotency_key": "tap-aaaaaaaaaa"})
    client.post(url, {"text": "Вторая.", "idempotency_key": "tap-bbbbbbbbbb"})

    assert case.notes.count() == 2


def test_keys_belong_to_one_user(client_for, case):
    url = reverse("cases:note_add", args=[case.pk])
    body = {"text": "Одна и та же.", "idempotency_key": "tap-shared-key"}

    client_for("caseworker").post(url, body)
    client_for("caseworker_same_center").post(url, body)

    assert case.notes.count() == 2


def test_a_failed_first_try_lets_go_of_the_key(personas, case, client):
    token = api_token_create(user=personas.caseworker, name="t", scope="write")[1]
    url = f"/api/v1/cases/{case.pk}/notes"
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_IDEMPOTENCY_KEY": "tap-retry-0001"}

    failed = client.post(url, json.dumps({"text": ""}), content_type="application/json", **headers)
    retried = client.post(
        url, json.dumps({"text": "Теперь с текстом."}), content_type="application/json", **headers
    )

    assert failed.status_code == 400
    assert retried.status_code == 201
    assert case.notes.count() == 1


def test_a_key_used_for_another_request_is_refused(client_for, case):
    client = client_for("caseworker")
    client.post(
        reverse("cases:note_add", args=[case.pk]), {"text": "A.", "idempotency_key": "tap-other-01"}
    )

    response = client.post(
        reverse("cases:service_add", args=[case.pk]), {"idempotency_key": "tap-other-01"}
    )

    assert response.status_code == 422
    assert "already used for another request" in response.content.decode()


def test_a_malformed_key_is_a_clear_400_and_nothing_is_saved(client_for, case):
    response = client_for("caseworker").post(
        reverse("cases:note_add", args=[case.pk]), {"text": "A.", "idempotency_key": "bad key!"}
    )

    assert response.status_code == 400
    assert "8 to 64 letters" in response.content.decode()
    assert case.notes.count() == 0


def test_the_api_header_means_the_same(personas, case, client):
    token = api_token_create(user=personas.caseworker, name="t", scope="write")[1]
    url = f"/api/v1/cases/{case.pk}/notes"
    headers = {"HTTP_AUTHORIZATION": f"Token {token}", "HTTP_IDEMPOTENCY_KEY": "api-key-0001"}
    body = json.dumps({"text": "Из приложения."})

    first = client.post(url, body, content_type="application/json", **headers)
    second = client.post(url, body, content_type="application/json", **headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Note.objects.filter(case=case).count() == 1


def test_the_kept_answer_is_encrypted(client_for, personas, case):
    token = api_token_create(user=personas.caseworker, name="t", scope="write")[1]
    client_for("caseworker").post(
        f"/api/v1/cases/{case.pk}/notes",
        json.dumps({"text": "Секретный адрес сестры."}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_IDEMPOTENCY_KEY="api-key-0002",
    )

    kept = IdempotencyKey.objects.get()
    assert "Секретный адрес" in kept.body
    with connection.cursor() as cursor:
        cursor.execute("SELECT body::text FROM core_idempotencykey")
        (raw,) = cursor.fetchone()
    assert raw and "Секретный".encode().hex() not in raw


def test_the_schema_documents_the_header(client_for):
    schema = client_for("caseworker").get(reverse("api:schema") + "?format=json")
    operation = schema.json()["paths"]["/api/v1/cases/{case_id}/notes"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]


def test_old_keys_are_purged(client_for, case, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client_for("caseworker").post(
        reverse("cases:note_add", args=[case.pk]), {"text": "A.", "idempotency_key": "tap-old-0001"}
    )
    time_machine.shift(60 * 60 * 25)

    assert purge_idempotency_keys() == 1
    assert not IdempotencyKey.objects.exists()


# Forms that no signed-in person sends (signing in), or whose repeat is harmless and
# whose page is the one everything else is built on (language, sign-out); the case search
# is a POST only to keep what is typed out of the address, and changes nothing (a key
# there would replay the first search's answer to the next one typed in the same form).
_NO_KEY_NEEDED = {
    "base.html",
    "accounts/login.html",
    "accounts/verify.html",
    "accounts/enrol.html",
    "cases/case_list.html",
}


def test_every_post_form_carries_a_key():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        name = str(path.relative_to(TEMPLATES))
        if name in _NO_KEY_NEEDED:
            continue
        for form in re.findall(r"<form\b[^>]*>.*?</form>", path.read_text(), re.S | re.I):
            if re.search(r'method="post"', form, re.I) and "{% idempotency_key %}" not in form:
                missing.append(name)
    assert missing == []


def test_an_autosave_after_the_finish_does_not_bring_the_draft_back(client_for, personas):
    from cases.models import IntakeDraft

    client = client_for("caseworker")
    client.post(
        reverse("cases:note_add", args=[intake(personas.caseworker, personas.center).pk]),
        {"text": "A.", "idempotency_key": "finished-form-1"},
    )

    client.post(
        reverse("cases:intake_autosave"),
        {"step": "1", "full_name": "Поздно", "form_key": "finished-form-1"},
    )

    assert not IntakeDraft.objects.exists()
