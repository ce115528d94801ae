"""Referral pages: the persona ladder, the send form, answers, and the leak test in pages."""

import datetime

import pytest
from django.urls import reverse

from cases import services as case_services
from referrals.models import Referral
from tests.cases.factories import intake
from tests.referrals.factories import refer

pytestmark = pytest.mark.django_db

SENDERS = ["caseworker", "caseworker_same_center", "supervisor"]
RECEIVERS = ["caseworker_other_center", "supervisor_other_center"]
NOBODY = ["shelter_manager", "coordinator", "org_admin"]
EVERYONE = SENDERS + RECEIVERS + NOBODY + ["anonymous"]


@pytest.fixture
def referral(personas, case, center_b, center_consent):
    return refer(personas.caseworker, case, center_b, ["identity", "risk_band"], skip_consent=True)


def _expected(persona, allowed):
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_referral_page_ladder(client_for, referral, persona):
    response = client_for(persona).get(reverse("referrals:referral_detail", args=[referral.id]))

    assert response.status_code == _expected(persona, SENDERS + RECEIVERS)
    if persona not in SENDERS:
        assert "Айгерим" not in response.content.decode()


@pytest.mark.parametrize("persona", EVERYONE)
def test_incoming_list_ladder(client_for, referral, persona, django_assert_max_num_queries):
    client = client_for(persona)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("referrals:incoming"))

    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in NOBODY:
        assert response.status_code == 403
    else:
        assert (referral.reference in response.content.decode()) == (persona in RECEIVERS)


@pytest.mark.parametrize("persona", EVERYONE)
def test_referral_form_ladder(client_for, case, persona):
    response = client_for(persona).get(reverse("referrals:referral_new", args=[case.id]))

    assert response.status_code == _expected(persona, SENDERS)


@pytest.mark.parametrize("persona", EVERYONE)
def test_letter_only_for_the_sender(client_for, referral, persona):
    response = client_for(persona).get(reverse("referrals:letter", args=[referral.id]))

    expected = {"anonymous": 302}.get(
        persona, 200 if persona in SENDERS else (403 if persona in RECEIVERS else 404)
    )
    assert response.status_code == expected


def test_sending_from_the_page_names_the_missing_consent(client_for, case, legal_aid):
    response = client_for("caseworker").post(
        reverse("referrals:referral_new", args=[case.id]),
        {
            "partner": legal_aid.id,
            "purpose": "legal_aid",
            "parts": ["identity"],
            "delivery": "handed",
        },
    )

    assert response.status_code == 400
    assert (
        "There is no valid consent for “Referral to legal aid” today" in response.content.decode()
    )
    assert not Referral.objects.exists()


def test_send_accept_and_see_only_the_shared_parts(client_for, case, center_b, center_consent):
    sent = client_for("caseworker").post(
        reverse("referrals:referral_new", args=[case.id]),
        {
            "partner": center_b.id,
            "purpose": "case_management",
            "parts": ["identity", "risk_band"],
            "delivery": "in_app",
        },
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302

    client = client_for("caseworker_other_center")
    before = client.get(reverse("referrals:referral_detail", args=[referral.id])).content.decode()
    client.post(reverse("referrals:referral_accept", args=[referral.id]))
    after = client.get(reverse("referrals:referral_detail", args=[referral.id])).content.decode()

    assert "Accept the referral to see what it shares" in before and "Айгерим" not in before
    assert "Айгерим" in after and 'data-part="risk_band"' in after
    for secret in ('data-part="contact"', "Алматы, ул. Абая", "Звонить только сестре", "Он ударил"):
        assert secret not in after


def test_double_accept_from_the_page_shows_the_message(client_for, referral):
    url = reverse("referrals:referral_accept", args=[referral.id])
    client_for("caseworker_other_center").post(url)

    second = client_for("supervisor_other_center").post(url, follow=True)

    assert "This referral is already accepted; nothing was changed." in second.content.decode()


def test_a_decline_without_a_reason_shows_the_page_again_with_the_form_open(client_for, referral):
    response = client_for("caseworker_other_center").post(
        reverse("referrals:referral_decline", args=[referral.id]), {"reason": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "<details open><summary>Decline</summary>" in page
    assert "This field is required." in page
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.answered_at is None


def test_an_answer_that_is_not_hers_to_give_says_why_on_the_page(client_for, referral):
    response = client_for("caseworker").post(
        reverse("referrals:referral_accept", args=[referral.id])
    )

    assert response.status_code == 403
    assert 'class="form-errors"' in response.content.decode()
    assert "Only the center the referral was sent to can answer it." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_leak_in_pages_after_transfer_and_revocation(
    client_for, personas, case, referral, center_consent
):
    other = intake(personas.caseworker, personas.center)
    client = client_for("caseworker_other_center")
    client.post(reverse("referrals:referral_accept", args=[referral.id]))

    for url in (
        reverse("cases:case_detail", args=[case.id]),
        reverse("cases:case_detail", args=[other.id]),
        reverse("referrals:referral_new", args=[case.id]),
        reverse("referrals:letter", args=[referral.id]),
    ):
        assert client.get(url).status_code in (403, 404), url
    cases_page = client.get(reverse("cases:case_list")).content.decode()
    assert case.reference not in cases_page and other.reference not in cases_page

    case_services.consent_revoke(actor=personas.caseworker, consent=center_consent)

    page = client.get(reverse("referrals:referral_detail", args=[referral.id])).content.decode()
    assert "Айгерим" not in page and "The consent was revoked" in page


def test_case_page_lists_referrals_and_the_timeline_shows_them(client_for, referral):
    page = client_for("caseworker").get(reverse("cases:case_detail", args=[referral.case_id]))

    assert page.content.decode().count(referral.reference) >= 2


def test_overdue_answer_is_an_overdue_item_of_the_case(client_for, referral):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        page = client_for("caseworker").get(reverse("cases:case_list"), {"overdue": "on"})

    assert referral.case.reference in page.content.decode()


@pytest.mark.parametrize("persona", ["caseworker", "org_admin", "coordinator"])
def test_partner_directory_for_every_signed_in_role(client_for, center_b, persona):
    page = client_for(persona).get(reverse("referrals:partner_list"), {"kind": "center"})

    assert page.status_code == 200 and "Center B" in page.content.decode()


def test_csv_import_reports_each_refused_row(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals.models import Partner

    data = (
        "name,kind,region,phone,services,languages\n"
        "Клиника №1,medical,almaty-city,+7 727 1,forensic_exam,ru;kk\n"
        ",legal,almaty-city,,,\n"
        "Где-то,nowhere,almaty-city,,,\n"
        "Адвокаты,legal,mars,,,\n"
    ).encode()
    page = client_for("org_admin").post(
        reverse("referrals:partner_import"),
        {"file": SimpleUploadedFile("p.csv", data, content_type="text/csv")},
    )

    body = page.content.decode()
    assert Partner.objects.filter(name="Клиника №1").count() == 1
    assert "1 partner added" in body
    assert body.count('class="refused-row"') == 3
    assert "Give the partner" in body and "Unknown kind" in body and "regions by its code" in body


def test_only_org_admins_import_or_add(client_for):
    for name in ("referrals:partner_import", "referrals:partner_new"):
        assert client_for("caseworker").get(reverse(name)).status_code == 403
        assert client_for("org_admin").get(reverse(name)).status_code == 200


def test_dashboard_cards_count_incoming_and_list_waiting(client_for, referral):
    receiver = client_for("caseworker_other_center").get("/").content.decode()
    sender = client_for("caseworker").get("/").content.decode()

    assert "1 referral waits for your center" in receiver
    assert referral.reference in sender and 'id="card-waiting-referrals"' in sender
    assert referral.reference not in receiver


def test_inbox_links_a_referral_notification_to_the_referral(client_for, referral):
    page = (
        client_for("supervisor_other_center").get(reverse("notifications:inbox")).content.decode()
    )

    assert "Referral received" in page
    assert reverse("referrals:referral_detail", args=[referral.id]) in page


def test_referral_e_mail_names_the_reference_only(
    personas, referral, mailoutbox, django_capture_on_commit_callbacks
):
    from crisis_ops.notifications.models import Notification
    from crisis_ops.notifications.tasks import send_notification_email

    notification = Notification.objects.get(
        recipient=personas.caseworker_other_center, kind="referral_received"
    )
    send_notification_email(str(notification.pk))

    message = mailoutbox[-1]
    assert referral.reference in message.subject and "Айгерим" not in message.body


def test_seed_demo_adds_a_directory_and_a_referral_in_every_state(settings):
    from django.core.management import call_command

    from referrals.models import Partner

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent

    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == {"sent", "accepted", "declined", "completed", "cancelled"}
    transfer = Referral.objects.get(is_transfer=True)
    assert transfer.case.organisation_id == transfer.to_organisation_id
    assert Partner.objects.filter(linked_organisation__isnull=False).count() == 3
    assert Partner.objects.filter(kind__code="police").exists()
