"""Writes to the partner directory: an organisation admin keeps her organisation's list,
and may import it from a CSV file with a report of each row refused and why."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Organisation, Region
from crisis_ops.organisations.roles import Role
from referrals import selectors
from referrals.choices import Language, PartnerStatus, Service
from referrals.models import Partner, PartnerKind

FIELDS = (
    "name",
    "description",
    "city",
    "address_1",
    "location_confidential",
    "phone",
    "email",
    "url",
    "hours",
    "languages",
    "letter_language",
    "services",
    "status",
)
CSV_COLUMNS = ("name", "kind", "region", *FIELDS[1:])
MAX_IMPORT_ROWS = 2000


def _administered(actor: User) -> Organisation:
    organisations = selectors.member_organisation_ids(user=actor, roles=(Role.ORG_ADMIN,))
    if not organisations:
        raise PermissionDenied(_("Only an organisation admin edits the partner directory."))
    return Organisation.objects.get(pk=organisations[0])


def _region(value: Any) -> Region:
    if isinstance(value, Region):
        return value
    region = Region.objects.filter(code=str(value).strip()).first()
    if region is None:
        raise ValidationError({"region": [_("Choose one of the regions by its code.")]})
    return region


def _clean(data: dict[str, Any], kind: PartnerKind) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if not str(data.get("name", "")).strip():
        errors["name"] = [_("Give the partner's name.")]
    unknown = set(data.get("services", [])) - set(Service.values)
    if unknown:
        errors["services"] = [_("Choose services from the offered list.")]
    elif data.get("services") and not set(data["services"]) & set(kind.services):
        errors["services"] = [_("None of these services is one this kind of partner offers.")]
    if set(data.get("languages", [])) - set(Language.values):
        errors["languages"] = [_("Languages are kk, ru or en.")]
    if data.get("letter_language", Language.RU) not in Language.values:
        errors["letter_language"] = [_("Letters are written in kk, ru or en.")]
    if data.get("status", PartnerStatus.ACTIVE) not in PartnerStatus.values:
        errors["status"] = [_("Choose one of the offered statuses.")]
    if errors:
        raise ValidationError(errors)
    data["name"] = " ".join(str(data["name"]).split())
    data["services"] = [
        s for s in Service.values if s in set(data.get("services") or kind.services)
    ]
    return data


@transaction.atomic
def partner_create(*, actor: User, kind: PartnerKind, region: Any, **data: Any) -> Partner:
    organisation = _administered(actor)
    if kind.is_network_center:
        raise ValidationError({"kind": [_("Centers of the network are listed by the network.")]})
    data = _clean(data, kind)
    partner = Partner(organisation=organisation, kind=kind, region=_region(region), **data)
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("Your list already has a partner with this name in this region.")]}
        ) from exc
    audit_record(
        action="partner.created", actor=actor, obj=partner, organisation_id=organisation.pk
    )
    return partner


@transaction.atomic
def partner_update(*, actor: User, partner: Partner, **data: Any) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    kind = data.pop("kind", partner.kind)
    if kind.is_network_center != partner.kind.is_network_center:
        raise ValidationError({"kind": [_("A center of the network stays one.")]})
    if "region" in data:
        partner.region = _region(data.pop("region"))
    merged = {name: getattr(partner, name) for name in FIELDS} | data
    for name, value in _clean(merged, kind).items():
        setattr(partner, name, value)
    partner.kind = kind
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("Your list already has a partner with this name in this region.")]}
        ) from exc
    audit_record(
        action="partner.updated",
        actor=actor,
        obj=partner,
        organisation_id=partner.organisation_id or partner.linked_organisation_id,
    )
    return partner


@dataclass
class ImportReport:
    created: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def _row_data(row: dict[str, str]) -> tuple[PartnerKind, dict[str, Any]]:
    kind = PartnerKind.objects.filter(code=(row.get("kind") or "").strip()).first()
    if kind is None:
        raise ValidationError({"kind": [_("Unknown kind; use one of the kind codes.")]})

    def listed(name: str) -> list[str]:
        return [v.strip() for v in (row.get(name) or "").replace(";", ",").split(",") if v.strip()]

    email, url = (row.get("email") or "").strip(), (row.get("url") or "").strip()
    if email:
        EmailValidator(message=_("Enter a valid e-mail address."))(email)
    if url:
        URLValidator(message=_("Enter a valid web address."))(url)
    confidential = (row.get("location_confidential") or "").strip().lower()
    return kind, {
        "name": row.get("name") or "",
        "region": row.get("region") or "",
        "description": (row.get("description") or "").strip(),
        "city": (row.get("city") or "").strip()[:100],
        "address_1": (row.get("address_1") or "").strip()[:200],
        "location_confidential": confidential in {"1", "yes", "true", "да", "иә"},
        "phone": (row.get("phone") or "").strip()[:64],
        "email": email,
        "url": url,
        "hours": (row.get("hours") or "").strip()[:200],
        "languages": listed("languages"),
        "letter_language": (row.get("letter_language") or "ru").strip() or "ru",
        "services": listed("services"),
        "status": (row.get("status") or "active").strip() or "active",
    }


def partners_import_csv(*, actor: User, data: bytes) -> ImportReport:
    """Each row its own transaction: a bad row is refused with its reason, the rest land."""
    _administered(actor)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": [_("Save the file as CSV in UTF-8 and try again.")]}
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"name", "kind", "region"} <= set(reader.fieldnames):
        raise ValidationError(
            {"file": [_("The first line must name the columns, at least name, kind and region.")]}
        )
    report = ImportReport()
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_IMPORT_ROWS:
            report.refused.append((number, _("Too many rows: split the file.")))
            break
        try:
            kind, values = _row_data(row)
            partner_create(actor=actor, kind=kind, **values)
        except ValidationError as exc:
            report.refused.append((number, " ".join(exc.messages)))
        except PermissionDenied as exc:
            report.refused.append((number, str(exc)))
        else:
            report.created += 1
    return report
