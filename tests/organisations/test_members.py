import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts.models import User
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations.models import Membership
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

STAFF = reverse("organisations:member_list")
NOT_ADMINS = [p for p in PERSONAS if p not in ("org_admin", "anonymous")]


def new_member(**overrides):
    data = {
        "username": "nurlan",
        "first_name": "Нурлан",
        "last_name": "Абенов",
        "email": "nurlan@example.org",
        "role": "caseworker",
        "language": "kk",
        "password": "a-long-enough-passphrase",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_staff_page_is_for_org_admins_only(client_for, persona):
    assert client_for(persona).get(STAFF).status_code == 403


def test_staff_page_sends_anonymous_to_sign_in(client_for):
    response = client_for("anonymous").get(STAFF)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_org_admin_sees_own_staff_only(client_for, personas):
    page = client_for("org_admin").get(STAFF).content.decode()

    assert "alice" in page
    assert "bob" in page
    assert "charlie" not in page


def test_staff_list_queries_do_not_grow_with_staff(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for("org_admin")
    client.get(STAFF)
    for n in range(10):
        new = User.objects.create(username=f"extra{n}")
        Membership.objects.create(user=new, organisation=personas.center, role="caseworker")
    with django_assert_max_num_queries(12):
        assert client.get(STAFF).status_code == 200


def test_org_admin_adds_a_staff_member(client_for, personas):
    url = reverse("organisations:member_create", args=[personas.center.id])

    response = client_for("org_admin").post(url, new_member())

    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nurlan")
    assert membership.organisation == personas.center
    assert membership.user.check_password("a-long-enough-passphrase")
    assert membership.user.language == "kk"
    assert AuditEvent.objects.filter(
        action="membership.created", object_id=str(membership.id)
    ).exists()


def test_weak_password_is_refused_and_nothing_is_saved(client_for, personas):
    url = reverse("organisations:member_create", args=[personas.center.id])

    response = client_for("org_admin").post(url, new_member(password="123"))

    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not User.objects.filter(username="nurlan").exists()


def test_taken_username_is_refused(client_for, personas):
    url = reverse("organisations:member_create", args=[personas.center.id])

    response = client_for("org_admin").post(url, new_member(username="ALICE"))

    assert "username is taken" in response.content.decode()
    assert Membership.objects.filter(organisation=personas.center).count() == 6


def test_org_admin_cannot_add_staff_to_another_organisation(client_for, personas):
    url = reverse("organisations:member_create", args=[personas.other_center.id])

    assert client_for("org_admin").post(url, new_member()).status_code == 404
    assert not User.objects.filter(username="nurlan").exists()


def test_org_admin_cannot_open_staff_of_another_organisation(client_for, personas):
    membership = personas.caseworker_other_center.memberships.get()
    url = reverse("organisations:member_update", args=[membership.id])

    assert client_for("org_admin").get(url).status_code == 404


def test_switching_access_off_stops_sign_in(client_for, personas):
    membership = personas.caseworker.memberships.get()
    url = reverse("organisations:member_update", args=[membership.id])

    response = client_for("org_admin").post(url, {"role": "caseworker"})

    assert response.status_code == 302
    personas.caseworker.refresh_from_db()
    assert not personas.caseworker.is_active
    assert client_for("caseworker").get("/").status_code == 302


def test_org_admin_cannot_change_own_membership(client_for, personas):
    membership = personas.org_admin.memberships.get()
    url = reverse("organisations:member_update", args=[membership.id])

    response = client_for("org_admin").post(url, {"role": "caseworker", "is_active": "on"})

    assert response.status_code == 400
    assert "Ask another organisation admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "org_admin"


def test_org_admin_resets_an_authenticator(client_for, personas):
    membership = personas.caseworker.memberships.get()
    url = reverse("organisations:member_reset_second_factor", args=[membership.id])

    assert client_for("org_admin").post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.caseworker).exists()
    assert AuditEvent.objects.filter(action="auth.second_factor_reset").exists()


# --- API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_members_api_is_for_org_admins_only(client_for, persona):
    response = client_for(persona).get("/api/v1/members")

    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}


def test_members_api_refuses_anonymous_with_401(client_for):
    assert client_for("anonymous").get("/api/v1/members").status_code == 401


def test_members_api_lists_own_organisation_only(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for("org_admin")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/members")

    usernames = {row["username"] for row in response.json()["results"]}
    assert usernames == {"alice", "bob", "svetlana", "gulnara", "dana", "erlan"}


def test_members_api_creates_a_member(client_for, personas):
    payload = new_member(organisation_id=str(personas.center.id))

    response = client_for("org_admin").post(
        "/api/v1/members", payload, content_type="application/json"
    )

    assert response.status_code == 201
    assert response.json()["username"] == "nurlan"
    assert "password" not in response.json()


def test_members_api_validation_errors_use_the_error_format(client_for, personas):
    payload = new_member(organisation_id=str(personas.center.id), role="boss", email="nope")

    response = client_for("org_admin").post(
        "/api/v1/members", payload, content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert set(body["errors"]) == {"role", "email"}
    assert not User.objects.filter(username="nurlan").exists()


def test_members_api_service_errors_use_the_error_format(client_for, personas):
    payload = new_member(organisation_id=str(personas.center.id), password="short")

    response = client_for("org_admin").post(
        "/api/v1/members", payload, content_type="application/json"
    )

    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_members_api_changes_a_role(client_for, personas):
    membership = personas.caseworker.memberships.get()

    response = client_for("org_admin").patch(
        f"/api/v1/members/{membership.id}", {"role": "supervisor"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["role"] == "supervisor"
    assert response.json()["is_active"] is True


def test_members_api_hides_other_organisations(client_for, personas):
    membership = personas.caseworker_other_center.memberships.get()

    response = client_for("org_admin").patch(
        f"/api/v1/members/{membership.id}", {"is_active": False}, content_type="application/json"
    )

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.is_active
