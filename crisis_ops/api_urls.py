from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from cases import api as cases_api
from cases import api_hotline
from crisis_ops.accounts import api as accounts_api
from crisis_ops.accounts import token_api
from crisis_ops.notifications import api as notifications_api
from crisis_ops.organisations import api as organisations_api
from crisis_ops.report_exports import api as exports_api
from crisis_ops.reports import api as reports_api
from crisis_ops.retention import api as retention_api
from protection_orders import api as orders_api
from referrals import api as referrals_api
from referrals import handover_views as referrals_handover
from shelters import api as shelters_api
from shelters import api_placements as placements_api

app_name = "api"

v1 = [
    path(
        "retention/policies/<uuid:organisation_id>",
        retention_api.PolicyDetail.as_view(),
        name="retention-policy",
    ),
    path("retention/held", retention_api.HeldList.as_view(), name="retention-held"),
    path("retention/holds", retention_api.LegalHoldListCreate.as_view(), name="retention-holds"),
    path(
        "retention/holds/<uuid:hold_id>/release",
        retention_api.LegalHoldRelease.as_view(),
        name="retention-hold-release",
    ),
    path(
        "retention/erasure-requests",
        retention_api.ErasureListCreate.as_view(),
        name="retention-erasure-list",
    ),
    path(
        "retention/erasure-requests/<uuid:request_id>/confirm",
        retention_api.ErasureConfirm.as_view(),
        name="retention-erasure-confirm",
    ),
    path(
        "retention/erasure-requests/<uuid:request_id>/cancel",
        retention_api.ErasureCancel.as_view(),
        name="retention-erasure-cancel",
    ),
    path(
        "report-exports/<uuid:export_id>",
        exports_api.ExportDetail.as_view(),
        name="report-export-detail",
    ),
    path(
        "reports/<uuid:run_id>/exports",
        exports_api.ReportExportCreate.as_view(),
        name="report-export-create",
    ),
    path(
        "reports/<uuid:run_id>/download",
        exports_api.ReportDownload.as_view(),
        name="report-download",
    ),
    path("me", accounts_api.me, name="me"),
    path("tokens", token_api.ApiTokenListCreate.as_view(), name="token-list"),
    path("tokens/<uuid:token_id>/revoke", token_api.ApiTokenRevoke.as_view(), name="token-revoke"),
    path(
        "organisation-tokens",
        token_api.OrganisationTokenList.as_view(),
        name="organisation-token-list",
    ),
    path("regions", organisations_api.RegionList.as_view(), name="region-list"),
    path("members", organisations_api.MemberListCreate.as_view(), name="member-list"),
    path("members/<uuid:pk>", organisations_api.MemberDetail.as_view(), name="member-detail"),
    path(
        "members/<uuid:pk>/password",
        organisations_api.MemberPasswordReset.as_view(),
        name="member-password",
    ),
    path("cases", cases_api.CaseList.as_view(), name="case-list"),
    path("cases/search", cases_api.CaseSearch.as_view(), name="case-search"),
    path("hotline-calls", api_hotline.HotlineCallList.as_view(), name="hotline-call-list"),
    path(
        "hotline-calls/<uuid:call_id>",
        api_hotline.HotlineCallDetail.as_view(),
        name="hotline-call-detail",
    ),
    path(
        "hotline-calls/<uuid:call_id>/link",
        api_hotline.HotlineCallLink.as_view(),
        name="hotline-call-link",
    ),
    path("cases/<uuid:case_id>", cases_api.CaseDetail.as_view(), name="case-detail"),
    path(
        "cases/<uuid:case_id>/incidents",
        cases_api.IncidentListCreate.as_view(),
        name="case-incident-list",
    ),
    path("cases/<uuid:case_id>/notes", cases_api.NoteListCreate.as_view(), name="case-note-list"),
    path(
        "cases/<uuid:case_id>/consents",
        cases_api.ConsentListCreate.as_view(),
        name="case-consent-list",
    ),
    path(
        "cases/<uuid:case_id>/consents/<uuid:consent_id>/revoke",
        cases_api.ConsentRevoke.as_view(),
        name="case-consent-revoke",
    ),
    path(
        "cases/<uuid:case_id>/risk-assessments",
        cases_api.RiskAssessmentListCreate.as_view(),
        name="case-risk-assessment-list",
    ),
    path(
        "cases/<uuid:case_id>/risk-assessments/<uuid:assessment_id>",
        cases_api.RiskAssessmentDetail.as_view(),
        name="case-risk-assessment-detail",
    ),
    path(
        "protection-orders",
        orders_api.OrderListCreate.as_view(),
        name="protection-order-list",
    ),
    path(
        "protection-orders/<uuid:order_id>",
        orders_api.OrderDetail.as_view(),
        name="protection-order-detail",
    ),
    path(
        "protection-orders/<uuid:order_id>/police-checks",
        orders_api.PoliceCheckListCreate.as_view(),
        name="protection-order-police-check-list",
    ),
    path(
        "protection-orders/<uuid:order_id>/violations",
        orders_api.ViolationListCreate.as_view(),
        name="protection-order-violation-list",
    ),
    path("reminders", notifications_api.ReminderList.as_view(), name="reminder-list"),
    path(
        "reminders/<uuid:reminder_id>/read",
        notifications_api.ReminderRead.as_view(),
        name="reminder-read",
    ),
    path("shelters", shelters_api.ShelterListCreate.as_view(), name="shelter-list"),
    path("shelters/<uuid:shelter_id>", shelters_api.ShelterDetail.as_view(), name="shelter-detail"),
    path(
        "shelters/<uuid:shelter_id>/beds",
        shelters_api.ShelterBeds.as_view(),
        name="shelter-bed-list",
    ),
    path(
        "shelters/<uuid:shelter_id>/beds/<uuid:bed_id>",
        shelters_api.BedDetail.as_view(),
        name="shelter-bed-detail",
    ),
    path("availability", shelters_api.Availability.as_view(), name="availability"),
    path("holds", placements_api.HoldListCreate.as_view(), name="hold-list"),
    path("holds/<uuid:hold_id>/confirm", placements_api.HoldConfirm.as_view(), name="hold-confirm"),
    path("holds/<uuid:hold_id>/release", placements_api.HoldRelease.as_view(), name="hold-release"),
    path("stays", placements_api.StayListCreate.as_view(), name="stay-list"),
    path("stays/<uuid:stay_id>", placements_api.StayDetail.as_view(), name="stay-detail"),
    path(
        "stays/<uuid:stay_id>/discharge",
        placements_api.StayDischarge.as_view(),
        name="stay-discharge",
    ),
    path("turn-aways", shelters_api.TurnAwayListCreate.as_view(), name="turn-away-list"),
    path("reports", reports_api.ReportRunListCreate.as_view(), name="report-list"),
    path("reports/<uuid:run_id>", reports_api.ReportRunDetail.as_view(), name="report-detail"),
    path("partners", referrals_api.PartnerListCreate.as_view(), name="partner-list"),
    path(
        "partners/<uuid:partner_id>",
        referrals_api.PartnerDetail.as_view(),
        name="partner-detail",
    ),
    path("referrals", referrals_api.ReferralListCreate.as_view(), name="referral-list"),
    path(
        "referrals/<uuid:referral_id>",
        referrals_api.ReferralDetail.as_view(),
        name="referral-detail",
    ),
    *[
        path(
            f"referrals/<uuid:referral_id>/{action}",
            view.as_view(),
            name=f"referral-{action}",
        )
        for action, view in (
            ("accept", referrals_api.ReferralAccept),
            ("decline", referrals_api.ReferralDecline),
            ("complete", referrals_api.ReferralComplete),
            ("cancel", referrals_api.ReferralCancel),
            ("request-transfer", referrals_api.ReferralRequestTransfer),
        )
    ],
    path(
        "referrals/<uuid:referral_id>/handed-over",
        referrals_handover.ReferralHandedOver.as_view(),
        name="referral-handed-over",
    ),
    path(
        "cases/<uuid:case_id>/referrals",
        referrals_api.CaseReferralList.as_view(),
        name="case-referral-list",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    # The schema describes the API, not any data in it; clients need it before signing in.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
]
