from django.urls import path, re_path

from ketaclinic.intake.views import baseline, consent, portal, public, queue, review, staff

app_name = "intake"
KIND = r"(?P<kind>trial|medication|allergy)"
urlpatterns = [
    # Public: no account.
    path("self-screen/", public.self_screen, name="self_screen"),
    path("consultation/", public.consultation_request, name="consultation_request"),
    path("consultation/thanks/", public.consultation_thanks, name="consultation_thanks"),
    # Front desk.
    path("queue/", queue.queue, name="queue"),
    path("queue/<int:request_id>/", queue.request_detail, name="request_detail"),
    path("queue/<int:request_id>/contact/", queue.request_contact, name="request_contact"),
    path("queue/<int:request_id>/close/", queue.request_close, name="request_close"),
    path("queue/<int:request_id>/register/", queue.request_register, name="request_register"),
    # Staff: a patient's intake, the candidacy review, consent at the clinic.
    path("review/", review.review_list, name="review_list"),
    path("protocol/", review.protocol, name="protocol"),
    path("patients/<int:patient_id>/", staff.intake_detail, name="intake_detail"),
    path("patients/<int:patient_id>/start/", staff.intake_start, name="intake_start"),
    path("patients/<int:patient_id>/edit/", staff.intake_edit, name="intake_edit"),
    path("patients/<int:patient_id>/vitals/", staff.intake_vitals, name="intake_vitals"),
    re_path(rf"^patients/(?P<patient_id>\d+)/{KIND}/add/$", staff.item_add, name="item_add"),
    re_path(rf"^patients/(?P<patient_id>\d+)/{KIND}/(?P<item_id>\d+)/remove/$", staff.item_remove, name="item_remove"),
    path("patients/<int:patient_id>/submit/", staff.intake_submit, name="intake_submit"),
    path("patients/<int:patient_id>/baseline/<slug:slug>/", baseline.baseline_record, name="baseline_record"),
    path("patients/<int:patient_id>/candidacy/", review.candidacy_review, name="candidacy_review"),
    path("patients/<int:patient_id>/candidacy/re-evaluate/", review.candidacy_reevaluate, name="candidacy_reevaluate"),
    path("patients/<int:patient_id>/consent/<str:route>/", consent.staff_consent, name="staff_consent"),
    path("consents/<int:consent_id>/", consent.consent_view, name="consent_view"),
    path("consents/<int:consent_id>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    # Portal: the signed-in patient's own intake and consent.
    path("my/", portal.my_intake, name="my_intake"),
    path("my/edit/", portal.my_intake_edit, name="my_intake_edit"),
    re_path(rf"^my/{KIND}/add/$", portal.my_item_add, name="my_item_add"),
    re_path(rf"^my/{KIND}/(?P<item_id>\d+)/remove/$", portal.my_item_remove, name="my_item_remove"),
    path("my/submit/", portal.my_intake_submit, name="my_intake_submit"),
    path("my/baseline/<slug:slug>/", baseline.my_baseline, name="my_baseline"),
    path("my/consent/<str:route>/", portal.my_consent, name="my_consent"),
    path("my/consents/<int:consent_id>/withdraw/", portal.my_consent_withdraw, name="my_consent_withdraw"),
]
