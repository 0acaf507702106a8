"""Treatment plans: drafted and signed by a physician, generating their planned sessions; a change to a
signed plan is a new version (the old one is kept, marked superseded), never an edit."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import dosing, protocols
from ketaclinic.plans import courses
from ketaclinic.plans.models import Appointment, OpeningHours, PlannedSession, Protocol, Route, TreatmentPlan

PLAN_FIELDS = (
    "protocol", "start_on", "dose_mg_per_kg", "infusions", "indication", "dose_mg", "maintenance_every_weeks",
    "through_week", "with_psychotherapy", "notes",
)
ACTIVE_STATUSES = (TreatmentPlan.Status.DRAFT, TreatmentPlan.Status.SIGNED)
# KAP preparation sessions sit one week apart, the last this many days before the first dose, so the
# patient has a day between preparing and dosing. [UNSOURCED – common practice], editable per session.
KAP_PREPARATION_LEAD_DAYS = 2
KAP_INTEGRATION_AFTER_DAYS = 1  # the day after each dose [UNSOURCED – common practice]


def require_plan_allowed(patient, route: str) -> None:
    """The intake area's gate: a signed candidacy decision for ``route`` and signed consent."""
    from ketaclinic.intake.services import require_plan_allowed as intake_gate

    intake_gate(patient, route)


def _apply(plan: TreatmentPlan, data: dict[str, Any]) -> None:
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a plan setting." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(plan, name, "" if value is None and name in ("indication", "notes") else value)
    protocol = plan.protocol
    plan.route = protocol.route
    # What the physician leaves empty comes from the protocol.
    if protocol.route == Route.IV:
        plan.dose_mg_per_kg = plan.dose_mg_per_kg if plan.dose_mg_per_kg is not None else protocol.dose_mg_per_kg
        plan.infusions = plan.infusions or protocol.induction_infusions
    else:
        plan.indication = plan.indication or protocol.indication
        plan.dose_mg = plan.dose_mg or protocol.dose_mg
        plan.maintenance_every_weeks = plan.maintenance_every_weeks or protocol.maintenance_every_weeks or 1
        plan.through_week = plan.through_week or protocol.through_week or protocols.ESKETAMINE_TRD_WEEKLY_LAST_WEEK


def check_plan(plan: TreatmentPlan) -> None:
    if plan.protocol.clinic_id != plan.clinic_id:
        raise ValidationError({"protocol": "That protocol belongs to another clinic."})
    if not isinstance(plan.start_on, dt.date):
        raise ValidationError({"start_on": "Give the date of the first dose."})
    if plan.with_psychotherapy and not plan.protocol.is_kap:
        raise ValidationError({"with_psychotherapy": "This protocol has no psychotherapy sessions; choose a KAP protocol."})
    if plan.route == Route.IV:
        _check_iv_dose(plan)
    else:
        _check_esketamine_dose(plan)


def _check_iv_dose(plan: TreatmentPlan) -> None:
    try:
        per_kg = dosing.to_decimal(plan.dose_mg_per_kg, "dose_mg_per_kg")
    except (dosing.DoseError, InvalidOperation, TypeError) as error:
        raise ValidationError({"dose_mg_per_kg": str(error)}) from None
    if per_kg <= 0 or per_kg > dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE:
        raise ValidationError({"dose_mg_per_kg": (
            f"Plan between 0 and {dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE} mg/kg; higher doses need an override "
            "on the day (clinical.md §1.1)."
        )})
    plan.dose_mg_per_kg = per_kg
    try:
        protocols.iv_induction_dates(plan.start_on, infusions=plan.infusions)
    except ValueError as error:
        raise ValidationError({"infusions": str(error).partition(": ")[2]}) from None


def _check_esketamine_dose(plan: TreatmentPlan) -> None:
    try:
        _esketamine_doses(plan)
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        raise ValidationError({field if field in PLAN_FIELDS else "dose_mg": message}) from None


def _esketamine_doses(plan):
    return protocols.esketamine_schedule(
        plan.start_on, indication=plan.indication, dose_mg=plan.dose_mg,
        maintenance_every_weeks=plan.maintenance_every_weeks, through_week=plan.through_week,
    )


def planned_doses(plan: TreatmentPlan, open_weekdays) -> list[dict]:
    """The plan's doses from the pure core: IV on the clinic's open days, esketamine on its label calendar."""
    p = plan.protocol
    if plan.route == Route.IV:
        dates = protocols.iv_induction_dates(
            plan.start_on, infusions=plan.infusions, open_weekdays=open_weekdays or protocols.MONDAY_TO_FRIDAY,
            protocol=protocols.IvInductionProtocol(min_gap_days=p.min_gap_days),
        )
        minutes = protocols.chair_minutes(Route.IV, p.infusion_min, p.observation_min)
        return [dict(planned_on=d, week=(d - plan.start_on).days // 7 + 1, phase=protocols.Phase.INDUCTION,
                     dose_mg_per_kg=plan.dose_mg_per_kg, chair_min=minutes) for d in dates]
    minutes = protocols.chair_minutes(Route.ESKETAMINE, None, p.observation_min)
    return [dict(planned_on=d.date, week=d.week, phase=d.phase, dose_mg=d.dose_mg, chair_min=minutes)
            for d in _esketamine_doses(plan)]


def _generate_sessions(plan: TreatmentPlan) -> list[PlannedSession]:
    open_weekdays = tuple(sorted(OpeningHours.objects.filter(clinic_id=plan.clinic_id).values_list("weekday", flat=True)))
    doses = planned_doses(plan, open_weekdays)
    rows: list[tuple[dt.date, int, dict]] = []
    kap = plan.with_psychotherapy
    preparations = plan.protocol.kap_preparation_sessions if kap else 0
    for i in range(preparations):
        day = _open_on_or_before(
            plan.start_on - dt.timedelta(days=KAP_PREPARATION_LEAD_DAYS + 7 * (preparations - 1 - i)), open_weekdays
        )
        rows.append((day, 0, dict(kind=PlannedSession.Kind.PREPARATION, chair_min=plan.protocol.kap_session_min)))
    for dose in doses:
        fields = {k: v for k, v in dose.items() if k != "planned_on"}
        rows.append((dose["planned_on"], 1, dict(kind=PlannedSession.Kind.DOSING, **fields)))
    created = _save_sessions(plan, rows)
    if kap and plan.protocol.kap_integration_per_dose:
        _add_integrations(plan, [s for s in created if s.is_dose], len(created))
    return created


def _open_on_or_before(day: dt.date, open_weekdays) -> dt.date:
    for back in range(7):
        candidate = day - dt.timedelta(days=back)
        if not open_weekdays or candidate.weekday() in open_weekdays:
            return candidate
    return day


def _save_sessions(plan, rows) -> list[PlannedSession]:
    rows.sort(key=lambda r: (r[0], r[1]))
    return PlannedSession.objects.bulk_create(
        [PlannedSession(plan=plan, sequence=n, planned_on=day, **fields) for n, (day, _, fields) in enumerate(rows, 1)]
    )


def _add_integrations(plan, doses, offset: int) -> None:
    PlannedSession.objects.bulk_create([
        PlannedSession(
            plan=plan, sequence=offset + n, kind=PlannedSession.Kind.INTEGRATION, follows=dose,
            planned_on=dose.planned_on + dt.timedelta(days=KAP_INTEGRATION_AFTER_DAYS), chair_min=plan.protocol.kap_session_min,
        )
        for n, dose in enumerate(doses, 1)
    ])


def _audit_plan(plan, acting_user, action, summary, changes) -> None:
    audit.record(action, actor=acting_user, object_type="treatment_plan", object_id=plan.pk, clinic=plan.clinic_id,
                 patient=plan.patient_id, summary=summary, changes=changes)


@transaction.atomic
def create_plan(*, patient, data: dict[str, Any], acting_user) -> TreatmentPlan:
    """A draft plan for ``patient``: the protocol, dose and start. Only allowed after intake's gate."""
    protocol = data.get("protocol")
    if not isinstance(protocol, Protocol):
        raise ValidationError({"protocol": "Choose a protocol."})
    require_plan_allowed(patient, protocol.route)
    if TreatmentPlan.objects.filter(patient=patient, route=protocol.route, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError({"protocol": "This patient already has an open plan for this route; revise it instead."})
    plan = TreatmentPlan(patient=patient, clinic=patient.clinic, created_by=acting_user, protocol=protocol)
    _apply(plan, data)
    check_plan(plan)
    plan.save()
    _generate_sessions(plan)
    _audit_plan(plan, acting_user, audit.Action.CREATE, f"Drafted {plan}",
                {k: [None, v] for k, v in audit.snapshot(plan, TreatmentPlan.AUDITED_FIELDS).items() if v not in ("", None)})
    return plan


@transaction.atomic
def sign_plan(plan: TreatmentPlan, *, acting_user) -> TreatmentPlan:
    """Sign a draft (physicians only); starts the measurement-based-care course if the plan has none."""
    plan = TreatmentPlan.objects.select_for_update(of=("self",)).select_related("protocol", "patient", "clinic").get(pk=plan.pk)
    access.require(acting_user, Perm.CLINICAL_SIGN, plan.clinic_id)
    if plan.status != TreatmentPlan.Status.DRAFT:
        raise ValidationError({"status": f"Only a draft can be signed; this plan is {plan.get_status_display().lower()}."})
    require_plan_allowed(plan.patient, plan.route)
    check_plan(plan)
    plan.status, plan.signed_by, plan.signed_at = TreatmentPlan.Status.SIGNED, acting_user, timezone.now()
    plan.save(update_fields=["status", "signed_by", "signed_at"])
    courses.ensure_course(plan, acting_user=acting_user)
    if plan.supersedes_id:
        _retire_previous(plan, acting_user)
    _audit_plan(plan, acting_user, audit.Action.UPDATE, f"Signed {plan}", {"status": ["draft", "signed"]})
    return plan


def _retire_previous(plan: TreatmentPlan, acting_user) -> None:
    """Hand the old version's live appointments to the new version's matching sessions, then supersede it."""
    old = TreatmentPlan.objects.select_for_update().get(pk=plan.supersedes_id)
    new_sessions = {(s.sequence, s.kind): s for s in plan.sessions.all()}
    for appointment in Appointment.objects.filter(plan=old).select_related("planned_session"):
        session = appointment.planned_session
        match = new_sessions.get((session.sequence, session.kind)) if session else None
        Appointment.objects.filter(pk=appointment.pk).update(plan=plan, planned_session=match)
    old.status = TreatmentPlan.Status.SUPERSEDED
    old.save(update_fields=["status"])
    _audit_plan(old, acting_user, audit.Action.UPDATE, f"Superseded by version {plan.version}",
                {"status": ["signed", "superseded"]})


def _orphans(old: TreatmentPlan, new: TreatmentPlan) -> list[Appointment]:
    keep = {(s.sequence, s.kind) for s in new.sessions.all()}
    return [
        a for a in Appointment.objects.filter(plan=old, status=Appointment.Status.BOOKED).select_related("planned_session")
        if a.planned_session is None or (a.planned_session.sequence, a.planned_session.kind) not in keep
    ]


@transaction.atomic
def revise_plan(plan: TreatmentPlan, *, data: dict[str, Any], change_reason: str, acting_user) -> TreatmentPlan:
    """A new draft version of a signed plan with ``data`` changed. Signing it supersedes ``plan``."""
    plan = TreatmentPlan.objects.select_for_update(of=("self",)).select_related("protocol", "patient").get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"status": "Only the signed, current version can be revised; edit a draft by discarding it."})
    if not (change_reason or "").strip():
        raise ValidationError({"change_reason": "Say why the plan changes."})
    if TreatmentPlan.objects.filter(supersedes=plan, status=TreatmentPlan.Status.DRAFT).exists():
        raise ValidationError({"status": "A newer version is already drafted; sign or discard it first."})
    fields = {name: getattr(plan, name) for name in PLAN_FIELDS}
    new = TreatmentPlan(patient=plan.patient, clinic=plan.clinic, created_by=acting_user, version=plan.version + 1,
                        supersedes=plan, change_reason=change_reason.strip()[:200], protocol=plan.protocol)
    _apply(new, {**fields, **data})
    check_plan(new)
    new.save()
    _generate_sessions(new)
    orphans = _orphans(plan, new)
    if orphans:
        when = ", ".join(a.starts_at.astimezone(plan.clinic.tz).strftime("%a %d %b %H:%M") for a in orphans)
        raise ValidationError({"start_on": f"The new version drops booked visits ({when}); cancel them first."})
    changes = audit.changed(audit.snapshot(plan, TreatmentPlan.AUDITED_FIELDS), audit.snapshot(new, TreatmentPlan.AUDITED_FIELDS))
    _audit_plan(new, acting_user, audit.Action.CREATE, f"Drafted version {new.version}: {change_reason}"[:200], changes)
    return new


@transaction.atomic
def discard_draft(plan: TreatmentPlan, *, acting_user) -> None:
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.DRAFT:
        raise ValidationError({"status": "Only a draft can be discarded; a signed plan is cancelled or revised."})
    plan.status = TreatmentPlan.Status.CANCELLED
    plan.save(update_fields=["status"])
    _audit_plan(plan, acting_user, audit.Action.UPDATE, "Discarded draft", {"status": ["draft", "cancelled"]})


@transaction.atomic
def cancel_plan(plan: TreatmentPlan, *, reason: str, acting_user) -> TreatmentPlan:
    from ketaclinic.plans.services.status import set_appointment_status

    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"status": "Only a signed plan can be stopped."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the plan stops."})
    for appointment in Appointment.objects.filter(plan=plan, status=Appointment.Status.BOOKED):
        set_appointment_status(appointment, Appointment.Status.CANCELLED, acting_user=acting_user, reason="Plan stopped")
    plan.status = TreatmentPlan.Status.CANCELLED
    plan.save(update_fields=["status"])
    _audit_plan(plan, acting_user, audit.Action.UPDATE, f"Stopped the plan: {reason}"[:200], {"status": ["signed", "cancelled"]})
    return plan


@transaction.atomic
def complete_plan(plan: TreatmentPlan, *, acting_user) -> TreatmentPlan:
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"status": "Only a signed plan can be completed."})
    if Appointment.objects.filter(plan=plan, status=Appointment.Status.BOOKED).exists():
        raise ValidationError({"status": "Visits are still booked on this plan."})
    plan.status = TreatmentPlan.Status.COMPLETED
    plan.save(update_fields=["status"])
    _audit_plan(plan, acting_user, audit.Action.UPDATE, "Completed the plan", {"status": ["signed", "completed"]})
    return plan


@transaction.atomic
def add_booster(plan: TreatmentPlan, *, on: dt.date, acting_user) -> PlannedSession:
    """A booster dose on ``on``, offered when measurement-based care shows the response was lost."""
    plan = TreatmentPlan.objects.select_for_update(of=("self",)).select_related("protocol").get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"status": "Boosters are added to a signed plan."})
    last = plan.sessions.filter(kind__in=[PlannedSession.Kind.DOSING, PlannedSession.Kind.BOOSTER]).order_by("-planned_on").first()
    interval = plan.protocol.booster_min_interval_days or plan.protocol.min_gap_days
    if last and (on - last.planned_on).days < interval:
        raise ValidationError({"on": f"A booster is at least {interval} days after the last dose ({last.planned_on:%d %b %Y})."})
    dose = planned_doses(plan, protocols.MONDAY_TO_FRIDAY)[-1]
    booster = PlannedSession.objects.create(
        plan=plan, sequence=(plan.sessions.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1,
        kind=PlannedSession.Kind.BOOSTER, planned_on=on, phase=protocols.Phase.MAINTENANCE,
        dose_mg=dose.get("dose_mg"), dose_mg_per_kg=dose.get("dose_mg_per_kg"), chair_min=dose["chair_min"],
    )
    _audit_plan(plan, acting_user, audit.Action.CREATE, f"Added a booster on {on.isoformat()}",
                {"booster_on": [None, on.isoformat()]})
    return booster


def latest_version(plan: TreatmentPlan) -> TreatmentPlan:
    while True:
        newer = TreatmentPlan.objects.filter(supersedes=plan).exclude(status=TreatmentPlan.Status.CANCELLED).first()
        if newer is None:
            return plan
        plan = newer


def booster_interval_days(plan: TreatmentPlan) -> int:
    return plan.protocol.booster_min_interval_days or plan.protocol.min_gap_days


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
