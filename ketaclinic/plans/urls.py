from django.urls import path

from ketaclinic.plans.views import booking, floor, plans, setup

app_name = "plans"
urlpatterns = [
    path("floor/", floor.board, name="floor"),
    path("floor/appointments/<int:appointment_id>/phase/", floor.move_phase, name="phase"),
    path("patients/<int:patient_id>/", plans.patient_plans, name="patient"),
    path("patients/<int:patient_id>/new/", plans.plan_new, name="plan_new"),
    path("<int:plan_id>/", plans.plan_detail, name="plan"),
    path("<int:plan_id>/sign/", plans.plan_sign, name="plan_sign"),
    path("<int:plan_id>/discard/", plans.plan_discard, name="plan_discard"),
    path("<int:plan_id>/stop/", plans.plan_stop, name="plan_stop"),
    path("<int:plan_id>/revise/", plans.plan_revise, name="plan_revise"),
    path("<int:plan_id>/booster/", plans.plan_booster, name="plan_booster"),
    path("<int:plan_id>/book/", booking.book_series, name="book"),
    path("appointments/<int:appointment_id>/", booking.appointment_detail, name="appointment"),
    path("appointments/<int:appointment_id>/cancel/", booking.appointment_cancel, name="appointment_cancel"),
    path("protocols/", setup.protocol_list, name="protocols"),
    path("protocols/new/", setup.protocol_edit, name="protocol_new"),
    path("protocols/<int:protocol_id>/revise/", setup.protocol_edit, name="protocol_revise"),
    path("clinic/", setup.resources, name="resources"),
    path("clinic/chairs/", setup.chair_add, name="chair_add"),
    path("clinic/chairs/<int:chair_id>/toggle/", setup.chair_toggle, name="chair_toggle"),
    path("clinic/hours/", setup.hours_save, name="hours_save"),
    path("clinic/closed-days/", setup.closed_day_add, name="closed_day_add"),
    path("clinic/limits/", setup.scheduling_save, name="scheduling_save"),
    path("clinic/shifts/", setup.shift_add, name="shift_add"),
    path("clinic/shifts/<int:shift_id>/remove/", setup.shift_remove, name="shift_remove"),
]
