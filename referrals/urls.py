from django.urls import path

from referrals import directory_views, handover_views, letters, views

app_name = "referrals"

urlpatterns = [
    path("", views.incoming, name="incoming"),
    path("sent/", views.outgoing, name="outgoing"),
    path("incoming.csv", handover_views.referral_export, {"box": "incoming"}, name="export_in"),
    path("sent.csv", handover_views.referral_export, {"box": "outgoing"}, name="export_out"),
    path("cases/<uuid:case_id>/new/", views.referral_new, name="referral_new"),
    path("<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<uuid:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("<uuid:referral_id>/decline/", views.referral_decline, name="referral_decline"),
    path("<uuid:referral_id>/complete/", views.referral_complete, name="referral_complete"),
    path("<uuid:referral_id>/cancel/", views.referral_cancel, name="referral_cancel"),
    path("<uuid:referral_id>/request-transfer/", views.request_transfer, name="request_transfer"),
    path("<uuid:referral_id>/handed-over/", handover_views.handed_over, name="handed_over"),
    path("<uuid:referral_id>/letter/", letters.letter_page, name="letter"),
    path("<uuid:referral_id>/letter.pdf", letters.letter_pdf, name="letter_pdf"),
    path("partners/", directory_views.partner_list, name="partner_list"),
    path("partners/new/", directory_views.partner_new, name="partner_new"),
    path("partners/import/", directory_views.partner_import, name="partner_import"),
    path("partners/<uuid:partner_id>/", directory_views.partner_edit, name="partner_edit"),
]
