from django.urls import path

from ketaclinic.outcomes.views import patient_pages, portal, report, safety

app_name = "outcomes"
urlpatterns = [
    # Clinic-wide pages
    path("", report.report, name="report"),
    path("outcomes.csv", report.report_csv, name="report_csv"),
    path("booster-review/", report.booster_review, name="booster_review"),
    path("safety/", safety.safety_list, name="safety_list"),
    path("safety/<int:task_id>/", safety.safety_task, name="safety_task"),
    path("settings/crisis-text/", safety.safety_settings, name="safety_settings"),
    path("settings/schedule/", safety.schedule_settings, name="schedule_settings"),
    # One patient (staff)
    path("patients/<int:patient_id>/courses/new/", patient_pages.course_new, name="course_new"),
    path("patients/<int:patient_id>/scales/", patient_pages.record_choose, name="record_choose"),
    path("patients/<int:patient_id>/scales/<slug:slug>/", patient_pages.record, name="record"),
    path("patients/<int:patient_id>/assign/", patient_pages.assign, name="assign"),
    path("patients/<int:patient_id>/responses/", patient_pages.patient_responses, name="patient_responses"),
    path("patients/<int:patient_id>/trend/<slug:slug>.svg", patient_pages.trend_svg, name="trend_svg"),
    path("courses/<int:course_id>/", patient_pages.course_detail, name="course"),
    path("courses/<int:course_id>/induction/", patient_pages.course_complete_induction, name="course_induction"),
    path("courses/<int:course_id>/end/", patient_pages.course_end, name="course_end"),
    path("responses/<int:response_id>/", patient_pages.response_detail, name="response"),
    path("responses/<int:response_id>/amend/", patient_pages.response_amend, name="response_amend"),
    # The patient's own pages (portal)
    path("my/", portal.portal_list, name="portal_list"),
    path("my/questionnaires/<int:assignment_id>/", portal.portal_answer, name="portal_answer"),
    path("my/responses/<int:response_id>/", portal.portal_done, name="portal_done"),
    path("my/progress/", portal.portal_progress, name="portal_progress"),
    path("my/progress/<slug:slug>.svg", portal.portal_trend_svg, name="portal_trend_svg"),
]
