"""The referral letter: generated on request in the partner's language, with the shared
parts only. The PDF's text is extracted and read back."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from crisis_ops.audit.models import AuditEvent
from tests.referrals.factories import partner, refer

pytestmark = pytest.mark.django_db

# Values of every part, and the part they belong to: none may appear unless shared.
NOT_SHARED = {
    "contact": ["Звонить только сестре", "ул. Абая"],
    "incident_summary": ["Physical assault", "Физическое нападение", "Физикалық шабуыл"],
    "children": ["Динара"],
}


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def legal_referral(personas, case):
    from cases import services as case_services

    case_services.child_add(
        actor=personas.caseworker, case=case, first_name="Динара", birth_year=2019
    )

    def make(language):
        to = partner("legal", name=f"Заң клиникасы {language}", letter_language=language)
        return refer(personas.caseworker, case, to, ["identity", "risk_band"], purpose="legal_aid")

    return make


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Жолдама хат", "Тәуекел деңгейі", "Жеке басы"]),
        ("ru", ["Письмо-направление", "Уровень риска", "Личность"]),
    ],
)
def test_pdf_letter_in_the_partners_language_with_shared_parts_only(
    client_for, case, legal_referral, language, words
):
    referral = legal_referral(language)

    text = _pdf_text(
        client_for("caseworker").get(reverse("referrals:letter_pdf", args=[referral.id]))
    )

    assert referral.reference in text
    assert case.survivor.full_name in text
    for word in words:
        assert word in text
    for values in NOT_SHARED.values():
        for value in values:
            assert value not in text
    assert AuditEvent.objects.filter(action="referral.letter_generated").count() == 1


def test_kazakh_letters_survive_the_font(client_for, legal_referral):
    """Every Kazakh letter comes back out of the PDF: the font carries them all."""
    referral = legal_referral("kk")

    text = _pdf_text(
        client_for("caseworker").get(reverse("referrals:letter_pdf", args=[referral.id]))
    )

    assert "Сейтқали" in text and "Тәуекел" in text


def test_letter_page_is_in_the_partners_language_inside_the_users_page(client_for, legal_referral):
    referral = legal_referral("kk")

    page = (
        client_for("caseworker")
        .get(reverse("referrals:letter", args=[referral.id]))
        .content.decode()
    )

    assert "Жолдама хат" in page
    assert "Звонить только сестре" not in page


def test_no_letter_once_the_consent_is_revoked(client_for, personas, legal_referral):
    from cases import services as case_services

    referral = legal_referral("ru")
    case_services.consent_revoke(actor=personas.caseworker, consent=referral.consent)

    text = _pdf_text(
        client_for("caseworker").get(reverse("referrals:letter_pdf", args=[referral.id]))
    )

    assert "Айгерим" not in text
