"""The figures the cases app offers to reports; registered from ``CasesConfig.ready()``.

Every figure counts only cases whose consent covers anonymised statistics today
(granted, not revoked, not expired); the left-out cases are counted, never shown.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.fields import DateField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import Case, Consent, HotlineCall, Incident
from cases.models.choices import (
    AgeBand,
    ConsentScope,
    Disability,
    GBVIMSClass,
    Relationship,
    Sex,
    Source,
    ViolenceType,
)
from crisis_ops.reports.registry import (
    Dimension,
    Figure,
    MoreRows,
    Scope,
    register_figure,
    register_more_rows,
)


def statistics_consent(case_ref: Any = None) -> Exists:
    """True for a case whose consent covers statistics today; ``case_ref`` its pk."""
    today = timezone.localdate()
    return Exists(
        Consent.objects.filter(
            case_id=case_ref if case_ref is not None else OuterRef("pk"),  # type: ignore[misc]
            scope=ConsentScope.STATISTICS,
            revoked_at__isnull=True,
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def consented(case_path: str) -> Exists:
    """The consent test for rows reaching their case through ``case_path`` (e.g. "case")."""
    return statistics_consent(OuterRef(f"{case_path}_id" if case_path else "pk"))


def _cases(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(
        organisation_id__in=scope.organisation_ids,
        opened_on__gte=scope.start,
        opened_on__lte=scope.end,
    )


def _incidents(scope: Scope) -> QuerySet[Incident]:
    return Incident.objects.filter(
        case__organisation_id__in=scope.organisation_ids,
        occurred_on__gte=scope.start,
        occurred_on__lte=scope.end,
    )


def _repeat_incidents(scope: Scope) -> QuerySet[Incident]:
    """Incidents of a survivor who had another incident in the 12 months before."""
    year_before = ExpressionWrapper(
        OuterRef("occurred_on") - datetime.timedelta(days=365), output_field=DateField()
    )
    earlier = Incident.objects.filter(
        case__survivor_id=OuterRef("case__survivor_id"),
        occurred_on__lt=OuterRef("occurred_on"),
        occurred_on__gte=year_before,
    )
    return _incidents(scope).filter(consented("case")).filter(Exists(earlier))


def _survivor_dimensions(prefix: str) -> dict[str, Dimension]:
    return {
        "age_band": Dimension(
            "age_band", _("Age band"), f"{prefix}survivor__age_band", AgeBand.choices
        ),
        "sex": Dimension("sex", _("Sex"), f"{prefix}survivor__sex", Sex.choices),
        "disability": Dimension(
            "disability", _("Disability"), f"{prefix}survivor__disability", Disability.choices
        ),
        "source": Dimension("source", _("Source"), f"{prefix}source", Source.choices),
    }


_INCIDENT_DIMENSIONS = {
    "violence_type": Dimension(
        "violence_type", _("Type of violence (law)"), "violence_types", ViolenceType.choices, True
    ),
    "gbvims_class": Dimension(
        "gbvims_class", _("GBVIMS class"), "gbvims_class", GBVIMSClass.choices
    ),
    "relationship": Dimension(
        "relationship", _("Relationship"), "relationship", Relationship.choices
    ),
    **_survivor_dimensions("case__"),
}


def _left_out_cases(scope: Scope) -> int:
    return _cases(scope).exclude(statistics_consent()).count()


def _left_out_incident_cases(scope: Scope) -> int:
    # From the period's incidents (an index on day and case), not from every case.
    return _incidents(scope).exclude(consented("case")).values("case_id").distinct().count()


def _calls(scope: Scope) -> QuerySet[HotlineCall]:
    """Anonymous calls in scope not turned into a case: once she has a case, the case is
    what counts (and only if its own consent covers statistics)."""
    return HotlineCall.objects.filter(
        organisation_id__in=scope.organisation_ids,
        received_on__gte=scope.start,
        received_on__lte=scope.end,
        case__isnull=True,
    )


def _left_out_calls(scope: Scope) -> int:
    return _calls(scope).filter(statistics_consent=False).count()


# A call is an intake and an incident at once: the same paths serve both figures.
_CALL_PATHS = {
    "age_band": "age_band",
    "sex": "sex",
    "disability": "disability",
    "source": "source",
    "violence_type": "violence_types",
    "gbvims_class": "gbvims_class",
    "relationship": "relationship",
}


def _call_rows(keys: tuple[str, ...]) -> MoreRows:
    return MoreRows(
        rows=lambda scope: _calls(scope).filter(statistics_consent=True),
        date_path="received_on",
        organisation_path="organisation_id",
        region_path="organisation__region__code",
        paths={key: _CALL_PATHS[key] for key in keys},
        excluded=_left_out_calls,
    )


def register() -> None:
    register_figure(
        Figure(
            key="new_cases",
            label=_("New cases (intakes)"),
            rows=lambda scope: _cases(scope).filter(statistics_consent()),
            date_path="opened_on",
            organisation_path="organisation_id",
            region_path="organisation__region__code",
            dimensions=_survivor_dimensions(""),
            excluded=_left_out_cases,
            noun=lambda n: ngettext("%(count)s new case", "%(count)s new cases", n),
        )
    )
    register_figure(
        Figure(
            key="incidents",
            label=_("Incidents"),
            rows=lambda scope: _incidents(scope).filter(consented("case")),
            date_path="occurred_on",
            organisation_path="case__organisation_id",
            region_path="case__organisation__region__code",
            dimensions=_INCIDENT_DIMENSIONS,
            excluded=_left_out_incident_cases,
            noun=lambda n: ngettext("%(count)s incident", "%(count)s incidents", n),
        )
    )
    register_figure(
        Figure(
            key="repeat_survivors",
            label=_("Survivors with a repeat incident within 12 months"),
            rows=_repeat_incidents,
            date_path="occurred_on",
            organisation_path="case__organisation_id",
            region_path="case__organisation__region__code",
            dimensions=_survivor_dimensions("case__"),
            distinct_path="case__survivor_id",
            excluded=_left_out_incident_cases,
            noun=lambda n: ngettext(
                "%(count)s survivor with a repeat incident",
                "%(count)s survivors with a repeat incident",
                n,
            ),
        )
    )
    # Anonymous hotline calls are intakes and incidents too (DESIGN.md capability 1).
    register_more_rows("new_cases", _call_rows(tuple(_survivor_dimensions(""))))
    register_more_rows("incidents", _call_rows(tuple(_INCIDENT_DIMENSIONS)))
