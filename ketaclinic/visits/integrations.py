"""What the session day asks of its neighbours, in one place: plans (appointments, the signed plan),
intake (consent and candidacy) and outcomes (today's pre-session scales).

Each neighbour is imported when first needed, so this app keeps working while one is being changed; a
missing neighbour answers None ("unknown"), never "yes".
"""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

log = logging.getLogger(__name__)


def _import(module: str, name: str):
    try:
        mod = __import__(module, fromlist=[name])
    except ImportError:
        return None
    return getattr(mod, name, None)


# --- intake --------------------------------------------------------------------------------------------------
def approved_routes(patient) -> set[str] | None:
    """Routes with a current signed candidacy decision and signed consent, or None if intake cannot say."""
    fn = _import("ketaclinic.intake.services", "approved_routes")
    return None if fn is None else set(fn(patient))


# --- outcomes ------------------------------------------------------------------------------------------------
def scales_answered_on(patient, day: dt.date) -> list[str] | None:
    """Instruments the patient completed (final) on the clinic's local ``day``, or None if outcomes cannot say."""
    response = _import("ketaclinic.outcomes.models", "QuestionnaireResponse")
    if response is None:
        return None
    rows = response.objects.filter(patient=patient, taken_on=day, status="final").values_list("instrument", flat=True)
    return sorted(set(rows))


def courses_for(visit):
    """The outcomes courses a dosed visit belongs to (same patient and route, covering the day)."""
    course = _import("ketaclinic.outcomes.models", "TreatmentCourse")
    if course is None or visit.dosing_started_at is None:
        return []
    day = visit.dosing_started_at.astimezone(visit.clinic.tz).date()
    return list(
        course.objects.filter(patient_id=visit.patient_id, route=visit.route, started_on__lte=day)
        .exclude(ended_on__lt=day)
    )


def notify_dosing_changed(visit) -> None:
    fn = _import("ketaclinic.outcomes.services", "dosing_changed")
    if fn is None:
        return
    for course in courses_for(visit):
        fn(course)


# --- plans ---------------------------------------------------------------------------------------------------
def appointment_model():
    return _import("ketaclinic.plans.models", "Appointment")


def set_appointment_status(appointment, status: str, *, acting_user) -> None:
    fn = _import("ketaclinic.plans.services", "set_appointment_status")
    if fn is not None and appointment is not None and appointment.status != status:
        fn(appointment, status, acting_user=acting_user)


@dataclass(frozen=True)
class PlannedOrder:
    """The dose a signed plan calls for today."""

    reference: str
    dose_mg_per_kg: Decimal | None
    weight_basis: str
    weight_cap_kg: Decimal | None
    infusion_duration_min: int | None
    esketamine_dose_mg: int | None
    observation_min: int | None


def planned_order(appointment) -> PlannedOrder | None:
    """The order from the appointment's signed plan (the planned session's dose first), or None."""
    plan = getattr(appointment, "plan", None) if appointment is not None else None
    if plan is None or getattr(plan, "signed_at", None) is None or plan.status != "signed":
        return None
    session = getattr(appointment, "planned_session", None)
    protocol = plan.protocol
    return PlannedOrder(
        reference=f"plan #{plan.pk} v{plan.version}" + (f", session {session.sequence}" if session else ""),
        dose_mg_per_kg=(session and session.dose_mg_per_kg) or plan.dose_mg_per_kg,
        weight_basis=protocol.weight_basis,
        weight_cap_kg=protocol.weight_cap_kg,
        infusion_duration_min=protocol.infusion_min,
        esketamine_dose_mg=(session and session.dose_mg) or plan.dose_mg,
        observation_min=protocol.observation_min,
    )
