"""The case file over the API, one view per operation.

Access goes through the selectors (404 for a case the caller may not see or
change), writes through the services, and every response that shows a case's
content writes one ``case.viewed`` audit row. The case list shows none of the
narrative and is not audited per case.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors, services
from cases.models import Case, Consent, Incident, Note, RiskAssessment
from cases.serializers import (
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseListSerializer,
    CaseSearchSerializer,
    CaseUpdateSerializer,
    ConsentCreateSerializer,
    ConsentSerializer,
    IncidentCreateSerializer,
    IncidentSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    RiskAssessmentCreateSerializer,
    RiskAssessmentDetailSerializer,
    RiskAssessmentSerializer,
)
from crisis_ops.accounts.models import User
from crisis_ops.core.typing import api_user
from crisis_ops.encryption.fields import preload_data_keys
from crisis_ops.organisations.models import Organisation
from crisis_ops.organisations.roles import Role

_M = TypeVar("_M", bound=Model)


def acting_organisation_given(user: User, organisation_id: object) -> Organisation:
    """The center named in a request, if she does case work there; else a 400 naming it."""
    for center in selectors.acting_organisation_choices(user=user):
        if str(center.pk) == str(organisation_id):
            return center
    raise ValidationError({"organisation": [_("You do not work for this center as case staff.")]})


def _case(request: Request, case_id: uuid.UUID, *, for_change: bool = False) -> Case:
    return selectors.case_get_for_user(
        user=api_user(request), case_id=case_id, for_change=for_change
    )


def _case_read(request: Request, case_id: uuid.UUID) -> Case:
    case = _case(request, case_id)
    services.case_record_read(actor=api_user(request), case=case)
    return case


@extend_schema(parameters=[CaseFilterSerializer])
class CaseList(generics.ListAPIView[Case]):
    """Cases the caller may see, newest first; filter by status, risk or overdue consent.
    A search by IIN, phone or name is ``POST /api/v1/cases/search``, never a query string."""

    serializer_class = CaseListSerializer
    filters_class: type[CaseFilterSerializer] = CaseFilterSerializer

    def filters_data(self) -> Any:
        return self.request.query_params

    def get_queryset(self) -> QuerySet[Case]:
        filters = self.filters_class(data=self.filters_data())
        filters.is_valid(raise_exception=True)
        given = dict(filters.validated_data)
        if "organisation" in given:
            given["organisation_id"] = acting_organisation_given(
                api_user(self.request), given.pop("organisation")
            ).pk
        try:
            cases = selectors.case_list_for_user(user=api_user(self.request), **given)
        except ValueError as exc:
            raise ValidationError({"search": [str(exc)]}) from exc
        return cases.select_related("survivor__region")

    def paginate_queryset(self, queryset: QuerySet[Case, Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        # The page's survivors' data keys in one key-store query when they are not cached.
        preload_data_keys(case.survivor for case in page or ())
        return page


class CaseSearch(CaseList):
    """The case list searched by the survivor's IIN, phone or name words, given in the JSON
    body with the list's other filters (paged by ``limit``/``offset`` in the query)."""

    http_method_names = ["post", "options"]
    filters_class = CaseSearchSerializer

    def filters_data(self) -> Any:
        return self.request.data

    @extend_schema(request=CaseSearchSerializer, responses=CaseListSerializer(many=True))
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class CaseDetail(APIView):
    """One case with the survivor's identity; change its status, or (supervisors) its caseworker."""

    http_method_names = ["get", "patch", "options"]

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request: Request, case_id: uuid.UUID) -> Response:
        return Response(CaseDetailSerializer(_case_read(request, case_id)).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def patch(self, request: Request, case_id: uuid.UUID) -> Response:
        actor = api_user(request)
        case = _case(request, case_id, for_change=True)
        changes = CaseUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        data = changes.validated_data
        if "assigned_to" in data and Role.SUPERVISOR not in actor.active_roles():
            raise PermissionDenied(_("Only a supervisor reassigns a case."))
        # Both changes or neither: a refused assignee must not leave a new status behind.
        with transaction.atomic():
            if "status" in data:
                case = services.case_change_status(
                    actor=actor,
                    case=case,
                    status=data["status"],
                    closed_reason=data.get("closed_reason", ""),
                )
            if "assigned_to" in data:
                services.case_assign(actor=actor, case=case, assignee=data["assigned_to"])
            if "court_case_pending" in data:
                services.case_court_pending_set(
                    actor=actor, case=case, pending=data["court_case_pending"]
                )
        # The answer shows her identity again, so it is a read like any other.
        return Response(CaseDetailSerializer(_case_read(request, case_id)).data)


class _CaseChildren(generics.ListCreateAPIView[_M]):
    """A list under one case. Listing it reads the case; adding to it changes the case.

    Subclasses set ``queryset`` to an empty one only so the schema knows the
    model; rows always come from ``rows(case)``.
    """

    create_serializer_class: type[serializers.Serializer[Any]]

    def rows(self, case: Case) -> QuerySet[_M]:
        raise NotImplementedError

    def add(self, case: Case, data: dict[str, Any]) -> _M:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.rows(_case_read(request, kwargs["case_id"])))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = _case(request, kwargs["case_id"], for_change=True)
        given = self.create_serializer_class(data=request.data)
        given.is_valid(raise_exception=True)
        created = self.add(case, dict(given.validated_data))
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(request=IncidentCreateSerializer))
class IncidentListCreate(_CaseChildren[Incident]):
    """Incidents of a case, latest first; record another one."""

    queryset = Incident.objects.none()
    serializer_class = IncidentSerializer
    create_serializer_class = IncidentCreateSerializer

    def rows(self, case: Case) -> QuerySet[Incident]:
        return case.incidents.order_by("-occurred_on", "-created_at")

    def add(self, case: Case, data: dict[str, Any]) -> Incident:
        return services.incident_add(actor=api_user(self.request), case=case, **data)


@extend_schema_view(post=extend_schema(request=NoteCreateSerializer))
class NoteListCreate(_CaseChildren[Note]):
    """Notes on a case, latest first; write another one."""

    queryset = Note.objects.none()
    serializer_class = NoteSerializer
    create_serializer_class = NoteCreateSerializer

    def rows(self, case: Case) -> QuerySet[Note]:
        return case.notes.select_related("author").order_by("-created_at")

    def add(self, case: Case, data: dict[str, Any]) -> Note:
        return services.note_add(actor=api_user(self.request), case=case, **data)


@extend_schema_view(post=extend_schema(request=ConsentCreateSerializer))
class ConsentListCreate(_CaseChildren[Consent]):
    """Consents the survivor gave, revoked ones included; record a new one."""

    queryset = Consent.objects.none()
    serializer_class = ConsentSerializer
    create_serializer_class = ConsentCreateSerializer

    def rows(self, case: Case) -> QuerySet[Consent]:
        return case.consents.select_related("recorded_by").order_by("-granted_on", "-created_at")

    def add(self, case: Case, data: dict[str, Any]) -> Consent:
        return services.consent_grant(actor=api_user(self.request), case=case, **data)


class ConsentRevoke(APIView):
    """Revoke a consent; revoking one already revoked changes nothing."""

    @extend_schema(request=None, responses=ConsentSerializer)
    def post(self, request: Request, case_id: uuid.UUID, consent_id: uuid.UUID) -> Response:
        case = _case(request, case_id, for_change=True)
        consent = get_object_or_404(case.consents.all(), pk=consent_id)
        consent = services.consent_revoke(actor=api_user(request), consent=consent)
        return Response(ConsentSerializer(consent).data)


@extend_schema_view(
    post=extend_schema(
        request=RiskAssessmentCreateSerializer,
        responses={201: RiskAssessmentDetailSerializer},
    )
)
class RiskAssessmentListCreate(_CaseChildren[RiskAssessment]):
    """Risk assessments of a case, latest first (without answers); assess again."""

    queryset = RiskAssessment.objects.none()
    serializer_class = RiskAssessmentSerializer
    create_serializer_class = RiskAssessmentCreateSerializer

    def rows(self, case: Case) -> QuerySet[RiskAssessment]:
        return case.risk_assessments.select_related("instrument", "assessed_by").order_by(
            "-created_at"
        )

    def add(self, case: Case, data: dict[str, Any]) -> RiskAssessment:
        return services.risk_assessment_record(actor=api_user(self.request), case=case, **data)

    def get_serializer_class(self) -> type[RiskAssessmentSerializer]:
        if self.request.method == "POST":
            return RiskAssessmentDetailSerializer
        return RiskAssessmentSerializer


class RiskAssessmentDetail(APIView):
    """One risk assessment with its answers."""

    @extend_schema(responses=RiskAssessmentDetailSerializer)
    def get(self, request: Request, case_id: uuid.UUID, assessment_id: uuid.UUID) -> Response:
        case = _case(request, case_id)
        assessment = get_object_or_404(
            case.risk_assessments.select_related("instrument", "assessed_by"), pk=assessment_id
        )
        services.case_record_read(actor=api_user(request), case=case)
        return Response(RiskAssessmentDetailSerializer(assessment).data)
