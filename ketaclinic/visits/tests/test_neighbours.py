"""How the session day meets its neighbours: plans (appointments, the signed plan, the floor board),
outcomes (dosing dates), billing and others (the on-discharge hook), and the demo."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ketaclinic.plans.floor import build_board
from ketaclinic.plans.models import Appointment, Chair, Protocol, TreatmentPlan
from ketaclinic.visits import sections
from ketaclinic.visits.models import Visit
from ketaclinic.visits.queries import floor_annotations
from ketaclinic.visits.services import checkin, discharge, dosing
from ketaclinic.visits.tests.conftest import do_checklist, minutes, reading


@pytest.fixture
def plan(patient, westside, alice):
    protocol = Protocol.objects.create(
        clinic=westside, family="iv-standard", name="IV 0.5", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
        infusion_min=40, observation_min=45, approved_by=alice, effective_from=dt.date(2026, 1, 1), weight_basis="actual")
    return TreatmentPlan.objects.create(
        patient=patient, clinic=westside, protocol=protocol, route="iv-ketamine", status="signed", start_on=dt.date(2026, 11, 1),
        dose_mg_per_kg=Decimal("0.60"), created_by=alice, signed_by=alice, signed_at=timezone.now())


@pytest.fixture
def appointment(patient, westside, bob, plan, clock):
    chair = Chair.objects.create(clinic=westside, name="Chair 5")
    return Appointment.objects.create(
        patient=patient, clinic=westside, chair=chair, nurse=bob, starts_at=timezone.now(), ends_at=timezone.now() + minutes(105),
        route="iv-ketamine", kind="dosing", plan=plan)


def test_check_in_takes_the_order_from_the_signed_plan_and_moves_the_appointment(patient, appointment, bob):
    visit = checkin.check_in(patient, route="iv-ketamine", appointment=appointment, acting_user=bob)
    appointment.refresh_from_db()
    assert appointment.status == "checked_in" and visit.chair == "Chair 5"
    order = visit.order
    assert (order.source, order.dose_mg_per_kg, order.infusion_duration_min) == ("plan", Decimal("0.60"), 40)
    assert visit.observation_min_required == 60  # the clinic's 60 is longer than the protocol's 45: the longer one


def test_the_appointment_follows_every_phase_to_discharged(patient, appointment, alice, bob, dana, consented, clock):
    visit = checkin.check_in(patient, route="iv-ketamine", appointment=appointment, acting_user=bob)
    do_checklist(visit, bob)
    reading(visit, bob)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    dosing.confirm_second_check(dose, checker=dana, dose_mg=dose.dose_mg, rate_ml_per_h=dose.rate_ml_per_h)
    seen = []
    dosing.start_infusion(dose, acting_user=bob)
    seen.append(Appointment.objects.get(pk=appointment.pk).status)
    clock.shift(minutes(40))
    dosing.complete_infusion(dose, acting_user=bob)
    seen.append(Appointment.objects.get(pk=appointment.pk).status)
    clock.shift(minutes(60))
    reading(visit, bob, key="after")
    discharge.assess_discharge(visit, data=dict(activity=2, respiration=2, circulation=2, consciousness=2, oxygen_saturation=2,
                                                ride_present=True), acting_user=bob)
    seen.append(Appointment.objects.get(pk=appointment.pk).status)
    discharge.discharge(visit, acting_user=bob)
    seen.append(Appointment.objects.get(pk=appointment.pk).status)
    assert seen == ["dosing", "observation", "ready_for_discharge", "discharged"]


def test_an_appointment_for_another_patient_or_route_is_refused(patient, other_patient, appointment, bob):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="another patient"):
        checkin.check_in(other_patient, route="iv-ketamine", appointment=appointment, acting_user=bob)
    with pytest.raises(ValidationError, match="The appointment is for IV ketamine"):
        checkin.check_in(patient, route="esketamine", appointment=appointment, acting_user=bob)


def test_the_floor_board_shows_vitals_due_and_alerts(patient, westside, appointment, alice, bob, dana, consented, clock):
    visit = checkin.check_in(patient, route="iv-ketamine", appointment=appointment, acting_user=bob)
    do_checklist(visit, bob)
    reading(visit, bob)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    dosing.confirm_second_check(dose, checker=dana, dose_mg=dose.dose_mg, rate_ml_per_h=dose.rate_ml_per_h)
    dosing.start_infusion(dose, acting_user=bob)  # 10:00 Los Angeles
    clock.shift(minutes(4))
    reading(visit, bob, spo2_pct=91, key="low")  # 10:04: caution; next due 10:14
    board = build_board(westside)
    row = next(r for r in board.rows if r.current and r.current.pk == appointment.pk)
    assert row.due == ["monitor the dose", "1 alert to acknowledge", "vitals due 10:14"]


def test_floor_annotations_answer_in_a_fixed_number_of_queries(patient, appointment, bob, django_assert_num_queries):
    checkin.check_in(patient, route="iv-ketamine", appointment=appointment, acting_user=bob)
    with django_assert_num_queries(1):
        assert floor_annotations([appointment]) == {appointment.pk: []}


def test_outcomes_get_the_dose_start_times_of_the_course(patient, westside, alice, bob, dana, consented, clock):
    from ketaclinic.outcomes.dosing import dosing_dates
    from ketaclinic.outcomes.models import TreatmentCourse
    from ketaclinic.visits.tests.conftest import ready_iv

    course = TreatmentCourse.objects.create(patient=patient, clinic=westside, route="iv-ketamine", condition="treatment-resistant-depression",
                                            primary_scale="PHQ-9", started_on=dt.date(2026, 11, 1))
    visit, dose = ready_iv(patient, bob, dana, alice)
    dosing.start_infusion(dose, acting_user=bob)
    visit.refresh_from_db()
    assert sections.dosing_dates(course) == [visit.dosing_started_at]
    assert visit.dosing_started_at in dosing_dates(course)


def test_the_demo_day_has_a_patient_in_every_phase_and_runs_twice(db):
    from ketaclinic.core import demo

    demo.seed()
    statuses = set(Visit.objects.values_list("status", flat=True))
    count = Visit.objects.count()
    demo.seed()
    assert statuses >= {"checked_in", "dosing", "observation", "ready_for_discharge", "discharged"}
    assert Visit.objects.count() == count
    assert Visit.objects.filter(route="esketamine", monitoring_form__status="submitted").exists()
