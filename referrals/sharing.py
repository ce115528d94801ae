"""The one place that decides which parts of a case a referral shows, and how.

A snapshot is built once, at sending, from the chosen parts only, and stored
encrypted on the referral. Every reader — the referral page, the API, the
letter and its PDF, the incoming list's export — gets its content through
``shared_parts`` (selectors.referral_shared_for_user calls it) and renders it
through ``shared_rows``: nothing else reads ``Referral.snapshot``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.models.choices import (
    AgeBand,
    ConsentPart,
    GBVIMSClass,
    Relationship,
    RiskBand,
    Sex,
    ViolenceType,
)
from protection_orders.models import ProtectionOrder


def _identity(case: Case, needs: str) -> dict[str, Any]:
    survivor = case.survivor
    return {
        "full_name": survivor.full_name,
        "birth_date": survivor.birth_date.isoformat() if survivor.birth_date else None,
        "iin": survivor.iin,
        "age_band": survivor.age_band,
        "sex": survivor.sex,
    }


def _contact(case: Case, needs: str) -> dict[str, Any]:
    survivor = case.survivor
    return {
        "phone": survivor.phone,
        "address": survivor.address,
        "safe_contact": survivor.safe_contact,
        "no_contact_by_phone": case.no_contact_by_phone,
    }


def _incidents(case: Case, needs: str) -> dict[str, Any]:
    return {
        "incidents": [
            {
                "occurred_on": incident.occurred_on.isoformat(),
                "violence_types": list(incident.violence_types),
                "gbvims_class": incident.gbvims_class,
                "relationship": incident.relationship,
                "children_present": incident.children_present,
                "injuries": incident.injuries,
                "reported_to_police": incident.reported_to_police,
                "forensic_exam_needed": incident.forensic_exam_needed,
                "forensic_exam_done": incident.forensic_exam_done,
            }
            for incident in case.incidents.order_by("-occurred_on")
        ]
    }


def _risk(case: Case, needs: str) -> dict[str, Any]:
    latest = case.risk_assessments.order_by("-created_at").first()
    return {
        "band": case.risk_band or None,
        "assessed_on": latest.created_at.date().isoformat() if latest else None,
    }


def _children(case: Case, needs: str) -> dict[str, Any]:
    return {
        "children": [
            {"first_name": child.first_name, "birth_year": child.birth_year}
            for child in case.children.order_by("birth_year", "created_at")
        ]
    }


def _orders(case: Case, needs: str) -> dict[str, Any]:
    orders = ProtectionOrder.objects.filter(case=case).select_related("order_type")
    return {
        "orders": [
            {
                "type": order.order_type.code,
                "type_name": order.order_type.name_en,
                "number": order.number,
                "issued_on": order.issued_on.isoformat(),
                "expires_on": order.expires_on.isoformat(),
                "status": order.status,
            }
            for order in orders.order_by("-issued_on")
        ]
    }


def _needs(case: Case, needs: str) -> dict[str, Any]:
    return {"text": needs.strip()}


BUILDERS: dict[str, Callable[[Case, str], dict[str, Any]]] = {
    ConsentPart.IDENTITY: _identity,
    ConsentPart.CONTACT: _contact,
    ConsentPart.INCIDENT_SUMMARY: _incidents,
    ConsentPart.RISK_BAND: _risk,
    ConsentPart.CHILDREN: _children,
    ConsentPart.PROTECTION_ORDERS: _orders,
    ConsentPart.PRACTICAL_NEEDS: _needs,
}


def snapshot_build(*, case: Case, parts: list[str], practical_needs: str = "") -> dict[str, Any]:
    """What the referral will show, frozen now: the chosen parts and nothing else."""
    return {
        part: BUILDERS[part](case, practical_needs) for part in ConsentPart.values if part in parts
    }


def shared_parts(snapshot: dict[str, Any] | None, allowed: list[str]) -> dict[str, Any]:
    """The snapshot cut to the parts allowed now (shared and still covered), in fixed order."""
    if not snapshot:
        return {}
    return {
        part: snapshot[part] for part in ConsentPart.values if part in allowed and part in snapshot
    }


# --- rendering, for pages and letters alike --------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    part: str
    title: str
    rows: list[Row]


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or "—"))


def _yes(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def _date(value: str | None) -> str:
    if not value:
        return "—"
    year, month, day = value.split("-")
    return f"{day}.{month}.{year}"


def _identity_rows(data: dict[str, Any]) -> list[Row]:
    return [
        Row(str(_("Full name")), data.get("full_name") or "—"),
        Row(str(_("Birth date")), _date(data.get("birth_date"))),
        Row(str(_("IIN")), data.get("iin") or "—"),
        Row(str(_("Age band")), _label(AgeBand.choices, data.get("age_band"))),
        Row(str(_("Sex")), _label(Sex.choices, data.get("sex"))),
    ]


def _contact_rows(data: dict[str, Any]) -> list[Row]:
    rows = [
        Row(str(_("Phone")), data.get("phone") or "—"),
        Row(str(_("Address")), data.get("address") or "—"),
        Row(str(_("How to contact her safely")), data.get("safe_contact") or "—"),
    ]
    if data.get("no_contact_by_phone"):
        rows.append(Row(str(_("Warning")), str(_("Do not call her phone."))))
    return rows


def _incident_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    for incident in data.get("incidents", []):
        types = ", ".join(_label(ViolenceType.choices, t) for t in incident["violence_types"])
        details = [
            types,
            _label(GBVIMSClass.choices, incident["gbvims_class"]),
            _label(Relationship.choices, incident["relationship"]),
            f"{_('injuries')}: {_yes(incident['injuries'])}",
            f"{_('children were present')}: {_yes(incident['children_present'])}",
            f"{_('reported to the police')}: {_yes(incident['reported_to_police'])}",
            f"{_('forensic examination needed')}: {_yes(incident['forensic_exam_needed'])}",
        ]
        rows.append(Row(_date(incident["occurred_on"]), "; ".join(details)))
    return rows or [Row(str(_("Incidents")), "—")]


def _risk_rows(data: dict[str, Any]) -> list[Row]:
    return [
        Row(str(_("Risk band")), _label(RiskBand.choices, data.get("band"))),
        Row(str(_("Assessed on")), _date(data.get("assessed_on"))),
    ]


def _children_rows(data: dict[str, Any]) -> list[Row]:
    rows = [
        Row(child["first_name"], str(child["birth_year"] or "—"))
        for child in data.get("children", [])
    ]
    return rows or [Row(str(_("Children")), "—")]


def _order_rows(data: dict[str, Any]) -> list[Row]:
    statuses = dict(ProtectionOrder.Status.choices)
    rows = [
        Row(
            f"{order['type_name']} № {order['number']}",
            f"{_date(order['issued_on'])}–{_date(order['expires_on'])}, "
            f"{statuses.get(order['status'], order['status'])}",
        )
        for order in data.get("orders", [])
    ]
    return rows or [Row(str(_("Protection orders")), "—")]


def _needs_rows(data: dict[str, Any]) -> list[Row]:
    return [Row(str(_("Practical needs")), data.get("text") or "—")]


_RENDERERS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    ConsentPart.IDENTITY: _identity_rows,
    ConsentPart.CONTACT: _contact_rows,
    ConsentPart.INCIDENT_SUMMARY: _incident_rows,
    ConsentPart.RISK_BAND: _risk_rows,
    ConsentPart.CHILDREN: _children_rows,
    ConsentPart.PROTECTION_ORDERS: _order_rows,
    ConsentPart.PRACTICAL_NEEDS: _needs_rows,
}


def shared_rows(parts: dict[str, Any]) -> list[Section]:
    """Sections for a page or a letter, in the active language, from allowed parts only."""
    titles = dict(ConsentPart.choices)
    return [
        Section(part, str(titles[part]), _RENDERERS[part](data)) for part, data in parts.items()
    ]
