"""/api/v1/plans/: protocols, chairs, treatment plans, series booking, appointments, the floor board.

Same access rules and the same services as the pages; errors are the API's one shape.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Router, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.plans import courses, floor, services
from ketaclinic.plans.access import get_appointment_for_user, get_plan_for_user, get_protocol_for_user
from ketaclinic.plans.models import Appointment, Chair, Protocol, TreatmentPlan
from ketaclinic.plans.scheduling import Availability
from ketaclinic.plans.schemas import (
    AppointmentOut,
    AvailabilityIn,
    BookingIn,
    BoosterIn,
    CancelIn,
    ChairOut,
    FloorOut,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    PlanRevisionIn,
    ProposalOut,
    ProtocolIn,
    ProtocolOut,
    ProtocolRevisionIn,
    RescheduleIn,
    SessionOut,
    StatusIn,
    AppointmentIn,
)

router = Router(tags=["plans"])


# --- protocols and chairs -------------------------------------------------------------------------------
@router.get("/protocols", response={200: list[ProtocolOut], **ERRORS}, summary="A clinic's protocols, every version")
@paginate(Pagination)
def list_protocols(request, clinic_id: int):
    personal_only(request)
    access.get_clinic_for_user(request.user, clinic_id, Perm.SCHEDULE_BOOK)
    return Protocol.objects.filter(clinic_id=clinic_id).order_by("family", "-version")


@router.post("/protocols", response={201: ProtocolOut, **WRITE_ERRORS}, summary="Approve a new protocol (version 1)")
def create_protocol(request, payload: ProtocolIn):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, payload.clinic_id, Perm.PROTOCOL_EDIT)
    data = payload.dict(exclude={"clinic_id"})
    return Status(201, services.create_protocol(clinic=clinic, data=data, acting_user=request.user))


@router.post("/protocols/{int:protocol_id}/revisions", response={201: ProtocolOut, **WRITE_ERRORS},
             summary="Approve a new version of a protocol")
def revise_protocol(request, protocol_id: int, payload: ProtocolRevisionIn):
    personal_only(request)
    protocol = get_protocol_for_user(request.user, protocol_id, Perm.PROTOCOL_EDIT)
    return Status(201, services.revise_protocol(protocol, data=payload.dict(exclude_unset=True), acting_user=request.user))


@router.get("/chairs", response={200: list[ChairOut], **ERRORS}, summary="A clinic's chairs and rooms")
@paginate(Pagination)
def list_chairs(request, clinic_id: int):
    personal_only(request)
    access.get_clinic_for_user(request.user, clinic_id, Perm.SCHEDULE_BOOK)
    return Chair.objects.filter(clinic_id=clinic_id)


# --- plans ----------------------------------------------------------------------------------------------
def _protocol_for(request, protocol_id: int, clinic_id: int) -> Protocol:
    protocol = Protocol.objects.filter(pk=protocol_id, clinic_id=clinic_id).first()
    if protocol is None:
        raise ValidationError({"protocol_id": "No such protocol at the patient's clinic."})
    return protocol


def _detail(plan: TreatmentPlan) -> dict:
    offer = courses.booster_offer(plan) if plan.status == TreatmentPlan.Status.SIGNED else None
    data = PlanOut.from_orm(plan).dict()
    data["sessions"] = [SessionOut.from_orm(s).dict() for s in plan.sessions.order_by("planned_on", "sequence")]
    data["booster_offer"] = str(offer) if offer else None
    return data


@router.get("/patients/{int:patient_id}/plans", response={200: list[PlanOut], **ERRORS}, summary="A patient's plans")
@paginate(Pagination)
def list_plans(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW)
    return TreatmentPlan.objects.filter(patient=patient).order_by("-created_at", "-id")


@router.post("", response={201: PlanDetailOut, **WRITE_ERRORS}, summary="Draft a treatment plan")
def create_plan(request, payload: PlanIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, Perm.CLINICAL_SIGN)
    data = payload.dict(exclude={"patient_id", "protocol_id"}, exclude_none=True)
    data["protocol"] = _protocol_for(request, payload.protocol_id, patient.clinic_id)
    return Status(201, _detail(services.create_plan(patient=patient, data=data, acting_user=request.user)))


@router.get("/{int:plan_id}", response={200: PlanDetailOut, **ERRORS}, summary="A plan with its sessions")
def read_plan(request, plan_id: int):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id)
    audit.record(audit.Action.VIEW, actor=request.user, object_type="treatment_plan", object_id=plan.pk,
                 clinic=plan.clinic_id, patient=plan.patient_id, summary="Opened treatment plan through the API")
    return _detail(plan)


@router.post("/{int:plan_id}/sign", response={200: PlanDetailOut, **WRITE_ERRORS}, summary="Sign a draft plan")
def sign_plan(request, plan_id: int):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    return _detail(services.sign_plan(plan, acting_user=request.user))


@router.post("/{int:plan_id}/revisions", response={201: PlanDetailOut, **WRITE_ERRORS},
             summary="Draft a new version of a signed plan")
def revise_plan(request, plan_id: int, payload: PlanRevisionIn):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    data = payload.dict(exclude_unset=True, exclude={"change_reason", "protocol_id"})
    if payload.protocol_id is not None:
        data["protocol"] = _protocol_for(request, payload.protocol_id, plan.clinic_id)
    new = services.revise_plan(plan, data=data, change_reason=payload.change_reason, acting_user=request.user)
    return Status(201, _detail(new))


@router.post("/{int:plan_id}/boosters", response={201: SessionOut, **WRITE_ERRORS}, summary="Add a booster dose")
def add_booster(request, plan_id: int, payload: BoosterIn):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    return Status(201, services.add_booster(plan, on=payload.on, acting_user=request.user))


# --- booking --------------------------------------------------------------------------------------------
@router.post("/{int:plan_id}/proposals", response={200: list[ProposalOut], **WRITE_ERRORS},
             summary="Propose a time for every unbooked session (books nothing)")
def propose(request, plan_id: int, payload: AvailabilityIn):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id, Perm.SCHEDULE_BOOK)
    if not payload.weekdays or any(d not in range(7) for d in payload.weekdays) or payload.earliest >= payload.latest:
        raise ValidationError({"weekdays": "Weekdays 0–6, at least one; earliest before latest."})
    availability = Availability(frozenset(payload.weekdays), payload.earliest, payload.latest)
    return [_proposal_out(p) for p in services.propose_series(plan, availability=availability)]


def _proposal_out(p) -> dict:
    place = p.place
    return {
        "session_id": p.session.pk, "sequence": p.session.sequence, "kind": p.session.kind,
        "starts_at": place.starts_at if place else None, "ends_at": place.ends_at if place else None,
        "chair_id": place.chair_id if place else None, "nurse_id": place.nurse_id if place else None,
        "reason": p.reason, "problems": [{"rule": x.rule, "message": x.message, "blocking": x.blocking} for x in p.problems],
    }


@router.post("/{int:plan_id}/bookings", response={201: list[AppointmentOut], **WRITE_ERRORS},
             summary="Book sessions of a plan, all or nothing")
def book(request, plan_id: int, payload: BookingIn):
    personal_only(request)
    plan = get_plan_for_user(request.user, plan_id, Perm.SCHEDULE_BOOK)
    items = [services.BookingItem(i.session_id, i.starts_at, i.chair_id) for i in payload.items]
    return Status(201, services.book_series(plan, items=items, acting_user=request.user))


@router.post("/appointments", response={201: AppointmentOut, **WRITE_ERRORS},
             summary="Book one consultation or psychotherapy visit")
def book_visit(request, payload: AppointmentIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, Perm.SCHEDULE_BOOK)
    data = payload.dict(exclude={"patient_id"})
    return Status(201, services.book_visit(patient=patient, acting_user=request.user, **data))


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS}, summary="Appointments of a clinic day")
@paginate(Pagination)
def list_appointments(request, clinic_id: int, day: dt.date):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.SCHEDULE_BOOK)
    start, end = floor.day_bounds(clinic, day)
    return Appointment.objects.filter(clinic=clinic, starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")


@router.get("/patients/{int:patient_id}/appointments", response={200: list[AppointmentOut], **ERRORS},
            summary="A patient's appointments (patients may read their own)")
@paginate(Pagination)
def patient_appointments(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_user(request.user, patient_id, Perm.PATIENT_VIEW)
    return Appointment.objects.filter(patient=patient).order_by("-starts_at", "-id")


@router.get("/appointments/{int:appointment_id}", response={200: AppointmentOut, **ERRORS})
def read_appointment(request, appointment_id: int):
    personal_only(request)
    return get_appointment_for_user(request.user, appointment_id)


@router.post("/appointments/{int:appointment_id}/status", response={200: AppointmentOut, **WRITE_ERRORS},
             summary="Move a visit to its next phase (checked_in, dosing, observation, …)")
def set_status(request, appointment_id: int, payload: StatusIn):
    personal_only(request)
    front_desk = payload.status in ("checked_in", "no_show", "cancelled")
    appointment = get_appointment_for_user(request.user, appointment_id, Perm.SCHEDULE_BOOK if front_desk else Perm.CLINICAL_RECORD)
    return services.set_appointment_status(appointment, payload.status, acting_user=request.user, reason=payload.reason)


@router.post("/appointments/{int:appointment_id}/reschedule", response={200: AppointmentOut, **WRITE_ERRORS},
             summary="Move a visit; the error names the series rule it would break")
def reschedule(request, appointment_id: int, payload: RescheduleIn):
    personal_only(request)
    appointment = get_appointment_for_user(request.user, appointment_id, Perm.SCHEDULE_BOOK)
    return services.reschedule_appointment(appointment, starts_at=payload.starts_at, chair_id=payload.chair_id,
                                           acting_user=request.user)


@router.post("/appointments/{int:appointment_id}/cancel", response={200: AppointmentOut, **WRITE_ERRORS})
def cancel(request, appointment_id: int, payload: CancelIn):
    personal_only(request)
    appointment = get_appointment_for_user(request.user, appointment_id, Perm.SCHEDULE_BOOK)
    return services.cancel_appointment(appointment, reason=payload.reason, acting_user=request.user)


@router.get("/floor", response={200: FloorOut, **ERRORS}, summary="The floor board: each chair's patient, phase and what is due")
def read_floor(request, clinic_id: int, day: dt.date | None = None):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.SCHEDULE_BOOK)
    board = floor.build_board(clinic, day)
    return {
        "clinic_id": clinic.pk, "day": board.day, "warnings": board.warnings,
        "chairs": [{"chair_id": r.chair.pk, "chair": r.chair.name, "current": r.current, "due": r.due,
                    "upcoming": r.upcoming} for r in board.rows],
    }
