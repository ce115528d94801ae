"""A reassigned case tells its new caseworker: an inbox row and an e-mail in her language,
naming the case by its reference only (issue 12, "People")."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.notifications import CASE_ASSIGNED
from crisis_ops.notifications.models import Notification
from tests.cases.factories import CASES, intake
from tests.factories import send

pytestmark = pytest.mark.django_db


def _notices(user):
    return Notification.objects.filter(recipient=user, kind=CASE_ASSIGNED)


def test_the_new_caseworker_gets_an_inbox_row_and_an_email_in_her_language(
    personas, django_capture_on_commit_callbacks
):
    bob = personas.caseworker_same_center
    bob.language = "kk"
    bob.email = "bob@example.org"
    bob.save()
    case = intake(personas.caseworker, personas.center)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign(actor=personas.supervisor, case=case, assignee=bob)

    notice = _notices(bob).get()
    assert (notice.object_type, notice.object_id) == ("cases.case", case.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    assert case.reference in message.subject
    assert "тағайындалды" in message.body  # Kazakh: "was assigned"
    text = str(message.subject) + str(message.body)
    assert "Айгерим" not in text and case.survivor.phone not in text
    assert not _notices(personas.caseworker).exists()


def test_assigning_her_own_caseworker_again_or_herself_tells_nobody(personas):
    case = intake(personas.caseworker, personas.center)

    services.case_assign(actor=personas.supervisor, case=case, assignee=personas.caseworker)

    assert not Notification.objects.filter(kind=CASE_ASSIGNED).exists()


def test_a_refused_reassignment_tells_nobody(personas):
    case = intake(personas.caseworker, personas.center)

    with pytest.raises(ValidationError):
        services.case_assign(
            actor=personas.supervisor, case=case, assignee=personas.caseworker_other_center
        )

    assert not Notification.objects.filter(kind=CASE_ASSIGNED).exists()


def test_the_case_page_reassignment_notifies(client_for, personas):
    case = intake(personas.caseworker, personas.center)
    bob = personas.caseworker_same_center

    response = client_for("supervisor").post(
        reverse("cases:case_assign", args=[case.pk]), {"assignee": str(bob.pk)}
    )

    assert response.status_code == 302
    assert _notices(bob).count() == 1
    inbox = client_for("caseworker_same_center").get(reverse("notifications:inbox"))
    assert case.reference in inbox.content.decode()


def test_the_api_reassignment_notifies(client_for, personas):
    case = intake(personas.caseworker, personas.center)
    bob = personas.caseworker_same_center

    response = send(
        client_for("supervisor"), "patch", f"{CASES}/{case.id}", {"assigned_to": str(bob.id)}
    )

    assert response.status_code == 200
    assert _notices(bob).count() == 1
