"""FHIR mapping of treatment plans and appointments.

- ``CarePlan/<plan id>``: each plan version (a new version ``replaces`` the one it supersedes), with one activity
  per planned session: a reference to its Appointment once booked, otherwise the session's date and dose.
- ``Appointment/<appointment id>``: each booking, with the patient, the clinic's Location and the monitoring
  nurse as participants, and the plan it belongs to as supporting information.
"""

from django.db.models import Q
from django.http import Http404

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import KETACLINIC_URN, instant, make, ref
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.plans import access
from ketaclinic.plans.models import Appointment, PlannedSession, TreatmentPlan

_PLAN_STATUS = {"draft": "draft", "signed": "active", "superseded": "revoked", "completed": "completed",
                "cancelled": "revoked"}
_APPOINTMENT_STATUS = {
    "booked": "booked", "checked_in": "checked-in", "dosing": "arrived", "observation": "arrived",
    "ready_for_discharge": "arrived", "discharged": "fulfilled", "cancelled": "cancelled", "no_show": "noshow",
}


def _plan_description(plan: TreatmentPlan) -> str:
    if plan.dose_mg_per_kg is not None:
        dose = f"{plan.dose_mg_per_kg} mg/kg" + (f", {plan.infusions} infusions" if plan.infusions else "")
    elif plan.dose_mg is not None:
        dose = f"{plan.dose_mg} mg" + (f" ({plan.indication})" if plan.indication else "")
    else:
        dose = ""
    therapy = "with ketamine-assisted psychotherapy" if plan.with_psychotherapy else ""
    return ", ".join(part for part in (plan.get_route_display(), dose, therapy) if part)


def _session_dose(session: PlannedSession) -> str:
    if session.dose_mg_per_kg is not None:
        return f"{session.dose_mg_per_kg} mg/kg"
    return f"{session.dose_mg} mg" if session.dose_mg is not None else ""


def _activity(plan: TreatmentPlan, session: PlannedSession, appointment: Appointment | None) -> dict:
    if appointment is not None:
        return {"reference": ref("Appointment", appointment.pk)}
    closed = plan.status in ("superseded", "cancelled")
    description = " ".join(part for part in (f"{session.get_kind_display()} {session.sequence}", _session_dose(session)) if part)
    return {"detail": {"kind": "Appointment", "status": "cancelled" if closed else "not-started",
                       "scheduledString": session.planned_on.isoformat(), "description": description}}


def care_plan(plan: TreatmentPlan, sessions: list[PlannedSession], booked: dict[int, Appointment], staff: StaffRefs):
    author = plan.signed_by if plan.signed_by_id else plan.created_by
    return make(
        "CarePlan", id=str(plan.pk), status=_PLAN_STATUS[plan.status], intent="plan",
        title=f"{plan.get_route_display()} plan, version {plan.version}", description=_plan_description(plan),
        subject=ref("Patient", plan.patient_id), period={"start": plan.start_on.isoformat()},
        created=instant(plan.signed_at or plan.created_at), author=staff.ref(author, plan.clinic_id),
        replaces=[ref("CarePlan", plan.supersedes_id)] if plan.supersedes_id else [],
        instantiatesUri=[f"{KETACLINIC_URN}:protocol:{plan.protocol.family}:v{plan.protocol.version}"],
        activity=[_activity(plan, s, booked.get(s.pk)) for s in sessions],
        note=[{"text": plan.notes}] if plan.notes else [],
    )


def appointment(a: Appointment, staff: StaffRefs):
    participants = [
        {"actor": ref("Patient", a.patient_id), "required": "required", "status": "accepted"},
        {"actor": ref("Location", a.clinic_id), "required": "required", "status": "accepted"},
    ]
    nurse = staff.ref(a.nurse, a.clinic_id)
    if nurse:
        participants.append({"actor": nurse, "type": [{"text": "Monitoring nurse"}], "status": "accepted"})
    return make(
        "Appointment", id=str(a.pk), status=_APPOINTMENT_STATUS[a.status],
        cancelationReason={"text": a.cancel_reason} if a.cancel_reason else None,
        serviceType=[{"text": a.get_route_display()}], appointmentType={"text": a.get_kind_display()},
        description=f"{a.get_kind_display()}: {a.get_route_display()} ({a.chair.name})",
        start=instant(a.starts_at), end=instant(a.ends_at),
        minutesDuration=int((a.ends_at - a.starts_at).total_seconds() // 60), created=instant(a.created_at),
        supportingInformation=[ref("CarePlan", a.plan_id)] if a.plan_id else [], participant=participants,
    )


def _booked_by_session(appointments) -> dict[int, Appointment]:
    """The appointment standing for each planned session: an active one if any, else the latest."""
    booked: dict[int, Appointment] = {}
    for a in sorted(appointments, key=lambda a: (a.is_active, a.created_at, a.pk)):
        if a.planned_session_id:
            booked[a.planned_session_id] = a
    return booked


def _plans_with_sessions(plans, appointments, staff):
    plans = list(plans)
    sessions: dict[int, list[PlannedSession]] = {}
    for s in PlannedSession.objects.filter(plan__in=[p.pk for p in plans]).order_by("plan_id", "sequence"):
        sessions.setdefault(s.plan_id, []).append(s)
    booked = _booked_by_session(appointments)
    for plan in plans:
        yield care_plan(plan, sessions.get(plan.pk, []), booked, staff)


def patient_resources(patients):
    ids = [p.pk for p in patients]
    staff = StaffRefs.for_patients(patients)
    appointments = list(Appointment.objects.filter(patient_id__in=ids).select_related("chair", "nurse").order_by("pk"))
    plans = TreatmentPlan.objects.filter(patient_id__in=ids).select_related("protocol", "signed_by", "created_by").order_by("pk")
    yield from _plans_with_sessions(plans, appointments, staff)
    for a in appointments:
        yield appointment(a, staff)


def _read_plan(user, local_id):
    plan = access.get_plan_for_user(user, local_id)
    appointments = Appointment.objects.filter(Q(plan=plan) | Q(planned_session__plan=plan)).select_related("chair", "nurse")
    found = list(_plans_with_sessions([plan], appointments, StaffRefs([plan.clinic_id])))
    if not found:
        raise Http404("No such plan.")
    return found[0]


def _read_appointment(user, local_id):
    a = access.get_appointment_for_user(user, local_id)
    return appointment(a, StaffRefs([a.clinic_id]))


def register() -> None:
    registry.register_patient_resources(patient_resources)
    registry.register_reader("CarePlan", "", _read_plan)
    registry.register_reader("Appointment", "", _read_appointment)
