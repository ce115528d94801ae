"""Reads of the case file, always scoped to the user in the database, never in Python."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import (
    Case,
    CaseUserObjectPermission,
    Consent,
    HotlineCall,
    IntakeDraft,
    RiskInstrument,
    Survivor,
)
from crisis_ops.accounts.models import User
from crisis_ops.encryption.blind_index import BlindIndexField, BlindWordIndexField
from crisis_ops.encryption.fields import preload_data_keys
from crisis_ops.notifications.models import Notification
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role
from referrals.models import Referral

# Roles whose default scope is every case of their own center. Shelter managers,
# coordinators and org admins never see a case file.
CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR)


def case_organisations(*, user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(
        user=user, is_active=True, role__in=CASE_ROLES, organisation__is_active=True
    ).values("organisation_id")


def _granted(user: User, codename: str) -> QuerySet[CaseUserObjectPermission, Any]:
    return CaseUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )


# Above this many named cases, the grant list stays a subquery instead of literals.
_GRANTS_INLINE = 500


def case_scope_q(*, user: User, codename: str = "view_case") -> Q:
    """Own center's unrestricted cases, plus cases the user was named on or given.

    Both lists are read first (two small queries) and inlined: an OR against
    subqueries keeps PostgreSQL from using the organisation index, and the
    list would scan every case of the network.
    """
    organisations = [m["organisation_id"] for m in case_organisations(user=user)]
    granted = [g["content_object_id"] for g in _granted(user, codename)[: _GRANTS_INLINE + 1]]
    scope = Q(organisation_id__in=organisations, is_restricted=False)
    if len(granted) > _GRANTS_INLINE:
        return scope | Q(pk__in=_granted(user, codename))
    return scope | Q(pk__in=granted) if granted else scope


def case_list_for_user(
    *,
    user: User,
    status: str = "",
    risk_band: str = "",
    assigned_to_me: bool = False,
    has_overdue: bool = False,
    search: str = "",
    organisation_id: uuid.UUID | str | None = None,
) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.filter(case_scope_q(user=user)).select_related(
        "survivor", "assigned_to", "organisation"
    )
    if organisation_id is not None:
        cases = cases.filter(organisation_id=organisation_id)
    if status:
        cases = cases.filter(status=status)
    if risk_band:
        cases = cases.filter(risk_band=risk_band)
    if assigned_to_me:
        cases = cases.filter(assigned_to=user)
    if has_overdue:
        cases = cases.filter(
            Exists(overdue_consents().filter(case=OuterRef("pk")))
            | Exists(overdue_referral_answers().filter(case=OuterRef("pk")))
        )
    if search:
        cases = cases.filter(survivor_id__in=survivor_ids_matching(cases=cases, text=search))
    return cases.order_by("-opened_on", "-created_at")


def overdue_consents() -> QuerySet[Consent]:
    """Consents that ran out while still on record as given: they need renewing or revoking."""
    return Consent.objects.filter(revoked_at__isnull=True, expires_on__lt=timezone.localdate())


def overdue_referral_answers() -> QuerySet[Referral]:
    """Referrals still waiting for the partner's answer after its deadline."""
    return Referral.objects.filter(status=Referral.Status.SENT, answer_due_at__lt=timezone.now())


def search_kind(*, text: str) -> str:
    """Which blind index a typed search means: an IIN, a phone number or a name."""
    stripped = text.strip()
    digits = re.sub(r"\D", "", stripped)
    if not re.fullmatch(r"[\d\s()+.-]+", stripped) or len(digits) < 7:
        return "name"
    if len(digits) == 12 and not stripped.startswith("+"):
        return "iin"
    return "phone"


def survivor_ids_matching(*, cases: QuerySet[Case], text: str) -> list[uuid.UUID]:
    """Survivors of ``cases`` whose IIN or phone equals the typed text, or whose name has
    every word typed (any one word finds her: surname, first name or patronymic).

    The blind index narrows to a few candidates in the database; the exact
    comparison after decryption drops the tokens that merely collide.
    Raises ValueError, with a message for the user, when the text cannot be one.
    """
    kind = search_kind(text=text)
    if kind == "name":
        return _survivor_ids_by_name_words(cases=cases, text=text)
    field = Survivor._meta.get_field(f"{kind}_index")
    assert isinstance(field, BlindIndexField)
    wanted = field.normalise(text)
    candidates = Survivor.objects.filter(
        pk__in=cases.values("survivor_id"), **{f"{field.attname}__in": field.tokens(text)}
    ).only("id", field.source)
    return [s.pk for s in candidates if _same(field, getattr(s, field.source), wanted)]


def _survivor_ids_by_name_words(*, cases: QuerySet[Case], text: str) -> list[uuid.UUID]:
    field = Survivor._meta.get_field("name_words")
    assert isinstance(field, BlindWordIndexField)
    wanted = set(field.words(text))
    candidates = Survivor.objects.filter(pk__in=cases.values("survivor_id"))
    for word in wanted:  # each word typed must be one of hers: the GIN index, per word
        candidates = candidates.filter(name_words__overlap=field.word_tokens(word))
    found = list(candidates.only("id", "full_name"))
    preload_data_keys(found)
    return [s.pk for s in found if wanted <= set(_words_or_none(field, s.full_name))]


def _words_or_none(field: BlindWordIndexField, stored: str) -> list[str]:
    try:
        return field.words(stored)
    except ValueError:
        return []


def _same(field: BlindIndexField, stored: Any, wanted: str) -> bool:
    try:
        return bool(stored) and field.normalise(stored) == wanted
    except ValueError:
        return False


def case_get_for_user(*, user: User, case_id: uuid.UUID | str, for_change: bool = False) -> Case:
    """The case if the user may see it (or change it), else 404: never reveal it exists."""
    scope = case_scope_q(user=user, codename="change_case" if for_change else "view_case")
    try:
        return Case.objects.select_related("survivor", "organisation", "assigned_to").get(
            scope, pk=case_id
        )
    except (Case.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def survivor_possible_duplicates(
    *, organisation_id: uuid.UUID, iin: str = "", phone: str = ""
) -> list[Survivor]:
    """Survivors of the same organisation with this IIN or phone, for the intake warning."""
    found: dict[uuid.UUID, Survivor] = {}
    base = Survivor.objects.filter(organisation_id=organisation_id)
    for kind, value in (("iin", iin), ("phone", phone)):
        if not value:
            continue
        field = Survivor._meta.get_field(f"{kind}_index")
        assert isinstance(field, BlindIndexField)
        try:
            wanted = field.normalise(value)
            tokens = field.tokens(value)
        except ValueError:
            continue
        for survivor in base.filter(**{f"{field.attname}__in": tokens}):
            if _same(field, getattr(survivor, kind), wanted):
                found[survivor.pk] = survivor
    return list(found.values())


def user_can_edit_cases_of(*, user: User, organisation_id: uuid.UUID) -> bool:
    return case_organisations(user=user).filter(organisation_id=organisation_id).exists()


def escalations_for(*, user: User, limit: int = 20) -> list[dict[str, Any]]:
    """Unread alerts about a case (high risk), with the case, for the supervisor's dashboard."""
    notifications = list(Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit])
    cases = Case.objects.filter(case_scope_q(user=user)).in_bulk(
        [n.object_id for n in notifications if n.object_type == "cases.case"]
    )
    return [
        {"notification": n, "case": cases[n.object_id]}
        for n in notifications
        if n.object_id in cases
    ]


def risk_instrument_current() -> RiskInstrument:
    """The risk checklist new assessments use (the seeded DASH-style 24 questions)."""
    return RiskInstrument.objects.get(is_current=True, code="dash-24")


def case_list_open_for_change(*, user: User) -> QuerySet[Case]:
    """Open cases she may change (and so place in a shelter), her own first."""
    mine = ExpressionWrapper(Q(assigned_to=user), output_field=BooleanField())
    return (
        Case.objects.filter(case_scope_q(user=user, codename="change_case"))
        .exclude(status=Case.Status.CLOSED)
        .select_related("survivor")
        .annotate(mine=mine)
        .order_by("-mine", "-opened_on", "reference")
    )


def acting_organisation_choices(*, user: User) -> list[Organisation]:
    """The centers she may act for in case work (caseworker or supervisor), by name."""
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def acting_organisation(*, user: User, chosen_id: object = None) -> Organisation | None:
    """The center she acts for: the one she chose (if still hers), or her only one.

    None when she works for two or more centers and has not said which: nothing is
    taken silently, the page asks her.
    """
    centers = acting_organisation_choices(user=user)
    for center in centers:
        if chosen_id is not None and str(center.pk) == str(chosen_id):
            return center
    return centers[0] if len(centers) == 1 else None


def intake_draft_for(*, user: User, organisation: Organisation) -> IntakeDraft | None:
    return IntakeDraft.objects.filter(author=user, organisation=organisation).first()


def hotline_calls_for_user(*, user: User) -> QuerySet[HotlineCall]:
    """The anonymous calls of the centers she does case work for, newest first."""
    return (
        HotlineCall.objects.filter(organisation_id__in=case_organisations(user=user))
        .select_related("organisation", "region", "case")
        .order_by("-received_on", "-created_at")
    )


def hotline_call_get_for_user(*, user: User, call_id: uuid.UUID | str) -> HotlineCall:
    try:
        return hotline_calls_for_user(user=user).get(pk=call_id)
    except (HotlineCall.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
