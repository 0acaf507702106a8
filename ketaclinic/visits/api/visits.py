"""Visits: check in, read, cancel; the checklist, the order, holds; the dose and its steps."""

from django.http import Http404
from ninja import Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.visits import integrations
from ketaclinic.visits.access import get_visit_for_user, visits_visible_to
from ketaclinic.visits.api import schemas as s
from ketaclinic.visits.api.base import router
from ketaclinic.visits.models import DoseAdministration, DoseOrder, Visit
from ketaclinic.visits.services import checkin, discharge, dosing
from ketaclinic.visits.services.vitals import vitals_next_due

RECORD = Perm.CLINICAL_RECORD


def detail(visit: Visit) -> dict:
    readiness = discharge.current_readiness(visit)
    last = visit.readings.order_by("-measured_at").values_list("measured_at", flat=True).first()
    lines = checkin.checklist(visit) if visit.status == Visit.Status.CHECKED_IN else []
    return {
        **{f: getattr(visit, f) for f in s.VisitOut.model_fields},
        "checklist": [{"item": ln.item, "label": ln.label, "required": ln.required, "done": ln.done, "detail": ln.detail,
                       "recorded_by": str(ln.entry.recorded_by) if ln.entry else None,
                       "recorded_at": ln.entry.recorded_at if ln.entry else None} for ln in lines],
        "dosing_blockers": checkin.dosing_blockers(visit) if visit.status == Visit.Status.CHECKED_IN else [],
        "holds": list(visit.holds.all()), "order": DoseOrder.objects.filter(visit=visit).first(),
        "doses": list(visit.doses.prefetch_related("device_log")),
        "readiness": {"ready": readiness.ready, "unmet": list(readiness.unmet),
                      "observation_ends_at": readiness.observation_ends_at} if readiness else None,
        "vitals_next_due_at": vitals_next_due(visit, last),
    }


@router.get("", response={200: list[s.VisitOut], **ERRORS}, summary="Visits you may see")
@paginate(Pagination)
def list_visits(request, clinic_id: int | None = None, status: str | None = None, patient_id: int | None = None):
    personal_only(request)
    visits = visits_visible_to(request.user).order_by("-checked_in_at", "-id")
    for name, value in (("clinic_id", clinic_id), ("status", status), ("patient_id", patient_id)):
        if value is not None:
            visits = visits.filter(**{name: value})
    return visits


@router.post("", response={201: s.VisitDetailOut, **WRITE_ERRORS}, summary="Check a patient in")
def create_visit(request, payload: s.VisitIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, RECORD)
    appointment = _appointment(payload.appointment_id, patient)
    visit = checkin.check_in(patient, route=payload.route, appointment=appointment, chair=payload.chair,
                             acting_user=request.user)
    return Status(201, detail(visit))


def _appointment(appointment_id, patient):
    if appointment_id is None:
        return None
    model = integrations.appointment_model()
    appointment = model.objects.filter(pk=appointment_id, clinic_id=patient.clinic_id).first() if model else None
    if appointment is None:
        raise Http404("No such appointment.")
    return appointment


@router.get("/{int:visit_id}", response={200: s.VisitDetailOut, **ERRORS}, summary="A visit with its checklist, dose and readiness")
def read_visit(request, visit_id: int):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id)
    if not request.user.is_patient:
        from ketaclinic.patients.services import record_chart_opened

        record_chart_opened(visit.patient, acting_user=request.user, via=f"visit #{visit.pk} through the API")
    return detail(visit)


@router.post("/{int:visit_id}/cancel", response={200: s.VisitOut, **WRITE_ERRORS})
def cancel_visit(request, visit_id: int, payload: s.ReasonIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return checkin.cancel_visit(visit, reason=payload.reason, acting_user=request.user)


@router.post("/{int:visit_id}/checklist/{item}", response={200: s.ChecklistItemOut, **WRITE_ERRORS},
             summary="Record a checklist item", description=(
                 "Items: identity, consent_plan, fasting (send confirmed=true); ride (ride_name, ride_phone); pregnancy "
                 "(pregnancy_status, note); medications (six yes/no answers, details); pre_session_scale (note if not in "
                 "the portal); weight (weight_kg). Pre-dose vitals and REMS are decided by the record."))
def record_check(request, visit_id: int, item: str, payload: s.ChecklistIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return checkin.record_check(visit, item, data=payload.dict(exclude_none=True), acting_user=request.user)


@router.post("/{int:visit_id}/order", response={200: s.OrderOut, **WRITE_ERRORS}, summary="A physician's order for today")
def enter_order(request, visit_id: int, payload: s.OrderIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, Perm.CLINICAL_SIGN)
    return checkin.enter_order(visit, data=payload.dict(), acting_user=request.user)


@router.post("/{int:visit_id}/holds/{int:hold_id}/override", response={200: s.HoldOut, **WRITE_ERRORS})
def override_hold(request, visit_id: int, hold_id: int, payload: s.ReasonIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, Perm.CLINICAL_SIGN)
    hold = visit.holds.filter(pk=hold_id).first()
    if hold is None:
        raise Http404("No such hold.")
    return checkin.override_hold(hold, reason=payload.reason, acting_user=request.user)


# --- doses -----------------------------------------------------------------------------------------------------------
def _dose(request, dose_id: int, perm: str = RECORD) -> DoseAdministration:
    dose = DoseAdministration.objects.filter(pk=dose_id).select_related("visit").first()
    if dose is None:
        raise Http404("No such dose.")
    get_visit_for_user(request.user, dose.visit_id, perm)
    return dose


def _fresh(dose) -> DoseAdministration:
    return DoseAdministration.objects.prefetch_related("device_log").get(pk=dose.pk)


@router.post("/{int:visit_id}/doses", response={201: s.DoseOut, **WRITE_ERRORS}, summary="Calculate (IV) or prepare (esketamine) the dose")
def prepare_dose(request, visit_id: int, payload: s.DoseIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    if visit.route == "iv-ketamine":
        dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=payload.concentration_mg_per_ml,
                                      diluent_ml=payload.diluent_ml, lot_number=payload.lot_number, acting_user=request.user)
    else:
        dose = dosing.prepare_esketamine_dose(visit, lot_number=payload.lot_number, acting_user=request.user)
    return Status(201, _fresh(dose))


@router.get("/doses/{int:dose_id}", response={200: s.DoseOut, **ERRORS}, summary="A dose record (the ledger links to it)")
def read_dose(request, dose_id: int):
    personal_only(request)
    return _fresh(_dose(request, dose_id, Perm.CLINICAL_VIEW))


@router.post("/doses/{int:dose_id}/second-check", response={200: s.DoseOut, **WRITE_ERRORS},
             summary="The second nurse confirms the calculation", description=(
                 "Called with the second nurse's own token: they send the dose and pump rate they worked out themselves."))
def second_check(request, dose_id: int, payload: s.SecondCheckIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    dosing.confirm_second_check(dose, checker=request.user, dose_mg=payload.dose_mg, rate_ml_per_h=payload.rate_ml_per_h)
    return _fresh(dose)


@router.post("/doses/{int:dose_id}/start", response={200: s.DoseOut, **WRITE_ERRORS}, summary="Start the infusion")
def start_infusion(request, dose_id: int, payload: s.AtIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    dosing.start_infusion(dose, acting_user=request.user, at=payload.at)
    return _fresh(dose)


@router.post("/doses/{int:dose_id}/changes", response={200: s.EventOut, **WRITE_ERRORS}, summary="Pause, resume, re-rate or stop")
def change_infusion(request, dose_id: int, payload: s.InfusionChangeIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    return dosing.change_infusion(dose, payload.kind, acting_user=request.user, at=payload.at, note=payload.note,
                                  new_rate_ml_per_h=payload.new_rate_ml_per_h)


@router.post("/doses/{int:dose_id}/complete", response={200: s.DoseOut, **WRITE_ERRORS}, summary="End the infusion")
def complete_infusion(request, dose_id: int, payload: s.AtIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    dosing.complete_infusion(dose, acting_user=request.user, at=payload.at)
    return _fresh(dose)


@router.post("/doses/{int:dose_id}/devices", response={201: s.DoseOut, **WRITE_ERRORS},
             summary="An esketamine device given", description="Refused (422) less than 5 minutes after the previous device.")
def give_device(request, dose_id: int, payload: s.AtIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    dosing.record_device(dose, acting_user=request.user, at=payload.at)
    return Status(201, _fresh(dose))


@router.post("/doses/{int:dose_id}/void", response={200: s.DoseOut, **WRITE_ERRORS}, summary="Void a dose not yet given")
def void_dose(request, dose_id: int, payload: s.ReasonIn):
    personal_only(request)
    dose = _dose(request, dose_id)
    dosing.void_dose(dose, reason=payload.reason, acting_user=request.user)
    return _fresh(dose)

