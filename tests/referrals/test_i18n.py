"""Referral pages in Kazakh and Russian leave no English behind."""

import pytest
from django.urls import reverse

from tests.core.test_i18n import SAME_EVERYWHERE, visible_text
from tests.referrals.factories import refer

pytestmark = pytest.mark.django_db


def _pages(client, referral, case, sender: bool) -> dict[str, str]:
    urls = [
        reverse("referrals:incoming"),
        reverse("referrals:outgoing"),
        reverse("referrals:partner_list"),
        reverse("referrals:referral_detail", args=[referral.id]),
    ]
    if sender:
        urls += [
            reverse("referrals:referral_new", args=[case.id]),
            reverse("cases:case_detail", args=[case.id]),
        ]
    return {url: client.get(url).content.decode() for url in urls}


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("persona", ["caseworker", "supervisor_other_center"])
def test_referral_pages_are_translated(
    client_for, personas, case, center_b, center_consent, language, persona
):
    referral = refer(
        personas.caseworker, case, center_b, ["identity", "risk_band"], skip_consent=True
    )
    user = personas.user(persona)
    client = client_for(persona)
    english = _pages(client, referral, case, persona == "caseworker")
    user.language = language
    user.save(update_fields=["language"])
    translated = _pages(client, referral, case, persona == "caseworker")
    data = {
        referral.reference,
        case.reference,
        case.survivor.full_name,
        case.survivor.code,
        "Center A",
        "Center B",
        "Crisis center",
        str(personas.caseworker),
        str(personas.supervisor_other_center),
        "Ерлан",
        "Он ударил",
        "ул. Абая",
        "ул. Толе би 55",
        "alice",
        "timur",
    }

    for url, html in translated.items():
        left = visible_text(html) & visible_text(english[url])
        left = {t for t in left if t not in SAME_EVERYWHERE and not any(word in t for word in data)}
        assert left == set(), f"{url} in {language} still shows {left}"


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("persona", ["supervisor", "caseworker_other_center"])
def test_transfer_request_pages_are_translated(client_for, personas, case, language, persona):
    from tests.referrals.factories import ask, helping

    base = helping(personas, case)
    request = ask(personas, base, note="")
    user = personas.user(persona)
    client = client_for(persona)
    urls = [
        reverse("referrals:referral_detail", args=[base.id]),
        reverse("referrals:referral_detail", args=[request.id]),
        reverse("referrals:incoming"),
        reverse("referrals:outgoing"),
    ]
    english = {url: client.get(url).content.decode() for url in urls}
    user.language = language
    user.save(update_fields=["language"])
    data = {base.reference, request.reference, case.reference, "Center A", "Center B", "Айгерим"}
    data |= {str(user), user.username, "alice", "charlie", str(personas.caseworker)}
    data.add(str(personas.caseworker_other_center))

    for url in urls:
        html = client.get(url).content.decode()
        left = visible_text(html) & visible_text(english[url])
        left = {t for t in left if t not in SAME_EVERYWHERE and not any(word in t for word in data)}
        assert left == set(), f"{url} in {language} still shows {left}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_handed_over_page_is_translated(client_for, personas, case, language):
    from cases import services as case_services
    from referrals import services
    from tests.referrals.factories import center_partner

    case_services.note_add(actor=personas.caseworker, case=case, text="Записка")
    transfer = refer(
        personas.caseworker,
        case,
        center_partner(personas.other_center),
        ["identity"],
        is_transfer=True,
    )
    services.referral_accept(actor=personas.caseworker_other_center, referral=transfer)
    client = client_for("caseworker")
    url = reverse("referrals:handed_over", args=[transfer.id])
    english = client.get(url).content.decode()
    personas.caseworker.language = language
    personas.caseworker.save(update_fields=["language"])
    html = client.get(url).content.decode()
    data = {transfer.reference, "Записка", "Он ударил", str(personas.caseworker), "alice"}

    left = visible_text(html) & visible_text(english)
    left = {t for t in left if t not in SAME_EVERYWHERE and not any(word in t for word in data)}
    assert left == set(), left
