"""Chair-side actions on one visit: checklist, order, holds, dose, vitals, alerts, events, discharge.

Each view: access helper, parse one small form, one service call (``run`` re-shows the page on error).
"""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.decorators.http import require_POST

from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.visits import forms
from ketaclinic.visits.access import get_visit_for_user
from ketaclinic.visits.forms import local_moment
from ketaclinic.visits.models import ChecklistItem, DoseAdministration, VitalAlert
from ketaclinic.visits.services import checkin, discharge, dosing, events, vitals
from ketaclinic.visits.views.common import run

RECORD = Perm.CLINICAL_RECORD


def _visit(request, visit_id, perm=RECORD):
    return get_visit_for_user(request.user, visit_id, perm)


def _dose(visit, dose_id) -> DoseAdministration:
    try:
        return visit.doses.get(pk=dose_id)
    except DoseAdministration.DoesNotExist:
        raise Http404("No such dose.") from None


@staff_required
@require_POST
def record_check(request, visit_id: int, item: str):
    visit = _visit(request, visit_id)
    if item not in forms.CHECK_FORMS:
        raise Http404("No such checklist item.")
    form = forms.CHECK_FORMS[item](request.POST, prefix=item)
    return run(request, visit, f"check_{item}", form,
               lambda d: checkin.record_check(visit, item, data=forms.check_data(form), acting_user=request.user),
               done=f"Checklist: {ChecklistItem.Item(item).label}.", anchor="checklist")


@staff_required
@require_POST
def enter_order(request, visit_id: int):
    visit = _visit(request, visit_id, Perm.CLINICAL_SIGN)
    form = forms.IvOrderForm(request.POST) if visit.route == "iv-ketamine" else forms.EsketamineOrderForm(request.POST)
    return run(request, visit, "order", form, lambda d: checkin.enter_order(visit, data=d, acting_user=request.user),
               done="Order entered.", anchor="order")


@staff_required
@require_POST
def override_hold(request, visit_id: int, hold_id: int):
    visit = _visit(request, visit_id, Perm.CLINICAL_SIGN)
    hold = visit.holds.filter(pk=hold_id).first() or _missing()
    return run(request, visit, "reason", forms.ReasonForm(request.POST),
               lambda d: checkin.override_hold(hold, reason=d["reason"], acting_user=request.user),
               done="Hold overridden by the physician.", anchor="checklist")


def _missing():
    raise Http404("No such record.")


@staff_required
@require_POST
def prepare_dose(request, visit_id: int):
    visit = _visit(request, visit_id)
    if visit.route == "iv-ketamine":
        form = forms.IvPrepareForm(request.POST)
        call = lambda d: dosing.prepare_iv_dose(  # noqa: E731
            visit, concentration_mg_per_ml=d["concentration_mg_per_ml"], diluent_ml=d["diluent_ml"],
            lot_number=d["lot_number"], acting_user=request.user)
    else:
        form = forms.EsketaminePrepareForm(request.POST)
        call = lambda d: dosing.prepare_esketamine_dose(visit, lot_number=d["lot_number"], acting_user=request.user)  # noqa: E731
    return run(request, visit, "prepare", form, call, done="Dose prepared.", anchor="dose")


@staff_required
@require_POST
def second_check(request, visit_id: int, dose_id: int):
    """The second nurse signs in on the same tablet with their own name and password, and their own numbers."""
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    form = forms.SecondCheckForm(request.POST)

    def call(d):
        checker = authenticate(request, username=d["username"], password=d["password"])
        if checker is None:
            raise ValidationError({"password": "That user name and password do not match a staff account."})
        dosing.confirm_second_check(dose, checker=checker, dose_mg=d["dose_mg"], rate_ml_per_h=d["rate_ml_per_h"])

    return run(request, visit, "second_check", form, call, done="Second check recorded.", anchor="dose")


@staff_required
@require_POST
def start_infusion(request, visit_id: int, dose_id: int):
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    return run(request, visit, "infusion", forms.AtForm(request.POST),
               lambda d: dosing.start_infusion(dose, acting_user=request.user, at=local_moment(visit.clinic, d["at"])),
               done="Infusion started.", anchor="dose")


@staff_required
@require_POST
def change_infusion(request, visit_id: int, dose_id: int):
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    return run(request, visit, "infusion", forms.InfusionChangeForm(request.POST),
               lambda d: dosing.change_infusion(dose, d["kind"], acting_user=request.user, at=local_moment(visit.clinic, d["at"]),
                                                note=d["note"], new_rate_ml_per_h=d["new_rate_ml_per_h"]),
               done="Infusion updated.", anchor="dose")


@staff_required
@require_POST
def end_infusion(request, visit_id: int, dose_id: int):
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    return run(request, visit, "infusion", forms.AtForm(request.POST),
               lambda d: dosing.complete_infusion(dose, acting_user=request.user, at=local_moment(visit.clinic, d["at"])),
               done="Infusion ended: observation has started.", anchor="dose")


@staff_required
@require_POST
def give_device(request, visit_id: int, dose_id: int):
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    return run(request, visit, "infusion", forms.AtForm(request.POST),
               lambda d: dosing.record_device(dose, acting_user=request.user, at=local_moment(visit.clinic, d["at"])),
               done="Device recorded.", anchor="dose")


@staff_required
@require_POST
def void_dose(request, visit_id: int, dose_id: int):
    visit = _visit(request, visit_id)
    dose = _dose(visit, dose_id)
    return run(request, visit, "reason", forms.ReasonForm(request.POST),
               lambda d: dosing.void_dose(dose, reason=d["reason"], acting_user=request.user), done="Dose voided.", anchor="dose")


@staff_required
@require_POST
def record_vitals(request, visit_id: int):
    visit = _visit(request, visit_id)
    form = forms.VitalsForm(request.POST)
    return run(request, visit, "vitals", form,
               lambda d: vitals.record_reading(visit, values=form.values(), idempotency_key=d["idempotency_key"],
                                               measured_at=local_moment(visit.clinic, d["measured_at"]), acting_user=request.user),
               done="Vital signs saved.", anchor="flowsheet")


@staff_required
@require_POST
def acknowledge(request, visit_id: int, alert_id: int):
    visit = _visit(request, visit_id, Perm.SAFETY_ACKNOWLEDGE)
    alert = VitalAlert.objects.filter(visit=visit, pk=alert_id).first() or _missing()
    return run(request, visit, "ack", forms.AcknowledgeForm(request.POST, prefix=f"ack{alert.pk}"),
               lambda d: vitals.acknowledge_alert(alert, action=d["action"], note=d["note"], acting_user=request.user),
               done="Alert acknowledged.", anchor="live")


@staff_required
@require_POST
def record_event(request, visit_id: int):
    visit = _visit(request, visit_id)
    return run(request, visit, "event", forms.EventForm(request.POST, prefix="event"),
               lambda d: events.record_event(visit, kind=d["kind"], acting_user=request.user, medication=d["medication"],
                                             medication_dose=d["medication_dose"], note=d["note"],
                                             occurred_at=local_moment(visit.clinic, d["at"])),
               done="Event recorded.", anchor="events")


@staff_required
@require_POST
def record_cadss(request, visit_id: int):
    visit = _visit(request, visit_id)
    return run(request, visit, "cadss", forms.CadssForm(request.POST, prefix="cadss"),
               lambda d: vitals.record_cadss(visit, total=d["total"], acting_user=request.user,
                                             measured_at=local_moment(visit.clinic, d["at"])),
               done="CADSS recorded.", anchor="events")


@staff_required
@require_POST
def assess(request, visit_id: int):
    visit = _visit(request, visit_id)
    form = forms.DischargeForm(request.POST, visit=visit)
    return run(request, visit, "discharge", form,
               lambda d: discharge.assess_discharge(visit, data={
                   **d, "ready_without_rule_at": local_moment(visit.clinic, d.get("ready_without_rule_at"))},
                   acting_user=request.user),
               done="Discharge assessment saved.", anchor="discharge")


@staff_required
@require_POST
def discharge_patient(request, visit_id: int):
    visit = _visit(request, visit_id)
    return run(request, visit, "discharge_button", forms.ReasonForm(request.POST),
               lambda d: discharge.discharge(visit, acting_user=request.user), done="Patient discharged to their ride.",
               anchor="discharge")

