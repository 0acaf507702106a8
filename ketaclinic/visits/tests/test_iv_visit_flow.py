"""A whole IV visit through the services: check-in, hold and recheck, dose with a second check, infusion,
observation, discharge. The browser test runs the same story through the pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.visits import hooks
from ketaclinic.visits.models import Hold, Visit
from ketaclinic.visits.services import checkin, discharge, dosing, vitals
from ketaclinic.visits.tests.conftest import check_in, do_checklist, minutes, reading

ALDRETE_10 = dict(activity=2, respiration=2, circulation=2, consciousness=2, oxygen_saturation=2)


@pytest.fixture
def discharged():
    seen = []
    hooks.register_on_discharge(seen.append)
    yield seen
    hooks.unregister_on_discharge(seen.append)


def test_it_runs_a_whole_iv_visit(clock, consented, patient, alice, bob, dana, discharged, django_capture_on_commit_callbacks):
    visit = check_in(patient, bob, alice)
    do_checklist(visit, bob)
    reading(visit, bob, systolic_mmhg=168, diastolic_mmhg=96)  # ≥ 160: hold
    assert checkin.dosing_blockers(visit) == [
        "Checklist: pre-dose vital signs",
        "On hold: Systolic 168 mmHg ≥ 160: hold the dose; recheck in 5–10 min",
    ]
    clock.shift(minutes(10))
    reading(visit, bob, systolic_mmhg=138, diastolic_mmhg=86)  # the recheck passes
    hold = Hold.objects.get(visit=visit)
    assert hold.clearance == "recheck" and not checkin.dosing_blockers(visit)
    for alert in visit.alerts.all():  # systolic (hold) and diastolic 96 > 90 (caution): each acknowledged
        vitals.acknowledge_alert(alert, action="recheck", acting_user=bob)

    # 70 kg × 0.5 mg/kg = 35.0 mg; 35.0 / 10 = 3.50 mL; + 96.50 = 100.00 mL; 100 × 60 / 40 = 150.0 mL/h
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=Decimal("96.5"), lot_number="L1", acting_user=bob)
    assert (dose.dose_mg, dose.volume_ml, dose.total_volume_ml, dose.rate_ml_per_h) == (
        Decimal("35.0"), Decimal("3.50"), Decimal("100.00"), Decimal("150.0"))
    with pytest.raises(ValidationError, match="calculated it"):
        dosing.confirm_second_check(dose, checker=bob, dose_mg="35.0", rate_ml_per_h="150.0")
    with pytest.raises(ValidationError, match="does not match"):
        dosing.confirm_second_check(dose, checker=dana, dose_mg="35.0", rate_ml_per_h="105.0")
    dosing.confirm_second_check(dose, checker=dana, dose_mg="35.0", rate_ml_per_h="150.0")
    dosing.start_infusion(dose, acting_user=bob)
    for _ in range(4):
        clock.shift(minutes(10))
        reading(visit, bob)
    dosing.complete_infusion(dose, acting_user=bob)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.OBSERVATION

    clock.shift(minutes(30))
    reading(visit, bob)
    assessment = discharge.assess_discharge(visit, data={**ALDRETE_10, "ride_present": True}, acting_user=bob)
    assert not assessment.ready and assessment.unmet == ["observation: 30 min left"]
    with pytest.raises(ValidationError, match="observation: 30 min left"):
        discharge.discharge(visit, acting_user=bob)
    clock.shift(minutes(30))
    with django_capture_on_commit_callbacks(execute=True):
        discharge.discharge(visit, acting_user=bob)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DISCHARGED and [v.pk for v in discharged] == [visit.pk]
    assert AuditEvent.objects.filter(object_type="visit", object_id=str(visit.pk), summary__startswith="Discharged").exists()
