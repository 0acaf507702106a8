"""Demo step (order 50): a session day at Westside with patients in every phase, plus recent history.

Everything goes through the services, at explicit past times, so the demo record is what the clinic would
have written. Idempotent: a patient who already has a visit today (or an open one) is left alone.
"""

import contextlib
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.visits import integrations
from ketaclinic.visits.models import DoseOrder, RemsEnrollment, Route, Visit
from ketaclinic.visits.services import checkin, discharge, dosing, events, records, vitals

IV, ESK = Route.IV_KETAMINE, Route.ESKETAMINE
RECENT_DAYS = 8  # the oldest demo visit is a week old
DEMO_CONSENT_NOTE = "Demo: intake has no signed consent for this synthetic patient; attested for the demo only."


@contextlib.contextmanager
def _intake_cannot_say():
    real = integrations.approved_routes
    integrations.approved_routes = lambda patient: None
    try:
        yield
    finally:
        integrations.approved_routes = real
NORMAL = dict(systolic_mmhg=124, diastolic_mmhg=78, heart_rate_bpm=72, spo2_pct=98, respiratory_rate_per_min=14, moaa_s=5)


class _Day:
    def __init__(self, context, now):
        self.users = context["users"]
        self.nurse, self.nurse2 = self.users["nurse.kim"], self.users["crna.okafor"]
        self.doctor = self.users["dr.reyes"]
        self.now = now
        self.key = 0

    def at(self, minutes_ago: float) -> dt.datetime:
        return self.now - dt.timedelta(minutes=minutes_ago)

    def reading(self, visit, minutes_ago, **values):
        self.key += 1
        vitals.record_reading(visit, values={**NORMAL, **values}, idempotency_key=f"demo-{visit.pk}-{self.key}",
                              measured_at=self.at(minutes_ago), acting_user=self.nurse)

    def check_in(self, patient, route, minutes_ago, chair):
        visit = checkin.check_in(patient, route=route, acting_user=self.nurse, chair=chair, at=self.at(minutes_ago))
        if not DoseOrder.objects.filter(visit=visit).exists():
            data = ({"dose_mg_per_kg": Decimal("0.5"), "infusion_duration_min": 40, "weight_basis": "actual"} if route == IV
                    else {"esketamine_dose_mg": 56})
            checkin.enter_order(visit, data=data, acting_user=self.doctor)
        return visit

    def checklist(self, visit, minutes_ago, *, skip=()):
        at = self.at(minutes_ago)
        items = {
            "identity": {"confirmed": True}, "fasting": {"confirmed": True}, "consent_plan": {"confirmed": True},
            "ride": {"ride_name": "Demo Ride", "ride_phone": "+1 213 555 0199"},
            "pregnancy": {"pregnancy_status": "not_pregnant_reported"},
            "medications": {k: False for k in checkin.MEDICATION_KEYS},
            "pre_session_scale": {"note": "PHQ-9 on paper (demo)"},
        }
        if visit.weight_kg is None:
            items["weight"] = {"weight_kg": visit.patient.weight_kg or Decimal("70.0")}
        for item, data in items.items():
            if item not in skip:
                self._check(visit, item, data, at)

    def _check(self, visit, item, data, at):
        try:
            checkin.record_check(visit, item, data=data, acting_user=self.nurse, now=at)
        except ValidationError:
            if item != "consent_plan":
                raise
            # Intake's demo signs consent for a few patients only; like the plans demo, go on and say so.
            with _intake_cannot_say():
                checkin.record_check(visit, item, data={**data, "note": DEMO_CONSENT_NOTE}, acting_user=self.nurse, now=at)

    def infuse(self, visit, started_ago, ended_ago=None):
        dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=Decimal("10"), diluent_ml=Decimal("96.5"),
                                      lot_number="KET-DEMO-2611", acting_user=self.nurse)
        dosing.confirm_second_check(dose, checker=self.nurse2, dose_mg=dose.dose_mg, rate_ml_per_h=dose.rate_ml_per_h)
        dosing.start_infusion(dose, acting_user=self.nurse, at=self.at(started_ago))
        for minutes in range(int(started_ago) - 10, int(ended_ago or 0), -10):
            self.reading(visit, minutes, systolic_mmhg=134, diastolic_mmhg=84, heart_rate_bpm=80, moaa_s=4)
        if ended_ago is not None:
            dosing.complete_infusion(dose, acting_user=self.nurse, at=self.at(ended_ago))
        return dose

    def spray(self, visit, first_ago, devices=2):
        dose = dosing.prepare_esketamine_dose(visit, lot_number="SPR-DEMO-0426", acting_user=self.nurse)
        for n in range(devices):
            dosing.record_device(dose, acting_user=self.nurse, at=self.at(first_ago - 5 * n))
        return dose

    def assess(self, visit, minutes_ago, ready_without=None):
        data = dict(activity=2, respiration=2, circulation=2, consciousness=2, oxygen_saturation=2, ride_present=True,
                    sedation_resolved=True, dissociation_resolved=True, respiratory_depression_resolved=True,
                    ready_without_rule_at=ready_without)
        return discharge.assess_discharge(visit, data=data, acting_user=self.nurse, now=self.at(minutes_ago))


def _free(patient, now) -> bool:
    return not Visit.objects.filter(patient=patient, status__in=Visit.OPEN_STATUSES).exists()


def _enrol(day: _Day, patient) -> None:
    if not RemsEnrollment.objects.filter(patient=patient, ended_on__isnull=True).exists():
        records.record_rems_enrollment(patient, enrolled_on=(day.now - dt.timedelta(days=30)).date(),
                                       prescriber=day.doctor, reference="DEMO-REMS", acting_user=day.nurse)


def _hold(day, p):  # checked in, pre-dose BP high: on hold until the recheck
    visit = day.check_in(p, IV, 20, "Chair 1")
    day.checklist(visit, 15)
    day.reading(visit, 10, systolic_mmhg=166, diastolic_mmhg=102)


def _waiting_esketamine(day, p):  # checked in for esketamine, checklist half done
    _enrol(day, p)
    visit = day.check_in(p, ESK, 10, "Room A")
    day.checklist(visit, 5, skip=("medications", "pre_session_scale", "fasting"))


def _dosing(day, p):  # infusion running 25 min, with an alert waiting for acknowledgement
    visit = day.check_in(p, IV, 55, "Chair 2")
    day.checklist(visit, 50)
    day.reading(visit, 40)
    day.infuse(visit, 25)
    day.reading(visit, 2, systolic_mmhg=184, diastolic_mmhg=104, heart_rate_bpm=96, moaa_s=3)
    events.record_event(visit, kind="nausea", acting_user=day.nurse, occurred_at=day.at(12), note="Mild")
    events.record_event(visit, kind="antiemetic", acting_user=day.nurse, occurred_at=day.at(10),
                        medication="Ondansetron", medication_dose="4 mg IV")


def _observation(day, p):  # infusion ended 20 min ago
    visit = day.check_in(p, IV, 90, "Chair 3")
    day.checklist(visit, 85)
    day.reading(visit, 75)
    vitals.record_cadss(visit, total=0, acting_user=day.nurse, measured_at=day.at(74))
    day.infuse(visit, 62, 20)
    vitals.record_cadss(visit, total=14, acting_user=day.nurse, measured_at=day.at(30))
    day.reading(visit, 5, systolic_mmhg=128, diastolic_mmhg=80)


def _ready(day, p):  # observation done, assessed ready; waiting for the ride
    visit = day.check_in(p, IV, 150, "Chair 4")
    day.checklist(visit, 145)
    day.reading(visit, 135)
    day.infuse(visit, 125, 82)
    day.reading(visit, 60)
    day.reading(visit, 20)
    day.assess(visit, 5)


def _discharged(day, p, minutes_ago=240, chair="Chair 1"):
    visit = day.check_in(p, IV, minutes_ago, chair)
    day.checklist(visit, minutes_ago - 5)
    day.reading(visit, minutes_ago - 10)
    day.infuse(visit, minutes_ago - 20, minutes_ago - 60)
    day.reading(visit, minutes_ago - 90)
    day.assess(visit, minutes_ago - 121)
    discharge.discharge(visit, acting_user=day.nurse, now=day.at(minutes_ago - 122))
    return visit


def _esketamine_observation(day, p):  # first device 50 minutes ago
    _enrol(day, p)
    visit = day.check_in(p, ESK, 65, "Room B")
    day.checklist(visit, 60)
    day.reading(visit, 57)
    vitals.record_cadss(visit, total=0, acting_user=day.nurse, measured_at=day.at(56))
    day.spray(visit, 50)
    day.reading(visit, 10, systolic_mmhg=146, diastolic_mmhg=88, moaa_s=4)


def _esketamine_done(day, p, days_ago):  # yesterday's or last week's session: its monitoring form in the queue
    _enrol(day, p)
    base = 60 * 24 * days_ago + 200
    visit = day.check_in(p, ESK, base, "Room A")
    day.checklist(visit, base - 5)
    day.reading(visit, base - 8)
    day.spray(visit, base - 10)
    day.reading(visit, base - 50)
    day.reading(visit, base - 125)
    day.assess(visit, base - 131, ready_without=day.at(base - 70))
    discharge.discharge(visit, acting_user=day.nurse, now=day.at(base - 132))
    return visit


# (scenario, route); each takes the next Westside patient who is free and whom intake has not ruled out.
SCENARIOS = ((_hold, IV), (_waiting_esketamine, ESK), (_dosing, IV), (_observation, IV), (_ready, IV),
             (_esketamine_observation, ESK))


def _not_ruled_out(patient, route) -> bool:
    """Intake's signed decision, where there is one, must allow the route (a demo must not dose a non-candidate)."""
    current = integrations._import("ketaclinic.intake.services", "current_decision")
    decision = current(patient) if current else None
    return decision is None or route in decision.approved_routes


def seed_session_day(context: dict) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    day = _Day(context, now)
    westside = context["clinics"]["WS"]
    if Visit.objects.filter(clinic=westside, checked_in_at__gte=now - dt.timedelta(days=RECENT_DAYS)).exists():
        return  # this week's demo visits are there already
    pool = [p for p in context["patients"] if p.clinic_id == westside.pk][1:]  # the first is the portal patient

    def take(route):
        patient = next((p for p in pool if _free(p, now) and _not_ruled_out(p, route)), None)
        if patient is not None:
            pool.remove(patient)
        return patient

    for scenario, route in SCENARIOS:
        if (patient := take(route)) is not None:
            scenario(day, patient)
    if (patient := take(IV)) is not None:
        visit = _discharged(day, patient)
        records.record_adverse_event(patient, visit=visit, acting_user=day.nurse, data=dict(
            onset_at=day.at(205), category="nausea_vomiting", severity="mild", seriousness=[], outcome="resolved",
            description="Nausea during the infusion, settled with ondansetron.", action_taken="Ondansetron 4 mg IV"))
    for days_ago in (1, 6):
        if (patient := take(ESK)) is not None:
            visit = _esketamine_done(day, patient, days_ago)
            if days_ago > 3:
                _sign_and_submit(day, visit)
    portal_patient = context["patients"][0]
    if _free(portal_patient, now) and _not_ruled_out(portal_patient, IV):  # a finished visit to see in the portal
        _discharged(day, portal_patient, minutes_ago=60 * 24 * 7, chair="Chair 2")


def _sign_and_submit(day, visit) -> None:
    from ketaclinic.visits.services import pmf

    form = visit.monitoring_form
    pmf.sign_form(form, acting_user=day.nurse)
    pmf.record_submission(form, method="online", reference="DEMO-PMF-0001", acting_user=day.nurse)
